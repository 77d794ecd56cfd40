"""Reads of cultivation, always from `Model.objects.restrict(user)`: a record outside the user's
jurisdiction is not found (404), like a missing one.

Dates decide, not the moment of typing: "overdue on D" means the due or planned end date is before D; an
activity is active on D when it started on or before D and its last day is D or later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from yanzhen.candidacies.models import Candidacy
from yanzhen.core.guards import get_for_view, today
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.cultivation.models import (
    CyclicProgramme,
    DegreeStudy,
    Enrolment,
    GrowthPlan,
    GrowthPlanItem,
    ItemKind,
    Mentor,
    Mentorship,
    PracticeAssignment,
    PracticePost,
    Secondment,
    StudyState,
    Training,
)
from yanzhen.cultivation.services.common import county_code, rules_for
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

MODEL_VILLAGE_TAGS = ("示范村", "明星村")
ZERO = Decimal("0")


# -- access ------------------------------------------------------------------------------------------------


def can_manage(user, division_code: str) -> bool:
    """May the user change an activity organised by (or belonging to) this division code?"""
    return bool(user.can_edit and code_in_jurisdiction(user, division_code))


def user_county(user) -> str | None:
    prefix = jurisdiction_prefix(user)
    if not prefix or len(prefix) < CODE_LENGTH[Level.COUNTY]:
        return None
    return prefix[: CODE_LENGTH[Level.COUNTY]]


def visible_people(user):
    return Person.objects.restrict(user).select_related("village", "village__parent")


def get_person(user, pk) -> Person:
    return get_for_view(visible_people(user), user, pk=pk)


# -- trainings ---------------------------------------------------------------------------------------------


def training_years(user) -> list[int]:
    """Years in which trainings inside the user's jurisdiction start, newest first."""
    return [day.year for day in Training.objects.restrict(user).dates("start", "year", order="DESC")]


def trainings(user, *, year: int | None = None, kind: str = ""):
    """Trainings the user sees, each with the number of its participants the user sees."""
    mine = Enrolment.objects.restrict(user).filter(training=OuterRef("pk"))
    queryset = Training.objects.restrict(user).select_related("division")
    if year:
        queryset = queryset.in_year(year)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.annotate(
        participants=Coalesce(
            mine.values("training").annotate(n=Count("pk")).values("n")[:1],
            Value(0),
            output_field=IntegerField(),
        )
    )


def get_training(user, pk) -> Training:
    return get_for_view(Training.objects.select_related("division"), user, pk=pk)


def roster(user, training: Training):
    """The participants of a training the user sees: his own people, or all when he runs it."""
    return (
        Enrolment.objects.restrict(user)
        .filter(training=training)
        .select_related("person", "person__village", "person__village__parent")
        .order_by("person__village_id", "person__name_pinyin", "person_id")
    )


@dataclass
class HoursRow:
    person: Person
    hours: Decimal
    trainings: int
    minimum: Decimal

    @property
    def shortfall(self) -> Decimal:
        return max(self.minimum - self.hours, ZERO)


def hours_by_person(people_ids, year: int) -> dict[int, tuple[Decimal, int]]:
    """Credited hours and the number of trainings per person for the trainings that end in `year`."""
    rows = (
        Enrolment.objects.filter(person_id__in=people_ids, training__end__year=year)
        .values("person_id")
        .annotate(total=Coalesce(Sum("attended_hours"), Value(ZERO)), count=Count("pk"))
    )
    return {row["person_id"]: (row["total"], row["count"]) for row in rows}


def person_hours(person: Person, year: int) -> Decimal:
    return hours_by_person([person.pk], year).get(person.pk, (ZERO, 0))[0]


def _minimums(people) -> dict[str, Decimal]:
    counties = {county_code(person.village_id) for person in people}
    return {code: rules_for(code).yearly_minimum_hours for code in counties}


def yearly_hours(user, year: int) -> list[HoursRow]:
    """Everyone the user sees who took part in a training ending in `year`, with his credited hours."""
    people = visible_people(user).filter(enrolments__training__end__year=year).distinct()
    people = list(people.order_by("village_id", "name_pinyin", "id"))
    totals = hours_by_person([person.pk for person in people], year)
    minimums = _minimums(people)
    return [
        HoursRow(person, *totals.get(person.pk, (ZERO, 0)), minimums[county_code(person.village_id)])
        for person in people
    ]


def reporting_day(year: int, on: date | None = None) -> date:
    """The day a year is judged on: its last day, or today while the year runs."""
    on = on or today()
    return min(on, date(year, 12, 31))


