"""People as they stood on a date (attributes on D), rebuilt from the change history, in one SQL query.

DOMAIN.md, "Dates": a person's attributes on D are those recorded as valid on D. The archive keeps its field
history with simple-history, so the state of a person on D is his latest history row recorded before the end
of D. A person typed in after D (a roster imported today that says 入库时间 2020.06) has no row on or before
D: his earliest row, the state he was first recorded with, stands for D.

The highest education is rebuilt from the education records' own history (a record counts when its latest
history row before the cut-off is not a deletion); the cut-off is the end of D, or, for a person recorded
after D, the moment of his next change (so: the state he was first recorded with). A person whose education
records carry no history at all falls back to the `highest_education` of his row; a person without any
history row (rows bulk-loaded outside the services) is taken as he is today.

`States` writes this as one set-based SQL query (window functions, no per-person subqueries) over the ids a
caller gives as a queryset; the figures are conditional sums over it (`count_sql`) and the lists behind them
plain selections (`rows`). It runs on SQLite (3.25 or later) and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from yanzhen.people.models import EducationRecord, Person

HistoricalPerson = Person.history.model
HistoricalEducation = EducationRecord.history.model
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)


def end_of_day(on: date) -> datetime:
    """The first instant after the day, in the project's time zone (history dates are instants)."""
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))


