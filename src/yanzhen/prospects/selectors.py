"""Reads of 雏雁计划, each from the user's jurisdiction (`restrict`): the register with its filters, one
prospect, the events and their invitations, the policy documents, the figures of `yanzhen stats`, and the
prospect an archive came from (for the archive and the candidacy pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from yanzhen.core.guards import get_for_view, operator_scope
from yanzhen.prospects.models import (
    INTERESTS,
    Category,
    Contact,
    Invitation,
    OutreachEvent,
    PolicyDocument,
    Prospect,
)

CONVERTED = {"yes": True, "no": False}


@dataclass(frozen=True)
class ProspectFilters:
    within: str = ""  # a township or village code, already checked inside the jurisdiction
    category: str = ""
    interest: str = ""
    converted: str = ""  # "yes", "no" or ""
    q: str = ""


def prospects(user, filters: ProspectFilters | None = None) -> QuerySet[Prospect]:
    """The register: prospects of the user's villages, with their village and township names, the number of
    contacts and the date of the latest."""
    filters = filters or ProspectFilters()
    rows = Prospect.objects.restrict(user).select_related("village", "person")
    if filters.within:
        rows = rows.filter(village__code__startswith=filters.within)
    if filters.category in Category.values:
        rows = rows.filter(category=filters.category)
    if filters.interest in INTERESTS:
        rows = rows.filter(**{filters.interest: True})
    if filters.converted in CONVERTED:
        rows = rows.filter(person__isnull=not CONVERTED[filters.converted])
    q = "".join((filters.q or "").split())[:50]
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(city__contains=q) | Q(occupation__contains=q))
    return rows.annotate(contact_count=Count("contacts"), last_contact=Max("contacts__on"))


def get_prospect(user, pk) -> Prospect:
    """One prospect inside the user's jurisdiction, else 404."""
    return get_for_view(Prospect.objects.select_related("village", "person"), user, pk=pk)


def contacts_of(prospect: Prospect) -> list[Contact]:
    return list(prospect.contacts.select_related("event").prefetch_related("documents"))


def invitations_of(user, prospect: Prospect) -> list[Invitation]:
    return list(
        Invitation.objects.restrict(user)
        .filter(prospect=prospect)
        .select_related("event", "event__organiser")
    )


def events(user) -> QuerySet[OutreachEvent]:
    """The events the user sees, with how many of his invitees there are and how many came."""
    mine = Invitation.objects.restrict(user)
    return (
        OutreachEvent.objects.restrict(user)
        .select_related("organiser")
        .annotate(
            invited=Count("invitations", filter=Q(invitations__in=mine), distinct=True),
            came=Count(
                "invitations", filter=Q(invitations__in=mine, invitations__attended="yes"), distinct=True
            ),
        )
    )


def get_event(user, pk) -> OutreachEvent:
    return get_for_view(OutreachEvent.objects.select_related("organiser"), user, pk=pk)


def invitations(user, event: OutreachEvent) -> list[Invitation]:
    """The invitees of an event the user may see (his own when another jurisdiction organised it)."""
    return list(
        Invitation.objects.restrict(user)
        .filter(event=event)
        .select_related("prospect", "prospect__village")
        .order_by("prospect__village_id", "prospect__name", "pk")
    )


def policy_documents(user) -> QuerySet[PolicyDocument]:
    return PolicyDocument.objects.restrict(user).select_related("county")


def get_policy_document(user, pk) -> PolicyDocument:
    return get_for_view(PolicyDocument.objects.all(), user, pk=pk)


def prospect_of_person(user, person_id: int) -> Prospect | None:
    """The prospect an archive came from (雏雁计划), inside the user's jurisdiction, else None."""
    return (
        Prospect.objects.restrict(user)
        .filter(person_id=person_id)
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("-on", "-id")))
        .order_by("-converted_on", "-pk")
        .first()
    )


def figures(user, code: str, as_of: date) -> dict[str, int]:
    """The block `prospects` of `yanzhen stats` for a division on a date, in one query: the prospects
    registered by then, those contacted in that calendar year up to the date, and those recommended as
    reserves in that year up to the date."""
    start = date(as_of.year, 1, 1)
    counts = (
        operator_scope(Prospect.objects.all(), user)
        .filter(village__code__startswith=code, registered_on__lte=as_of)
        .aggregate(
            total=Count("pk", distinct=True),
            contacted_this_year=Count(
                "pk", distinct=True, filter=Q(contacts__on__gte=start, contacts__on__lte=as_of)
            ),
            converted_this_year=Count(
                "pk", distinct=True, filter=Q(converted_on__gte=start, converted_on__lte=as_of)
            ),
        )
    )
    return {key: counts[key] or 0 for key in ("total", "contacted_this_year", "converted_this_year")}
