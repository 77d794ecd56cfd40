"""Reads of 管, always starting from `Model.objects.restrict(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404

from yanzhen.assessments import rules
from yanzhen.assessments.models import (
    GRADE_NAMES,
    LEVEL_NAMES,
    AnnualReview,
    Assessment,
    AssessmentSettings,
    Checkup,
    CheckupCampaign,
    Commendation,
    CommendationLevel,
    DisciplineRecord,
    Grade,
    HonourKind,
    NoticeBoardEntry,
    ProposalState,
    RemovalProposal,
    SemiannualReport,
    ToleranceCase,
)
from yanzhen.assessments.periods import Period
from yanzhen.candidacies.models import CandidacyState
from yanzhen.core.guards import get_for_view, operator_scope, today
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person


def scope_division(user, code: str | None) -> Division | None:
    """The division a list page is about: the one asked for (404 outside the jurisdiction) or the user's
    own; None for an operator above every division who asked for none."""
    if code:
        return get_for_view(Division.objects.all(), user, code=code)
    return user.division if user.division_id else None


def reserves(user, period_start: date, period_end: date, under: str = ""):
    """People inside the user's jurisdiction who were in the pool during the range."""
    people = Person.objects.restrict(user).filter(
        pk__in=rules.reserves_during(period_start, period_end, under=under).values("pk")
    )
    return people.select_related("village", "village__parent").order_by("village_id", "name_pinyin", "id")


# -- assessments -------------------------------------------------------------------------------------------


@dataclass
class AssessmentRow:
    person: Person
    assessment: Assessment | None


def assessment_rows(user, period: Period, under: str = "") -> list[AssessmentRow]:
    """Every reserve of the division in the period with his assessment (or None: not yet assessed)."""
    people = list(reserves(user, period.start, period.end, under))
    by_person = {
        a.person_id: a
        for a in Assessment.objects.restrict(user).filter(
            person__in=[p.pk for p in people], year=period.year, half=period.half
        )
    }
    return [AssessmentRow(person, by_person.get(person.pk)) for person in people]


def grade_counts(rows: list[AssessmentRow]) -> dict[str, int]:
    counts = {grade: 0 for grade in Grade.values}
    for row in rows:
        if row.assessment is not None:
            counts[row.assessment.grade] += 1
    return counts


def get_assessment(user, pk: int) -> Assessment:
    return get_for_view(Assessment.objects.select_related("person__village", "entered_by"), user, pk=pk)


def assessments_of(user, *, year: int | None = None, half: int | None = None, under: str = ""):
    queryset = Assessment.objects.restrict(user).select_related("person__village")
    if year is not None:
        queryset = queryset.filter(year=year)
    if half is not None:
        queryset = queryset.filter(half=half)
    if under:
        queryset = queryset.filter(person__village__code__startswith=under)
    return queryset.order_by("-year", "-half", "person__village_id", "person__name_pinyin", "id")


# -- reports -----------------------------------------------------------------------------------------------


def get_report(user, pk: int) -> SemiannualReport:
    return get_for_view(
        SemiannualReport.objects.select_related("person__village", "submitted_by", "reviewed_by"), user, pk=pk
    )


def reports(user, period: Period, under: str = ""):
    queryset = SemiannualReport.objects.restrict(user).filter(year=period.year, half=period.half)
    if under:
        queryset = queryset.filter(person__village__code__startswith=under)
    return queryset.select_related("person__village", "reviewed_by").order_by(
        "person__village_id", "person__name"
    )


@dataclass
class OverdueRow:
    person: Person
    due_on: date


def overdue_reports(user, period: Period, on: date, under: str = "") -> list[OverdueRow]:
    """Reserves in the pool during the half-year whose report was not in by the county's due date."""
    people = reserves(user, period.start, period.end, under).exclude(
        pk__in=SemiannualReport.objects.filter(year=period.year, half=period.half).values("person_id")
    )
    rows = []
    settings_by_county: dict[str, object] = {}
    for person in people:
        county = rules.county_code(person.village_id)
        if county not in settings_by_county:
            settings_by_county[county] = rules.settings_for(county)
        due_on = rules.report_due_on(period, settings_by_county[county])  # type: ignore[arg-type]
        if due_on < on:
            rows.append(OverdueRow(person, due_on))
    return rows


def reports_of_person(person: Person):
    return person.semiannual_reports.select_related("reviewed_by").order_by("-year", "-half")