# The columns of a state: the Person fields the figures and the lists read, and `education` (the highest
# education code on the date, "" or NULL when none was recorded).
STATE_COLUMNS = [
    "id",
    "name",
    "gender",
    "birth_date",
    "political_status",
    "source_id",
    "has_industry_experience",
    "village_id",
    "ethnicity",
    "id_number_masked",
    "phone_masked",
    "highest_education",
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
    """Whole years on a date in SQL with the backend's own date functions: the birthday itself counts (as
    `people.models.age_on`)."""
    quoted = connection.ops.quote_name(column)
    parts, params = {}, []
    for unit in ("year", "month", "day"):
        sql, unit_params = connection.ops.date_extract_sql(unit, quoted, ())
        parts[unit] = (sql, list(unit_params))
    year, month, day = parts["year"], parts["month"], parts["day"]
    sql = f"(%s - {year[0]} - CASE WHEN {month[0]} > %s OR ({month[0]} = %s AND {day[0]} > %s) THEN 1 ELSE 0 END)"
    params = [on.year, *year[1], *month[1], on.month, *month[1], on.month, *day[1], on.day]
    return sql, params


def _timestamp_parameter() -> str:
    """A placeholder for an instant that PostgreSQL types as one even in a SELECT list."""
    return "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"


def states_sql(
    ids_sql: str, ids_params: list, on: date, extra: list[str] | None = None, *, unique: bool = False
) -> tuple[str, list]:
    """The SQL of the states on `on` of the people whose ids the query `ids_sql` selects: a column
    `person_id`, one row per person, and any further columns, which the states carry along (flags of the
    groups a person belongs to, for conditional counts in the same pass), named in `extra`.

    Most people have not changed since D: no history row of theirs, of the archive or of an education record,
    is dated at or after the end of D. Their latest history row is their current row (every write of the
    state's columns goes through history), and every education record's latest row is before the cut-off,
    so their state is read from the current rows (`current`, `current_education`), without sorting history.
    Only the people changed since D (`later`: none when D is today) are rebuilt from the history rows
    (`ranked`, `rebuilt`, `records`). Both halves give what rebuilding everyone would give.

    `unique`: the query gives each person once already (grouped by person), so no DISTINCT is needed; the
    planner then estimates the people's number from the grouping instead of guessing far too few."""
    q = connection.ops.quote_name
    extra = [column for column in extra or [] if column != "person_id"]
    carried = "".join(f", {q(column)}" for column in extra)
    carried_from_ids = "".join(f", ids.{q(column)}" for column in extra)
    people, history, educations, records_table = (
        q(Person._meta.db_table),
        q(HistoricalPerson._meta.db_table),
        q(HistoricalEducation._meta.db_table),
        q(EducationRecord._meta.db_table),
    )
    names = ", ".join(q(column) for column in STATE_COLUMNS)
    from_history = ", ".join(f"h.{q(column)}" for column in STATE_COLUMNS)
    from_people = ", ".join(f"p.{q(column)}" for column in STATE_COLUMNS)
    instant = _timestamp_parameter()
    date_, id_, history_id, person_id = q("history_date"), q("id"), q("history_id"), q("person_id")
    education = q("education")
    selected = ", ".join(f"s.{q(column)}" for column in STATE_COLUMNS + extra)
    sql = f"""
WITH ids AS (SELECT {"" if unique else "DISTINCT "}given.* FROM ({ids_sql}) AS given),
later AS (
    SELECT h.{id_} AS person_id FROM {history} h WHERE h.{date_} >= {instant}
    UNION SELECT e.{person_id} FROM {educations} e WHERE e.{date_} >= {instant}
),
changed AS (SELECT ids.* FROM ids WHERE ids.{person_id} IN (SELECT person_id FROM later)),
ranked AS (
    SELECT {from_history}{carried_from_ids}, h.{date_} AS recorded_at,
        ROW_NUMBER() OVER (PARTITION BY h.{id_} ORDER BY
            CASE WHEN h.{date_} < {instant} THEN 0 ELSE 1 END,
            CASE WHEN h.{date_} < {instant} THEN h.{date_} END DESC,
            CASE WHEN h.{date_} < {instant} THEN h.{history_id} END DESC,
            h.{date_}, h.{history_id}) AS rank_,
        LEAD(h.{date_}) OVER (PARTITION BY h.{id_} ORDER BY h.{date_}, h.{history_id}) AS next_change
    FROM changed ids JOIN {history} h ON h.{id_} = ids.{person_id}
),
rebuilt AS (
    SELECT {names}{carried},
        CASE WHEN recorded_at < {instant} THEN {instant} ELSE COALESCE(next_change, {instant}) END AS cutoff
    FROM ranked WHERE rank_ = 1
),
records AS (
    SELECT e.{person_id} AS person_id, e.{education} AS education, e.{q("history_type")} AS kind,
        CASE WHEN e.{date_} < s.cutoff THEN 1 ELSE 0 END AS before_cutoff,
        ROW_NUMBER() OVER (
            PARTITION BY e.{id_}, CASE WHEN e.{date_} < s.cutoff THEN 1 ELSE 0 END
            ORDER BY e.{date_} DESC, e.{history_id} DESC) AS rank_
    FROM rebuilt s JOIN {educations} e ON e.{person_id} = s.{id_}
),
highest AS (
    SELECT person_id,
        MIN(CASE WHEN before_cutoff = 1 AND rank_ = 1 AND kind <> '-' THEN education END) AS education
    FROM records GROUP BY person_id
),
current AS (
    SELECT {from_people}{carried_from_ids} FROM ids JOIN {people} p ON p.{id_} = ids.{person_id}
    WHERE ids.{person_id} NOT IN (SELECT {id_} FROM rebuilt)
),
current_education AS (
    SELECT r.{person_id} AS person_id, MIN(r.{education}) AS education
    FROM ids JOIN {records_table} r ON r.{person_id} = ids.{person_id}
    WHERE r.{id_} IN (SELECT e.{id_} FROM {educations} e)
    GROUP BY r.{person_id}
),
with_education_history AS (
    SELECT ids.{person_id} AS person_id FROM ids
    WHERE EXISTS (SELECT 1 FROM {educations} e WHERE e.{person_id} = ids.{person_id})
)
SELECT {selected},
    CASE WHEN highest.person_id IS NULL THEN s.{q("highest_education")} ELSE highest.education END
        AS {education}
FROM rebuilt s LEFT JOIN highest ON highest.person_id = s.{id_}
UNION ALL
SELECT {selected},
    CASE WHEN w.person_id IS NULL THEN s.{q("highest_education")} ELSE c.education END AS {education}
FROM current s LEFT JOIN with_education_history w ON w.person_id = s.{id_}
    LEFT JOIN current_education c ON c.person_id = s.{id_}
"""
    end, far = _adapt(end_of_day(on)), _adapt(FAR_FUTURE)
    return sql, [*ids_params, end, end, end, end, end, end, end, far]


@contextmanager
def tuned():
    """Run the statistics queries inside with PostgreSQL tuned for them (one transaction, settings local to
    it): no JIT, because the planner's row estimates for the window-function CTEs are far too high and
    compiling would cost more than running; and the random page cost of data held in memory, so a county's
    few hundred people are read through the indexes instead of by scanning the province's tables."""
    if (
        connection.vendor != "postgresql"
        or getattr(connection, "stats_tuned", False)
        or connection.settings_dict.get("OPTIONS", {}).get("options") == settings.PG_SESSION_OPTIONS
    ):
        yield  # not PostgreSQL, already tuned, or every connection starts tuned (settings.PG_SESSION_OPTIONS)
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('random_page_cost', '1.1', true)"
            )
        connection.stats_tuned = True
        try:
            yield
        finally:
            connection.stats_tuned = False


