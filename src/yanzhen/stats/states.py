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

from django.db import connection, models
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


def _education_at(cutoff) -> Case:
    """The highest education code among the records that existed at `cutoff` (a value, or an expression of
    the outer row); the row's own `highest_education` for a person whose records carry no history.

    GB/T 4658 codes are two digits where a smaller code is a higher education (90 其他 is the largest), so
    the first code in ascending order is the highest. A record existed at the cut-off when its latest
    history row before it is not a deletion."""
    inner_cutoff = OuterRef(cutoff) if isinstance(cutoff, OuterRef) else cutoff
    newer = HistoricalEducation.objects.filter(
        id=OuterRef("id"), history_date__gt=OuterRef("history_date"), history_date__lt=inner_cutoff
    )
    highest = (
        HistoricalEducation.objects.filter(person_id=OuterRef("id"), history_date__lt=cutoff)
        .exclude(history_type="-")
        .filter(~Exists(newer))
        .order_by("education")
        .values("education")[:1]
    )
    return Case(
        When(Exists(HistoricalEducation.objects.filter(person_id=OuterRef("id"))), then=Subquery(highest)),
        default=F("highest_education"),
    )


# The columns of the states that the SQL aggregates read (the fields of Person, and `education`).
STATE_COLUMNS = [
    "id",
    "gender",
    "birth_date",
    "political_status",
    "source_id",
    "has_industry_experience",
    "village_id",
]


@dataclass(frozen=True)
class RawCondition:
    """A condition already written in SQL over the state columns, with its parameters."""

    sql: str
    params: tuple = ()


Condition = Q | RawCondition
COMPARISONS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _adapt(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, str):
        return str(value)  # a TextChoices member as its plain value
    return value


def condition_sql(condition: Condition) -> tuple[str, list]:
    """A Q over the state columns as SQL: the lookups exact, gt, gte, lt, lte, in and isnull, combined with
    AND, OR and NOT, which is all the figures use. `source__isnull` reads the column source_id."""
    if isinstance(condition, RawCondition):
        return condition.sql, list(condition.params)
    pieces, params = [], []
    for child in condition.children:
        if isinstance(child, Q):
            sql, child_params = condition_sql(child)
        else:
            key, value = child
            name, _, lookup = key.partition("__")
            column = connection.ops.quote_name("source_id" if name == "source" else name)
            lookup = lookup or "exact"
            if lookup == "isnull":
                sql, child_params = f"{column} IS {'' if value else 'NOT '}NULL", []
            elif lookup == "in":
                values = [_adapt(item) for item in value]
                sql = f"{column} IN ({', '.join(['%s'] * len(values))})" if values else "1 = 0"
                child_params = values
            else:
                sql, child_params = f"{column} {COMPARISONS[lookup]} %s", [_adapt(value)]
        pieces.append(f"({sql})")
        params += child_params
    joined = f" {condition.connector} ".join(pieces) if pieces else "1 = 1"
    return (f"NOT ({joined})" if condition.negated else joined), params


def age_sql(on: date, column: str = "birth_date") -> tuple[str, list]:
    """Whole years on a date in SQL, as `age_expression`, with the backend's own date functions."""
    quoted = connection.ops.quote_name(column)
    parts, params = {}, []
    for unit in ("year", "month", "day"):
        sql, unit_params = connection.ops.date_extract_sql(unit, quoted, ())
        parts[unit] = (sql, list(unit_params))
    year, month, day = parts["year"], parts["month"], parts["day"]
    sql = f"(%s - {year[0]} - CASE WHEN {month[0]} > %s OR ({month[0]} = %s AND {day[0]} > %s) THEN 1 ELSE 0 END)"
    params = [on.year, *year[1], *month[1], on.month, *month[1], on.month, *day[1], on.day]
    return sql, params


def _history_rows(person: str = "pk"):
    return HistoricalPerson.objects.filter(id=OuterRef(person))


