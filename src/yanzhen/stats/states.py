"""People as they stood on a date (attributes on D), rebuilt from the change history, in SQL.

DOMAIN.md, "Dates": a person's attributes on D are those recorded as valid on D. The archive keeps its field
history with simple-history, so the state of a person on D is his latest history row recorded before the end
of D. A person typed in after D (a roster imported today that says 入库时间 2020.06) has no row on or before
D: his earliest row, the state he was recorded with, stands for D.

The highest education is rebuilt from the education records' own history (a record counts on D when its
latest history row before the cut-off is not a deletion); the cut-off is the end of D, or, for a person
recorded after D, the moment of his next change (the state he was first recorded with). A person whose
education records carry no history falls back to the `highest_education` of his history row.

A person without any history row at all (rows bulk-loaded outside the services) is taken as he is today.

Everything here returns querysets; the callers aggregate them in the database. The two querysets of
`States` have the same field names (those of Person) plus `education`, so the same aggregate expressions run
on both and the results add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import models
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from yanzhen.people.models import EducationRecord, Person

HistoricalPerson = Person.history.model
HistoricalEducation = EducationRecord.history.model
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)


def end_of_day(on: date) -> datetime:
    """The first instant after the day, in the project's time zone (history dates are instants)."""
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))


def age_expression(on: date, field: str = "birth_date") -> models.Expression:
    """Whole years on a date, in SQL: the birthday itself counts (as `people.models.age_on`)."""
    before_birthday = Q(**{f"{field}__month__gt": on.month}) | Q(
        **{f"{field}__month": on.month, f"{field}__day__gt": on.day}
    )
    return (
        Value(on.year)
        - ExtractYear(field)
        - Case(When(before_birthday, then=Value(1)), default=Value(0), output_field=models.IntegerField())
    )


def _education_on() -> Subquery:
    """The highest education code among the records that existed at the outer row's `cutoff`.

    GB/T 4658 codes are two digits where a smaller code is a higher education (90 其他 is the largest), so
    the first code in ascending order is the highest."""
    newer = HistoricalEducation.objects.filter(
        id=OuterRef("id"),
        history_date__gt=OuterRef("history_date"),
        history_date__lt=OuterRef(OuterRef("cutoff")),
    )
    return Subquery(
        HistoricalEducation.objects.filter(person_id=OuterRef("id"), history_date__lt=OuterRef("cutoff"))
        .exclude(history_type="-")
        .filter(~Exists(newer))
        .order_by("education")
        .values("education")[:1]
    )


@dataclass
class States:
    """The people of `person_ids` as they stood on `on`: `recorded` (history rows) and `unrecorded`
    (people without any history row, as they are today)."""

    recorded: QuerySet
    unrecorded: QuerySet

    @classmethod
    def of(cls, person_ids: QuerySet, on: date, *, education: bool = True) -> States:
        end = end_of_day(on)
        latest = (
            HistoricalPerson.objects.filter(id=OuterRef("pk"), history_date__lt=end)
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        earliest = (
            HistoricalPerson.objects.filter(id=OuterRef("pk"))
            .order_by("history_date", "history_id")
            .values("history_id")[:1]
        )
        chosen = (
            Person.objects.filter(pk__in=person_ids)
            .annotate(state=Coalesce(Subquery(latest), Subquery(earliest)))
            .values("state")
        )
        recorded = HistoricalPerson.objects.filter(history_id__in=chosen)
        unrecorded = Person.objects.filter(pk__in=person_ids).filter(
            ~Exists(HistoricalPerson.objects.filter(id=OuterRef("pk")))
        )
        if education:
            next_change = (
                HistoricalPerson.objects.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date"))
                .order_by("history_date")
                .values("history_date")[:1]
            )
            recorded = recorded.annotate(
                cutoff=Case(
                    When(history_date__lt=end, then=Value(end, output_field=DateTimeField())),
                    default=Coalesce(Subquery(next_change), Value(FAR_FUTURE, output_field=DateTimeField())),
                    output_field=DateTimeField(),
                )
            ).annotate(education=Coalesce(_education_on(), F("highest_education")))
            unrecorded = unrecorded.annotate(education=F("highest_education"))
        return cls(recorded, unrecorded)

    def filter(self, condition: Q) -> States:
        return States(self.recorded.filter(condition), self.unrecorded.filter(condition))

    def aggregate(self, **aggregates) -> dict[str, int]:
        """The aggregates (counts and sums) over both querysets, added up."""
        totals: dict[str, int] = dict.fromkeys(aggregates, 0)
        for queryset in (self.recorded, self.unrecorded):
            for key, value in queryset.aggregate(**aggregates).items():
                totals[key] += value or 0
        return totals

    def count(self) -> int:
        return self.aggregate(n=Count("id"))["n"]
