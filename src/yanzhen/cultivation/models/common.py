"""What every part of cultivation shares: the county's rules and the jurisdiction of organised activities.

Periods in this app (a training's dates, a mentorship, a secondment, a practice post, a round's practice)
are inclusive: `end` is the last day of the activity, as the clerk writes "2024-05-06 至 2024-05-10".
Where a period is handed to the posts app, whose terms end on the first day no longer held, the services
convert at that boundary.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet, jurisdiction_prefix
from yanzhen.core.model_fields import county_key
from yanzhen.core.models import CountySettings


class CultivationRules(CountySettings):
    """The cultivation rules a county organisation department sets. `rules_for` gives the defaults (an unsaved
    row) while the county has set none."""

    county = county_key("cultivation_rules")
    yearly_minimum_hours = models.DecimalField(
        _("yearly minimum training hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("32"),
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=_("Reserves with fewer credited hours in a year are listed."),
    )
    mentee_cap = models.PositiveSmallIntegerField(
        _("maximum active mentees per mentor"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    secondment_minimum_months = models.PositiveSmallIntegerField(
        _("shortest planned secondment (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    secondment_maximum_months = models.PositiveSmallIntegerField(
        _("longest planned secondment (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    concentrated_minimum_days = models.PositiveSmallIntegerField(
        _("shortest concentrated training of a round (days)"), default=3
    )
    concentrated_maximum_days = models.PositiveSmallIntegerField(
        _("longest concentrated training of a round (days)"), default=5
    )
    practice_minimum_months = models.PositiveSmallIntegerField(
        _("shortest practice in the village of a round (months)"), default=1
    )
    practice_maximum_months = models.PositiveSmallIntegerField(
        _("longest practice in the village of a round (months)"), default=2
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cultivation rules of a county")
        verbose_name_plural = _("cultivation rules of counties")


class OrganisedQuerySet(ScopedQuerySet):
    """An activity organised by a division for participants who may live elsewhere (a county's training,
    a county's cyclic programme).

    The rule: a user sees the activity when its organiser lies inside his jurisdiction (he runs it), or when
    at least one participant lives inside it (his people take part). In the second case he sees only his own
    participants: the participant rows carry their own scoping (`ParticipantQuerySet`). Managing the
    activity (editing it, enrolling, recording attendance) belongs to the organiser's jurisdiction.

    `participant_path` names the lookup from the activity to its participants' village code.
    """

    participant_path = ""

    def restrict(self, user, action="view"):
        return _restrict_either(
            self, user, action, self.model.jurisdiction_path, self.participant_path, pk=True
        )


class ParticipantQuerySet(ScopedQuerySet):
    """A participant row of an organised activity: seen by the participant's jurisdiction and by the
    organiser's. `organiser_path` names the lookup from the row to the organiser's division code."""

    organiser_path = ""

    def restrict(self, user, action="view"):
        return _restrict_either(self, user, action, self.model.jurisdiction_path, self.organiser_path)


def _restrict_either(queryset, user, action: str, path: str, other_path: str, *, pk: bool = False):
    """The rows inside the user's jurisdiction by `path` or by `other_path` (with `pk`: through a subquery
    of the same model, the participants being many). `action` as in `ScopedQuerySet.restrict`."""
    prefix = jurisdiction_prefix(user)
    if prefix is None or (action == "change" and not (user is not None and user.can_edit)):
        return queryset.none()
    if prefix == "":
        return queryset
    if pk:
        inside = queryset.model._default_manager.filter(**{f"{other_path}__startswith": prefix}).values("pk")
        other = Q(pk__in=inside)
    else:
        other = Q(**{f"{other_path}__startswith": prefix})
    return queryset.filter(Q(**{f"{path}__startswith": prefix}) | other)