@dataclass
class States:
    """The people of `person_ids` as they stood on `on`, in three querysets with the same field names:

    - recorded on or before D: the latest history row before the end of D, education at the end of D;
    - recorded after D and never changed since (or never recorded in the history): the person as he is,
      which is the state he was recorded with;
    - recorded after D and changed since: his earliest history row, education just before the first change.
    """

    parts: list[QuerySet]
    education: bool = True

    @classmethod
    def of(cls, person_ids: QuerySet, on: date, *, education: bool = True) -> States:
        end = end_of_day(on)
        people = Person.objects.filter(pk__in=person_ids)
        recorded_before = Exists(_history_rows().filter(history_date__lt=end))
        rows = Subquery(
            _history_rows().order_by().values("id").annotate(n=Count("history_id")).values("n")[:1]
        )
        latest = (
            _history_rows()
            .filter(history_date__lt=end)
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        earliest = _history_rows().order_by("history_date", "history_id").values("history_id")[:1]
        before = HistoricalPerson.objects.filter(
            history_id__in=people.filter(recorded_before).annotate(state=Subquery(latest)).values("state")
        )
        unchanged = people.filter(~recorded_before).annotate(rows=Coalesce(rows, 0)).filter(rows__lte=1)
        first_of_changed = HistoricalPerson.objects.filter(
            history_id__in=people.filter(~recorded_before)
            .annotate(rows=rows)
            .filter(rows__gt=1)
            .annotate(state=Subquery(earliest))
            .values("state")
        )
        if education:
            before = before.annotate(education=_education_at(Value(end, output_field=DateTimeField())))
            unchanged = unchanged.annotate(education=F("highest_education"))
            next_change = (
                _history_rows("id")
                .filter(history_date__gt=OuterRef("history_date"))
                .order_by("history_date")
                .values("history_date")[:1]
            )
            first_of_changed = first_of_changed.annotate(
                cutoff=Coalesce(Subquery(next_change), Value(FAR_FUTURE, output_field=DateTimeField()))
            ).annotate(education=_education_at(OuterRef("cutoff")))
        return cls([before, unchanged, first_of_changed], education)

    def filter(self, condition: Q) -> States:
        return States([part.filter(condition) for part in self.parts], self.education)

    def sql(self) -> tuple[str, list]:
        """The states as one SQL query (UNION ALL of the parts) with the columns of STATE_COLUMNS, compiled
        once, for aggregates written in SQL over it (`count_sql`)."""
        columns = STATE_COLUMNS + (["education"] if self.education else [])
        pieces, params = [], []
        for index, part in enumerate(self.parts):
            sql, part_params = part.order_by().values(*columns).query.sql_with_params()
            pieces.append(f"SELECT * FROM ({sql}) AS part{index}")
            params += list(part_params)
        return " UNION ALL ".join(pieces), params

    def count_sql(
        self,
        counts: dict[str, Condition],
        *,
        age_sum_on: date | None = None,
        sums: dict[str, tuple[str, list]] | None = None,
    ) -> dict[str, int]:
        """Conditional counts over the states in one query: {"total": n, name: count, ...}; with
        `age_sum_on` the sum of the whole-year ages on that date as "age_sum"; `sums` adds SUM(sql) as
        "sum:<name>"."""
        inner, inner_params = self.sql()
        selects, params, names = ["COUNT(*)"], [], ["total"]
        for name, condition in counts.items():
            sql, condition_params = condition_sql(condition)
            selects.append(f"SUM(CASE WHEN {sql} THEN 1 ELSE 0 END)")
            params += condition_params
            names.append(name)
        if age_sum_on is not None:
            sql, age_params = age_sql(age_sum_on)
            selects.append(f"SUM({sql})")
            params += age_params
            names.append("age_sum")
        for name, (sql, sum_params) in (sums or {}).items():
            selects.append(f"SUM({sql})")
            params += sum_params
            names.append(f"sum:{name}")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(selects)} FROM ({inner}) AS states", params + inner_params)
            row = cursor.fetchone()
        return {name: int(value or 0) for name, value in zip(names, row, strict=True)}

    def aggregate(self, **aggregates) -> dict[str, int]:
        """The aggregates (counts and sums) over every part, added up."""
        totals: dict[str, int] = dict.fromkeys(aggregates, 0)
        for queryset in self.parts:
            for key, value in queryset.aggregate(**aggregates).items():
                totals[key] += value or 0
        return totals

    def values(self, *fields: str) -> list[dict]:
        return [row for part in self.parts for row in part.values(*fields)]

    def count(self) -> int:
        return self.aggregate(n=Count("id"))["n"]