def under_minimum(user, year: int, on: date | None = None) -> list[HoursRow]:
    """The reserves (in the pool on the reporting day) whose credited hours in `year` are below their
    county's yearly minimum, fewest hours first."""
    day = reporting_day(year, on)
    pool = Candidacy.objects.restrict(user).in_pool_on(day).values("person_id")
    people = list(visible_people(user).filter(pk__in=pool).order_by("village_id", "name_pinyin", "id"))
    totals = hours_by_person([person.pk for person in people], year)
    minimums = _minimums(people)
    rows = [
        HoursRow(person, *totals.get(person.pk, (ZERO, 0)), minimums[county_code(person.village_id)])
        for person in people
    ]
    return sorted(
        (row for row in rows if row.hours < row.minimum), key=lambda row: (row.hours, row.person.name)
    )


# -- mentoring ---------------------------------------------------------------------------------------------


def mentors(user, on: date | None = None):
    on = on or today()
    active = Mentorship.objects.active_on(on).filter(mentors=OuterRef("pk"))
    return (
        Mentor.objects.restrict(user)
        .select_related("division", "person")
        .annotate(
            load=Coalesce(
                active.values("mentors").annotate(n=Count("pk")).values("n")[:1],
                Value(0),
                output_field=IntegerField(),
            )
        )
    )


def mentorships(user, *, active_on: date | None = None):
    queryset = (
        Mentorship.objects.restrict(user)
        .select_related("mentee", "mentee__village", "mentee__village__parent")
        .prefetch_related("mentors")
    )
    if active_on is not None:
        queryset = queryset.active_on(active_on)
    return queryset


def get_mentorship(user, pk) -> Mentorship:
    return get_for_view(
        Mentorship.objects.select_related("mentee", "mentee__village").prefetch_related("mentors"),
        user,
        pk=pk,
    )


@dataclass
class Suggestion:
    mentor: Mentor
    same_township: bool
    matches: list[str]
    load: int
    cap: int


def suggest_mentors(user, person: Person, on: date | None = None, limit: int = 10) -> list[Suggestion]:
    """Mentors for a reserve: those of his own township first, then those sharing most of his skills and
    industries, then the least busy. Mentors at their cap, inactive ones, the person himself and his
    current mentors are left out."""
    on = on or today()
    township = person.village_id[: CODE_LENGTH[Level.TOWNSHIP]]
    wanted_skills = set(person.skills.values_list("name", flat=True))
    wanted_industries = set(person.industries.values_list("name", flat=True))
    current = Mentorship.objects.active_on(on).filter(mentee=person).values("mentors")
    candidates = (
        mentors(user, on)
        .filter(active=True)
        .exclude(pk__in=current)
        .exclude(person=person)
        .prefetch_related("skills", "industries", "person__skills", "person__industries")
    )
    suggestions = []
    caps: dict[str, int] = {}
    for mentor in candidates:
        county = county_code(mentor.division_id)
        if county not in caps:
            caps[county] = rules_for(county).mentee_cap
        cap = caps[county]
        if mentor.load >= cap:
            continue
        skills = {skill.name for skill in mentor.skills.all()}
        industries = {industry.name for industry in mentor.industries.all()}
        if mentor.person is not None:
            skills |= {skill.name for skill in mentor.person.skills.all()}
            industries |= {industry.name for industry in mentor.person.industries.all()}
        matches = sorted(wanted_skills & skills) + sorted(wanted_industries & industries)
        suggestions.append(
            Suggestion(mentor, mentor.division_id.startswith(township), matches, mentor.load, cap)
        )
    suggestions.sort(key=lambda s: (not s.same_township, -len(s.matches), s.load, s.mentor.name, s.mentor.pk))
    return suggestions[:limit]


# -- secondments and practice posts ------------------------------------------------------------------------


def secondments(user, *, overdue_on: date | None = None, kind: str = ""):
    queryset = Secondment.objects.restrict(user).select_related(
        "person", "person__village", "person__village__parent", "host", "host__parent"
    )
    if overdue_on is not None:
        queryset = queryset.overdue(overdue_on).order_by("planned_end", "id")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def get_secondment(user, pk) -> Secondment:
    return get_for_view(Secondment.objects.select_related("person", "person__village", "host"), user, pk=pk)


def host_choices(county: str | None, level: int = Level.VILLAGE):
    """Possible hosts in a county; for villages the model villages (示范村, 明星村) come first. Village names
    and tags are not personal data, so a township clerk may pick a host in another township."""
    if not county:
        return Division.objects.none()
    model = Division.tags.through.objects.filter(
        division_id=OuterRef("pk"), villagetag__name__in=MODEL_VILLAGE_TAGS
    )
    return (
        Division.objects.filter(code__startswith=county, level=level)
        .select_related("parent")
        .annotate(is_model=Exists(model))
        .order_by("-is_model", "code")
    )