@contextmanager
def _cursor():
    with tuned(), connection.cursor() as cursor:
        yield cursor


def _grouped_by_person(query) -> bool:
    """True when the query is grouped by the person id, alone or with the other columns it selects
    (`.values("person_id"[, "county"]).annotate(...)`): each row comes once."""
    group_by = query.group_by
    return isinstance(group_by, tuple) and any(
        getattr(getattr(column, "target", None), "attname", None) == "person_id" for column in group_by
    )


@dataclass
class States:
    """The people of a queryset of ids as they stood on a date (see the module docstring)."""

    person_ids: QuerySet
    on: date

    @classmethod
    def of(cls, person_ids: QuerySet, on: date) -> States:
        return cls(person_ids, on)

    def sql(self) -> tuple[str, list]:
        query = self.person_ids.order_by().query
        ids_sql, ids_params = query.sql_with_params()
        extra = [*query.values_select, *query.annotation_select]
        return states_sql(ids_sql, list(ids_params), self.on, extra, unique=_grouped_by_person(query))

    def count_sql(
        self,
        counts: Mapping[str, Condition],
        *,
        age_sum_on: date | None = None,
        sums: dict[str, tuple[str, list]] | None = None,
    ) -> dict[str, int]:
        """Conditional counts over the states in one query: {"total": n, name: count, ...}; with
        `age_sum_on` the sum of the whole-year ages on that date as "age_sum"; `sums` adds SUM(sql) as
        "sum:<name>"."""
        return self.grouped_counts(counts, None, age_sum_on=age_sum_on, sums=sums)[None]

    def grouped_counts(
        self,
        counts: Mapping[str, Condition],
        by: str | None,
        *,
        age_sum_on: date | None = None,
        sums: dict[str, tuple[str, list]] | None = None,
    ) -> dict:
        """The counts of `count_sql` per value of the column `by`, which the ids' query carries (the county
        of each row, for the per-county figures): {value: {"total": n, ...}}. `by=None`: one group, None."""
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
        group = connection.ops.quote_name(by) if by else "NULL"
        grouping = f" GROUP BY {group}" if by else ""
        with _cursor() as cursor:
            cursor.execute(
                f"SELECT {group}, {', '.join(selects)} FROM ({inner}) AS states{grouping}",
                params + inner_params,
            )
            rows = cursor.fetchall()
        return {
            key: {name: int(value or 0) for name, value in zip(names, values, strict=True)}
            for key, *values in rows
        }

    def rows(self, condition: Condition | None = None) -> list[dict]:
        """The states that meet the condition, ordered by village and name, as dicts of STATE_COLUMNS and
        `education`."""
        inner, inner_params = self.sql()
        where, params = condition_sql(condition if condition is not None else Q())
        q = connection.ops.quote_name
        with _cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({inner}) AS states WHERE {where} "
                f"ORDER BY {q('village_id')}, {q('name')}, {q('id')}",
                inner_params + params,
            )
            names = [column[0] for column in cursor.description]
            found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in found:
            # SQLite hands back dates as text here: the same types on both databases.
            if isinstance(row["birth_date"], str):
                row["birth_date"] = date.fromisoformat(row["birth_date"])
        return found

    def count(self) -> int:
        return self.count_sql({})["total"]
