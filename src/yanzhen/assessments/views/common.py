"""What every page of 管 does first: the reader check (a reserve has only his self-service page), the
division, period and person from the query string (jurisdiction first: 404 outside it), and file downloads."""

from __future__ import annotations

import functools
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from yanzhen.assessments import fired, rules, selectors
from yanzhen.assessments.models import ProposalState
from yanzhen.assessments.periods import (
    Half,
    Period,
    half_containing,
    last_finished_period,
    parse_period,
    period_containing,
)
from yanzhen.core import guards
from yanzhen.core.views_kit import saved as say_saved
from yanzhen.divisions.models import Division
from yanzhen.divisions.selectors import county_of_user
from yanzhen.people.models import Person


def require_reader(request) -> None:
    if not rules.may_read(request.user):
        raise PermissionDenied


def division_from_query(request) -> Division | None:
    """The division a list is narrowed to: the village or township of the 乡镇 → 村 filter, else `division`."""
    for name in ("village", "township", "division"):
        code = request.GET.get(name, "").strip()
        if code:
            return selectors.scope_division(request.user, code)
    return selectors.scope_division(request.user, "")


def reader_division(request) -> Division | None:
    """The division a page of 管 is narrowed to (`division_from_query`); 403 for a user who may not read."""
    require_reader(request)
    return division_from_query(request)


def reader_period(
    request, *, halves_only: bool = False, finished: bool = False
) -> tuple[Division | None, Period]:
    """The division and the period a list of 管 shows (`reader_division`, `period_from_query`)."""
    division = reader_division(request)
    return division, period_from_query(request, division, halves_only=halves_only, finished=finished)


def division_code(division: Division | None) -> str:
    return division.code if division is not None else ""


def breadcrumb_of(division: Division | None) -> list[Division]:
    return (division.ancestors() + [division]) if division is not None else []


def period_from_query(
    request, division: Division | None, *, halves_only: bool = False, finished: bool = False
) -> Period:
    """The period asked for (?period=2024H1, 2024H2 or 2024), else the current one: a report or an
    assessment of the half-year under way is found without changing the chooser. `finished` pages (the
    overdue reports: nothing of the current period is due yet) start from the last period that has ended."""
    asked = parse_period(request.GET.get("period", ""))
    if asked is not None and (not halves_only or not asked.is_year):
        return asked
    kind = "half_year" if halves_only else rules.settings_for(division_code(division)).period_kind
    if finished:
        return last_finished_period(guards.today(), kind)
    return period_containing(guards.today(), kind)


def period_choices(division: Division | None, *, halves_only: bool = False) -> list[Period]:
    """The last eight periods of the county's kind, the current one first."""
    kind = "half_year" if halves_only else rules.settings_for(division_code(division)).period_kind
    today = guards.today()
    periods = [Period(today.year, Half.YEAR) if kind == "year" else half_containing(today)]
    while len(periods) < 8:
        periods.append(periods[-1].previous())
    return periods


def person_from_query(request) -> Person:
    try:
        pk = int(request.GET.get("person") or request.POST.get("person") or 0)
    except ValueError:
        raise Http404 from None
    return guards.get_for_view(
        Person.objects.select_related("village", "village__parent"), request.user, pk=pk
    )


def saved(request, form, save, *, within=None):
    """Call a service for a valid form (`core.views_kit.saved`): its record, with "Saved." said, or None when
    it refused (its messages then on the form's fields)."""
    records = []
    if say_saved(request, form, lambda: records.append(save()), within=within):
        return records[0]
    return None


def state_from_query(request) -> str:
    """The proposals' state a list shows (?state=, "all" for every state), pending by default."""
    state = request.GET.get("state", ProposalState.PENDING)
    return state if state in ProposalState.values or state == "all" else ProposalState.PENDING


def list_page(request, template: str, division: Division | None, *, status: int = 200, **context):
    """A page narrowed to a division: the division, and its breadcrumb up to its parent."""
    return render(
        request,
        template,
        {"division": division, "breadcrumb": breadcrumb_of(division)[:-1], **context},
        status=status,
    )


def period_list_page(
    request,
    template: str,
    division: Division | None,
    period: Period,
    listing,
    *,
    halves_only: bool = False,
    **context,
):
    """A list of one period narrowed to a division (`list_page`): the period, its chooser and the listing."""
    return list_page(
        request,
        template,
        division,
        period=period,
        periods=period_choices(division, halves_only=halves_only),
        listing=listing,
        **context,
    )


def file_response(field_file, content_type: str, title: str):
    if not field_file:
        raise Http404
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    try:
        stored = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stored, as_attachment=True, filename=f"{title}.{extension}", content_type=content_type
    )