def practice_posts(user, *, active_on: date | None = None):
    queryset = PracticePost.objects.restrict(user).select_related(
        "person", "person__village", "person__village__parent", "post_type"
    )
    if active_on is not None:
        queryset = queryset.active_on(active_on)
    return queryset


def get_practice_post(user, pk) -> PracticePost:
    return get_for_view(PracticePost.objects.select_related("person", "term"), user, pk=pk)


# -- cyclic training ---------------------------------------------------------------------------------------


def cyclic_programmes(user):
    return (
        CyclicProgramme.objects.restrict(user)
        .select_related("division")
        .annotate(round_count=Count("rounds"))
    )


def get_cyclic_programme(user, pk) -> CyclicProgramme:
    return get_for_view(CyclicProgramme.objects.select_related("division"), user, pk=pk)


@dataclass
class RoundCell:
    enrolment: Enrolment | None
    assignment: PracticeAssignment | None


@dataclass
class TraineeProgress:
    trainee: Person
    cells: list[RoundCell]

    @property
    def judged(self) -> int:
        return sum(1 for cell in self.cells if cell.assignment and cell.assignment.judged_on)

    @property
    def average_score(self) -> Decimal | None:
        scores = [
            cell.assignment.score
            for cell in self.cells
            if cell.assignment and cell.assignment.score is not None
        ]
        return (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None


def cyclic_progress(user, programme: CyclicProgramme) -> tuple[list, list[TraineeProgress]]:
    """Each trainee the user sees, round by round: attendance at the concentrated training and the practice
    assignment with its judgement."""
    rounds = list(programme.rounds.select_related("training").order_by("number"))
    trainees = programme.trainees.select_related("village", "village__parent").order_by(
        "village_id", "name_pinyin", "id"
    )
    if not code_in_jurisdiction(user, programme.division_id):
        # Not the organiser: his own trainees only.
        trainees = trainees.filter(pk__in=Person.objects.restrict(user).values("pk"))
    trainees = list(trainees)
    enrolments = {
        (e.training_id, e.person_id): e
        for e in Enrolment.objects.filter(training__cyclic_round__programme=programme)
    }
    assignments = {
        (a.round_id, a.trainee_id): a for a in PracticeAssignment.objects.filter(round__programme=programme)
    }
    rows = [
        TraineeProgress(
            trainee,
            [
                RoundCell(enrolments.get((r.training_id, trainee.pk)), assignments.get((r.pk, trainee.pk)))
                for r in rounds
            ],
        )
        for trainee in trainees
    ]
    return rounds, rows


def get_assignment(user, pk) -> PracticeAssignment:
    return get_for_view(
        PracticeAssignment.objects.select_related("round__programme", "round__training", "trainee"),
        user,
        pk=pk,
    )


# -- degree upgrading --------------------------------------------------------------------------------------


def degree_studies(user, *, state: str = ""):
    queryset = DegreeStudy.objects.restrict(user).select_related(
        "person", "person__village", "person__village__parent"
    )
    return queryset.filter(state=state) if state else queryset


def get_degree_study(user, pk) -> DegreeStudy:
    return get_for_view(DegreeStudy.objects.select_related("person"), user, pk=pk)


# -- the growth plan ---------------------------------------------------------------------------------------


class ItemState:
    DONE = "done"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"


@dataclass
class ItemStatus:
    item: GrowthPlanItem
    state: str
    done_on: date | None


def _until(day: date | None, on: date) -> date | None:
    """`day` when it has come by `on`, else None."""
    return day if day is not None and day <= on else None


def _training_done_on(link, person_id: int, on: date) -> date | None:
    done = link.enrolments.filter(person_id=person_id, completed=True).exists()
    return _until(link.end, on) if done else None


def _cyclic_done_on(link, person_id: int, on: date) -> date | None:
    assignments = PracticeAssignment.objects.filter(round__programme=link, trainee_id=person_id)
    judged = [a.judged_on for a in assignments]
    if judged and all(day is not None and day <= on for day in judged):
        return max(judged)
    return None


def _degree_done_on(link, person_id: int, on: date) -> date | None:
    return _until(link.finished_on, on) if link.state == StudyState.GRADUATED else None


# What shows a step of each kind done, read from the record it is linked to.
_LINKED_DONE_ON = {
    ItemKind.TRAINING: _training_done_on,
    ItemKind.CYCLIC: _cyclic_done_on,
    ItemKind.MENTORING: lambda link, person_id, on: _until(link.end, on),
    ItemKind.PRACTICE_POST: lambda link, person_id, on: _until(link.end, on),
    ItemKind.SECONDMENT: lambda link, person_id, on: _until(link.reported_on, on),
    ItemKind.DEGREE: _degree_done_on,
}


def _linked_done_on(item: GrowthPlanItem, person_id: int, on: date) -> date | None:
    """When the linked record shows the step done (on or before `on`), that day; else None."""
    link = item.linked
    done_on = _LINKED_DONE_ON.get(item.kind)
    if link is None or done_on is None:
        return None
    return done_on(link, person_id, on)


def item_status(item: GrowthPlanItem, person_id: int, on: date) -> ItemStatus:
    done_on = item.done_on if item.done_on and item.done_on <= on else _linked_done_on(item, person_id, on)
    if done_on is not None:
        return ItemStatus(item, ItemState.DONE, done_on)
    if item.due < on:
        return ItemStatus(item, ItemState.OVERDUE, None)
    if item.planned_start <= on:
        return ItemStatus(item, ItemState.IN_PROGRESS, None)
    return ItemStatus(item, ItemState.PLANNED, None)


@dataclass
class Growth:
    """What a reserve has done and has yet to do, for the plan page and the archive."""

    person: Person
    on: date
    plan: GrowthPlan | None
    statuses: list[ItemStatus] = field(default_factory=list)
    hours: Decimal = ZERO
    minimum: Decimal = ZERO
    enrolments: list = field(default_factory=list)
    mentorships: list = field(default_factory=list)
    secondments: list = field(default_factory=list)
    practice_posts: list = field(default_factory=list)
    degree_studies: list = field(default_factory=list)
    cyclic_programmes: list = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for status in self.statuses if status.state == ItemState.DONE)

    @property
    def overdue(self) -> list[ItemStatus]:
        return [status for status in self.statuses if status.state == ItemState.OVERDUE]

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.statuses)) if self.statuses else 0

    @property
    def below_minimum(self) -> bool:
        return self.hours < self.minimum