# -- proposals and the notice board ------------------------------------------------------------------------


def proposals_in(queryset, *, state: str | None, under: str, village: str):
    """The proposals (出库 or 调整) in `state` (all when None) whose village, reached by the path
    `village`, lies under the division code `under` (all when empty)."""
    if state:
        queryset = queryset.filter(state=state)
    if under:
        queryset = queryset.filter(**{f"{village}__code__startswith": under})
    return queryset


def proposals(user, state: str | None = ProposalState.PENDING, under: str = ""):
    queryset = RemovalProposal.objects.restrict(user).select_related(
        "person", "candidacy__village", "candidacy__village__parent", "decided_by"
    )
    queryset = proposals_in(queryset, state=state, under=under, village="candidacy__village")
    return queryset.order_by("candidacy__village_id", "person__name", "-created_at")


def get_proposal(user, pk: int) -> RemovalProposal:
    return get_for_view(
        RemovalProposal.objects.select_related(
            "person",
            "candidacy__village",
            "first_assessment",
            "second_assessment",
            "checkup__campaign",
            "decided_by",
        ),
        user,
        pk=pk,
    )


def notice_board(user, under: str = ""):
    """Reserves listed for introduction on the village notice board: active entries of candidacies still
    in the pool, by village."""
    queryset = NoticeBoardEntry.objects.restrict(user).filter(
        active=True, candidacy__state=CandidacyState.IN_POOL
    )
    if under:
        queryset = queryset.filter(candidacy__village__code__startswith=under)
    return (
        queryset.select_related("person", "candidacy__village", "candidacy__village__parent")
        .prefetch_related("candidacy__targets__post_type")
        .order_by("candidacy__village_id", "person__name_pinyin", "id")
    )


# -- campaigns ---------------------------------------------------------------------------------------------


def campaigns(user):
    return CheckupCampaign.objects.restrict(user).select_related("county", "opened_by")


def get_campaign(user, pk: int) -> CheckupCampaign:
    campaign = campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@dataclass