def county_of(user) -> Division | None:
    return county_of_user(user)


def county_admin(request) -> Division:
    """The county whose settings the user changes: 403 unless he may change them, 404 without a county."""
    if not rules.may_change_settings(request.user):
        raise PermissionDenied
    county = county_of(request.user)
    if county is None:
        raise Http404
    return county


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def date_or_none(value) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def errors_by_field(invalid: ValidationError) -> dict[str, str]:
    """A service's errors by field, each field's messages joined."""
    if not hasattr(invalid, "error_dict"):
        return {"__all__": "；".join(invalid.messages)}
    return {field: "；".join(texts) for field, texts in invalid.message_dict.items()}


def other_errors(errors: dict[str, str], shown: list[str]) -> list[str]:
    """The messages of fields the page has no input for, shown above the form."""
    return [message for field, message in errors.items() if field not in shown]


def errors_page(request, template: str, errors: dict[str, str], shown: list[str], *, village=None, **context):
    """A page whose inputs are read by hand (no Django form): the errors by field, those of the fields it has
    no input for above the form (`other_errors`), 422 when there are any; the village's breadcrumb if given."""
    if village is not None:
        context.update(division=village, breadcrumb=village.ancestors())
    return render(
        request,
        template,
        {**context, "errors": errors, "other_errors": other_errors(errors, shown)},
        status=422 if errors else 200,
    )


# -- what the rules did -----------------------------------------------------------------------------------

ONE_BY_ONE = 3  # more records of one kind than this: one message with the count and a link to the list


def _fired_message(outcome: str, records: list) -> tuple[str, str, str]:
    """(text, link text, url) of the message about records of one kind the rules have just created."""
    if len(records) > ONE_BY_ONE:
        count = len(records)
        if outcome == fired.Outcome.REMOVAL_PROPOSED:
            text = _("%(count)d removal proposals were generated") % {"count": count}
            return text, _("Open the removal proposals"), reverse("assessments:proposals")
        if outcome == fired.Outcome.KEY_CULTIVATION:
            text = _("%(count)d reserves are now listed for key cultivation") % {"count": count}
            return text, _("Open the notice board"), reverse("assessments:notice-board")
        text = _("%(count)d adjustment proposals were generated") % {"count": count}
        return text, _("Open the adjustment proposals"), reverse("assessments:incumbent-proposals")
    names = "、".join(record.person.name for record in records)
    if outcome == fired.Outcome.REMOVAL_PROPOSED:
        url = (
            reverse("assessments:proposal-detail", args=[records[0].pk])
            if len(records) == 1
            else reverse("assessments:proposals")
        )
        return _("Removal proposal generated: %(names)s") % {"names": names}, _("Open the proposal"), url
    if outcome == fired.Outcome.KEY_CULTIVATION:
        village = records[0].candidacy.village_id
        url = reverse("assessments:notice-board") + "?" + urlencode({"division": village})
        return _("Listed for key cultivation: %(names)s") % {"names": names}, _("Open the notice board"), url
    url = (
        reverse("assessments:incumbent-proposal-detail", args=[records[0].pk])
        if len(records) == 1
        else reverse("assessments:incumbent-proposals")
    )
    return _("Adjustment proposal generated: %(names)s") % {"names": names}, _("Open the proposal"), url


def announce_fired(request, collected: list[fired.Fired]) -> None:
    """One message per kind of record the rules created, linking to it (or to its list when many)."""
    # Only what is still there: a record of a save that was rolled back is not announced (one query a model).
    asked: dict[type, set[int]] = {}
    for item in collected:
        asked.setdefault(type(item.record), set()).add(item.record.pk)
    present = {
        model: set(model.objects.filter(pk__in=pks).values_list("pk", flat=True))
        for model, pks in asked.items()
    }
    by_outcome: dict[str, list] = {}
    for item in collected:
        if item.record.pk in present[type(item.record)]:
            by_outcome.setdefault(item.outcome, []).append(item.record)
    for outcome, records in by_outcome.items():
        text, link, url = _fired_message(outcome, records)
        messages.warning(request, format_html('{} <a class="alert-link" href="{}">{} →</a>', text, url, link))


def announces_fired_rules(view):
    """A page whose save may make a rule fire: what the rules created is said after a successful save (a
    redirect), with a link (已生成出库建议 →, 已列为重点培养对象 →, 已生成调整建议 →)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with fired.collecting() as collected:
            response = view(request, *args, **kwargs)
        if collected and 300 <= response.status_code < 400:
            announce_fired(request, collected)
        return response

    return wrapper