def growth(user, person: Person, on: date | None = None) -> Growth:
    """The growth plan of a person the user sees (the caller fetched him through the jurisdiction) with
    the status of each item on `on`, his training hours this year and his cultivation records."""
    on = on or today()
    plan = GrowthPlan.objects.restrict(user).filter(person=person).first()
    items = (
        list(
            plan.items.select_related(
                "training", "cyclic_programme", "mentorship", "practice_post", "secondment", "degree_study"
            )
        )
        if plan
        else []
    )
    return Growth(
        person=person,
        on=on,
        plan=plan,
        statuses=[item_status(item, person.pk, on) for item in items],
        hours=person_hours(person, on.year),
        minimum=rules_for(person.village_id).yearly_minimum_hours,
        enrolments=list(
            Enrolment.objects.restrict(user)
            .filter(person=person)
            .select_related("training")
            .order_by("-training__start")
        ),
        mentorships=list(Mentorship.objects.restrict(user).filter(mentee=person).prefetch_related("mentors")),
        secondments=list(Secondment.objects.restrict(user).filter(person=person).select_related("host")),
        practice_posts=list(
            PracticePost.objects.restrict(user).filter(person=person).select_related("post_type")
        ),
        degree_studies=list(DegreeStudy.objects.restrict(user).filter(person=person)),
        cyclic_programmes=list(CyclicProgramme.objects.restrict(user).filter(trainees=person)),
    )


def overdue_items(user, on: date | None = None) -> list[ItemStatus]:
    """Growth plan items past their due date and not done, inside the user's jurisdiction."""
    on = on or today()
    candidates = (
        GrowthPlanItem.objects.restrict(user)
        .filter(due__lt=on)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=on))
        .select_related(
            "plan__person",
            "plan__person__village",
            "plan__person__village__parent",
            "training",
            "cyclic_programme",
            "mentorship",
            "practice_post",
            "secondment",
            "degree_study",
        )
        .order_by("due", "id")
    )
    statuses = [item_status(item, item.plan.person_id, on) for item in candidates]
    return [status for status in statuses if status.state == ItemState.OVERDUE]


def dashboard(user, on: date | None = None) -> dict:
    on = on or today()
    return {
        "on": on,
        "trainings_this_year": trainings(user, year=on.year).count(),
        "active_mentorships": mentorships(user, active_on=on).count(),
        "active_secondments": Secondment.objects.restrict(user)
        .filter(start__lte=on, planned_end__gte=on, actual_end__isnull=True)
        .count(),
        "overdue_secondments": list(secondments(user, overdue_on=on)[:20]),
        "overdue_items": overdue_items(user, on)[:20],
        "under_minimum": under_minimum(user, on.year, on),
        "active_practice_posts": practice_posts(user, active_on=on).count(),
        "studying": degree_studies(user, state=StudyState.STUDYING).count(),
        "county": user_county(user),
    }


# -- for the statistics' warnings --------------------------------------------------------------------------


def people_with_hours(year: int):
    """The ids of the people credited with hours in a training that starts in `year` (the dashboard's
    warning "reserves without training hours this year")."""
    return Enrolment.objects.filter(training__start__year=year, attended_hours__gt=0).values("person_id")