class ProgressRow:
    township: Division
    total: int = 0
    filled: int = 0
    conclusions: dict[str, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 0


def campaign_progress(user, campaign: CheckupCampaign) -> list[ProgressRow]:
    """Per township inside the user's jurisdiction: reserves in the pool during the campaign, and how many
    of them have a check-up."""
    people = reserves(user, campaign.start, campaign.end, campaign.county_id)
    totals: dict[str, int] = {}
    for village_code in people.values_list("village_id", flat=True):
        totals[village_code[:9]] = totals.get(village_code[:9], 0) + 1
    names = Division.objects.in_bulk(list(totals))
    rows = {
        code: ProgressRow(names[code], total=total) for code, total in sorted(totals.items()) if code in names
    }
    filled = (
        Checkup.objects.restrict(user)
        .filter(campaign=campaign, person__in=people)
        .values_list("person__village_id", "conclusion")
    )
    for village_code, conclusion in filled:
        row = rows.get(village_code[:9])
        if row is not None:
            row.filled += 1
            row.conclusions[conclusion] = row.conclusions.get(conclusion, 0) + 1
    return list(rows.values())


def campaign_people(user, campaign: CheckupCampaign, under: str):
    """The reserves of a division in the campaign with their check-up (or None)."""
    people = list(reserves(user, campaign.start, campaign.end, under or campaign.county_id))
    checkups = {
        c.person_id: c
        for c in Checkup.objects.restrict(user).filter(campaign=campaign, person__in=[p.pk for p in people])
    }
    return [(person, checkups.get(person.pk)) for person in people]


# -- commendations and the archive -------------------------------------------------------------------------


def get_commendation(user, pk: int) -> Commendation:
    return get_for_view(Commendation.objects.select_related("person"), user, pk=pk)


def commendations_text(person: Person) -> str:
    """奖惩情况 lines of the .lrmx: "2024.05 被中共盐池县委员会评为县级“担当作为好支书”", then the 处分:
    "2025.03 受到中共盐池县纪律检查委员会党内严重警告处分"."""
    lines = []
    for commendation in person.commendations.order_by("awarded_on", "id"):
        if commendation.kind != HonourKind.COMMENDATION:
            # 两代表一委员: "2022.01 当选为盐池县第十七届人民代表大会代表"
            lines.append(f"{commendation.awarded_on:%Y.%m} 当选为{commendation.title}")
            continue
        issuer = f"被{commendation.issuer}" if commendation.issuer else ""
        level = LEVEL_NAMES[CommendationLevel(commendation.level)]
        lines.append(f"{commendation.awarded_on:%Y.%m} {issuer}评为{level}“{commendation.title}”")
    for record in DisciplineRecord.objects.filter(person=person).order_by("decided_on", "id"):
        lines.append(f"{record.decided_on:%Y.%m} 受到{record.issuer}{record.measure_name}处分")
    return "\r\n".join(lines)


# -- 处分 discipline records --------------------------------------------------------------------------------


def get_discipline(user, pk: int) -> DisciplineRecord:
    return get_for_view(DisciplineRecord.objects.select_related("person", "person__village"), user, pk=pk)


def get_tolerance_case(user, pk: int) -> ToleranceCase:
    return get_for_view(
        ToleranceCase.objects.select_related(
            "person", "person__village", "assessment", "discipline", "determined_by"
        ),
        user,
        pk=pk,
    )


def discipline_of(user, *, under: str = ""):
    """The records inside the user's jurisdiction (under a division when given), the latest first."""
    queryset = DisciplineRecord.objects.restrict(user).select_related("person__village")
    if under:
        queryset = queryset.filter(person__village__code__startswith=under)
    return queryset.order_by("-decided_on", "-id")


def running_discipline_ids(queryset):
    """The records of `queryset` in their 影响期 today (a subquery)."""
    return queryset.running(today()).values("pk")


def discipline_against(candidacy, on: date) -> list[str]:
    """The vetting check (candidacies.vetting_checks): each 处分 of the nominee whose 影响期 runs on the day."""
    running = (
        DisciplineRecord.objects.running(on)
        .filter(person_id=candidacy.person_id)
        .order_by("decided_on", "id")
    )
    return [record.describe() for record in running]


def assessment_results_text(person: Person) -> str:
    """年度考核结果 of the .lrmx: "2023年下半年称职；2024年上半年优秀" (the latest six periods as a reserve),
    then his yearly 双述双评 in office: "2024年双述双评满意率92.50%" (the latest three years)."""
    latest = list(person.assessments.order_by("-year", "-half")[:6])
    parts = [f"{a.period.name}{GRADE_NAMES[Grade(a.grade)]}" for a in reversed(latest)]
    reviews = AnnualReview.objects.filter(term__person=person).order_by("-year", "term_id")
    seen: dict[int, str] = {}
    for review in reviews:  # one per year (一肩挑: the same rating on both posts)
        seen.setdefault(review.year, f"{review.year}年双述双评满意率{review.satisfaction}%")
    parts += [seen[year] for year in sorted(seen)[-3:]]
    return "；".join(parts)


# -- the overview ------------------------------------------------------------------------------------------


def overview(user, on: date) -> dict:
    return {
        "pending_proposals": RemovalProposal.objects.restrict(user)
        .filter(state=ProposalState.PENDING)
        .count(),
        "notice_board": NoticeBoardEntry.objects.restrict(user)
        .filter(active=True, candidacy__state=CandidacyState.IN_POOL)
        .count(),
        "open_campaigns": CheckupCampaign.objects.restrict(user).filter(start__lte=on, end__gte=on).count(),
    }


# -- for the statistics' warnings --------------------------------------------------------------------------


def overdue_report_count(user, period: Period, on: date, under: str = "") -> int:
    """The count of `overdue_reports` in SQL (the dashboard's warning): the same people, counted per county,
    and the counties whose due date (`rules.report_due_on`) has passed added up. No user (the console) counts
    everyone."""
    people = (
        operator_scope(Person.objects.all(), user)
        .filter(pk__in=rules.reserves_during(period.start, period.end, under=under).values("pk"))
        .exclude(
            pk__in=SemiannualReport.objects.filter(year=period.year, half=period.half).values("person_id")
        )
    )
    by_county = (
        people.order_by()
        .annotate(county=Substr("village_id", 1, 6))
        .values("county")
        .annotate(n=Count("id"))
        .values_list("county", "n")
    )
    counts = dict(by_county)
    settings = {row.county_id: row for row in AssessmentSettings.objects.filter(county_id__in=list(counts))}
    return sum(
        count
        for county, count in counts.items()
        if rules.report_due_on(period, settings.get(county) or AssessmentSettings(county_id=county)) < on
    )
