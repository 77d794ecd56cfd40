"""坐班值班 (issue 18 §1): the rota of a village's working days, its gaps, a month from a weekly pattern, leave
covering and uncovering a day, the check-in by the cadre's own login only, the township's decision on leave,
missed duty days and the attendance pre-fill of the monthly score."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.assessments.incumbents import services as incumbent_services
from yanzhen.assessments.models import IncumbentScoreItem
from yanzhen.divisions.models import Division
from yanzhen.duty import selectors, services
from yanzhen.duty.models import CheckIn, DutyAssignment, Leave, LeaveState

from .candidacies_support import user
from .duty_support import (
    DASHUIKENG_VILLAGE,
    HOLIDAY,
    HUAMACHI_VILLAGE,
    MAKE_UP,
    MONTH,
    member,
    own_login,
    set_today,
    sitting,
    written,
)

pytestmark = pytest.mark.django_db


def add(day: date, *, person=None, holder=None, actor="huamachi"):
    return services.add_assignment(
        actor=user(actor), village=HUAMACHI_VILLAGE, day=day, person=person, member=holder
    )


def leave(person, start: date, end: date, *, approve: bool | None = True) -> Leave:
    request = services.request_leave(
        actor=user("huamachi"),
        person=person,
        village=HUAMACHI_VILLAGE,
        data=services.LeaveInput(start, end, "外出学习"),
    )
    if approve is not None:
        services.decide_leave(actor=user("huamachi"), leave=request, approve=approve)
    return Leave.objects.get(pk=request.pk)


# -- working days and gaps -------------------------------------------------------------------------------------


def test_the_working_days_of_september_2026_follow_the_statutory_calendar():
    days = selectors.working_days(MONTH)
    assert len(days) == 22
    assert HOLIDAY not in days and MAKE_UP in days
    assert date(2026, 9, 19) not in days  # an ordinary Saturday
    assert selectors.calendar_note(MONTH) == ""


def test_a_year_the_calendar_does_not_know_is_said_so():
    note = selectors.calendar_note(date(2099, 3, 1))
    assert note.startswith("2099 年法定节假日安排尚未录入")
    assert len(selectors.working_days(date(2099, 3, 1))) == 22  # Monday to Friday


def test_gaps_are_the_working_days_nobody_covers():
    secretary, deputy = sitting("韩值班"), sitting("刘副职", post="deputy_secretary")
    team = member()
    for day in selectors.working_days(MONTH):
        if day not in (date(2026, 9, 7), MAKE_UP, date(2026, 9, 30)):
            add(day, person=secretary)
    add(date(2026, 9, 7), holder=team)
    add(date(2026, 9, 30), person=deputy)
    # The holiday and a Saturday have nobody and are no gap; the make-up Sunday is.
    assert selectors.gaps(HUAMACHI_VILLAGE, MONTH) == [MAKE_UP]
    add(MAKE_UP, person=deputy)
    assert selectors.gaps(HUAMACHI_VILLAGE, MONTH) == []


def test_an_entry_on_a_day_off_or_for_someone_not_sitting_is_refused():
    secretary = sitting("韩值班")
    stranger = sitting("外村人", DASHUIKENG_VILLAGE)
    before = written()
    with pytest.raises(ValidationError) as refused:
        add(HOLIDAY, person=secretary)
    assert refused.value.message_dict == {"day": ["2026-09-25 不是工作日"]}
    with pytest.raises(ValidationError) as refused:
        add(date(2026, 9, 1), person=stranger)
    village = Division.objects.get(code=HUAMACHI_VILLAGE).name
    assert refused.value.message_dict == {"holder": [f"外村人在 2026-09-01 不是{village}的现任村“两委”干部"]}
    add(date(2026, 9, 1), person=secretary)
    with pytest.raises(ValidationError) as refused:
        add(date(2026, 9, 1), person=secretary)
    assert refused.value.message_dict == {"holder": ["韩值班在 2026-09-01 已排班"]}
    assert written()[0] == before[0] + 1


def test_the_rota_is_scoped_and_needs_an_editor():
    secretary = sitting("韩值班")
    before = written()
    with pytest.raises(Http404):
        add(date(2026, 9, 1), person=secretary, actor="dashuikeng")
    with pytest.raises(PermissionDenied):
        add(date(2026, 9, 1), person=secretary, actor="cunshuji")
    with pytest.raises(PermissionDenied):
        add(date(2026, 9, 1), person=secretary, actor="auditor")
    assert written() == before


# -- a month from a weekly pattern ---------------------------------------------------------------------------------


def test_a_month_generated_from_a_weekly_pattern(monkeypatch):
    set_today(monkeypatch, date(2026, 8, 20))
    secretary, deputy = sitting("韩值班"), sitting("刘副职", post="deputy_secretary")
    team = member()
    leave(secretary, date(2026, 9, 14), date(2026, 9, 15))  # a Monday and a Tuesday
    kept = add(date(2026, 9, 2), person=deputy)  # a Wednesday, by hand
    pattern = {0: [secretary], 1: [secretary], 2: [deputy], 3: [deputy, team], 4: [team]}
    result = services.generate_month(
        actor=user("huamachi"), village=HUAMACHI_VILLAGE, month=MONTH, pattern=pattern
    )
    # Mondays 7 14 21 28, Tuesdays 1 8 15 22 29, Wednesdays 2 9 16 23 30, Thursdays 3 10 17 24, Fridays 4 11 18
    # (25 is 中秋): 4 + 5 secretary (less 14 and 15 on leave), 5 deputy (the 2nd already there: 4 new),
    # 4 deputy + 4 member on Thursdays, 3 member on Fridays. The make-up Sunday has no pattern: a gap.
    assert result == services.Generated(created=7 + 4 + 8 + 3, removed=0, skipped_on_leave=2)
    assert DutyAssignment.objects.filter(pk=kept.pk).exists()
    assert selectors.gaps(HUAMACHI_VILLAGE, MONTH) == [date(2026, 9, 14), date(2026, 9, 15), MAKE_UP]
    again = services.generate_month(
        actor=user("huamachi"), village=HUAMACHI_VILLAGE, month=MONTH, pattern=pattern
    )
    assert again.created == 0
    replaced = services.generate_month(
        actor=user("huamachi"), village=HUAMACHI_VILLAGE, month=MONTH, pattern={6: [team]}, replace=True
    )
    assert replaced == services.Generated(created=1, removed=23, skipped_on_leave=0)
    assert list(DutyAssignment.objects.values_list("day", flat=True)) == [MAKE_UP]


def test_a_pattern_with_someone_else_is_refused():
    stranger = sitting("外村人", DASHUIKENG_VILLAGE)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.generate_month(
            actor=user("huamachi"), village=HUAMACHI_VILLAGE, month=MONTH, pattern={0: [stranger]}
        )
    assert list(refused.value.message_dict) == ["weekday_0"]
    with pytest.raises(ValidationError) as refused:
        services.generate_month(actor=user("huamachi"), village=HUAMACHI_VILLAGE, month=MONTH, pattern={})
    assert refused.value.message_dict == {"pattern": ["请至少为一个工作日选择值班人员"]}
    assert written() == before


# -- leave -------------------------------------------------------------------------------------------------------


def test_approved_leave_uncovers_a_day_and_pending_or_refused_does_not(monkeypatch):
    set_today(monkeypatch, date(2026, 8, 20))
    secretary = sitting("韩值班")
    for day in selectors.working_days(MONTH):
        add(day, person=secretary)
    assert selectors.gaps(HUAMACHI_VILLAGE, MONTH) == []
    pending = leave(secretary, date(2026, 9, 9), date(2026, 9, 10), approve=None)
    assert pending.state == LeaveState.PENDING and selectors.gaps(HUAMACHI_VILLAGE, MONTH) == []
    services.decide_leave(actor=user("huamachi"), leave=pending, approve=False)
    assert selectors.gaps(HUAMACHI_VILLAGE, MONTH) == []
    approved = leave(secretary, date(2026, 9, 9), date(2026, 9, 10))
    assert (approved.state, approved.decided_by, approved.decided_on) == (
        LeaveState.APPROVED,
        user("huamachi"),
        date(2026, 8, 20),
    )
    assert selectors.gaps(HUAMACHI_VILLAGE, MONTH) == [date(2026, 9, 9), date(2026, 9, 10)]
    add(date(2026, 9, 9), holder=member())  # a work-team member covers the first day
    assert selectors.gaps(HUAMACHI_VILLAGE, MONTH) == [date(2026, 9, 10)]


def test_leave_is_checked():
    secretary = sitting("韩值班")
    before = written()
    cases = [
        (services.LeaveInput(None, None, ""), {"reason", "start", "end"}),
        (services.LeaveInput(date(2026, 9, 10), date(2026, 9, 9), "事假"), {"end"}),
    ]
    for data, fields in cases:
        with pytest.raises(ValidationError) as refused:
            services.request_leave(
                actor=user("huamachi"), person=secretary, village=HUAMACHI_VILLAGE, data=data
            )
        assert set(refused.value.message_dict) == fields
    leave(secretary, date(2026, 9, 9), date(2026, 9, 10), approve=None)
    with pytest.raises(ValidationError) as refused:
        leave(secretary, date(2026, 9, 10), date(2026, 9, 11), approve=None)
    assert refused.value.message_dict == {"start": ["韩值班在这段时间已有待审批或已批准的请假"]}
    assert written()[4] == before[4] + 1


def test_the_township_decides_leave_a_reader_or_another_township_may_not():
    secretary = sitting("韩值班")
    pending = leave(secretary, date(2026, 9, 9), date(2026, 9, 10), approve=None)
    before = written()
    with pytest.raises(Http404):
        services.decide_leave(actor=user("dashuikeng"), leave=pending, approve=True)
    for reader in ("auditor", "cunshuji"):
        with pytest.raises(PermissionDenied):
            services.decide_leave(actor=user(reader), leave=pending, approve=True)
    login = own_login(secretary)
    with pytest.raises(PermissionDenied):
        services.decide_leave(actor=login, leave=pending, approve=True)
    assert written() == before
    services.decide_leave(actor=user("county"), leave=pending, approve=True)
    with pytest.raises(ValidationError) as refused:
        services.decide_leave(actor=user("huamachi"), leave=pending, approve=False)
    assert refused.value.message_dict == {"state": ["该请假已批准，不能再次审批"]}
    assert Leave.objects.get(pk=pending.pk).state == LeaveState.APPROVED


def test_a_cadre_asks_leave_for_himself_only():
    secretary, deputy = sitting("韩值班"), sitting("刘副职", post="deputy_secretary")
    login = own_login(secretary)
    mine = services.request_leave(
        actor=login,
        person=secretary,
        village=HUAMACHI_VILLAGE,
        data=services.LeaveInput(date(2026, 9, 9), date(2026, 9, 9), "看病"),
    )
    assert (mine.requested_by, mine.state) == (login, LeaveState.PENDING)
    before = written()
    with pytest.raises(PermissionDenied):
        services.request_leave(
            actor=login,
            person=deputy,
            village=HUAMACHI_VILLAGE,
            data=services.LeaveInput(date(2026, 9, 9), date(2026, 9, 9), "看病"),
        )
    assert written() == before


# -- check-in ---------------------------------------------------------------------------------------------------


def check_in(login, assignment, note=""):
    return services.check_in(actor=login, assignment=assignment, note=note)


def refusal(login, assignment) -> str:
    before = written()
    with pytest.raises(ValidationError) as refused:
        check_in(login, assignment)
    assert written() == before
    return refused.value.message_dict["assignment"][0]


def test_the_cadre_checks_in_on_his_own_duty_of_today(monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    login = own_login(secretary)
    duty = add(date(2026, 9, 8), person=secretary)
    record = check_in(login, duty, " 到岗 ")
    assert (record.assignment, record.note, record.recorded_by) == (duty, "到岗", login)
    assert CheckIn.history.filter(history_user=login).count() == 1
    assert refusal(login, duty).startswith("今天已签到（")


def test_a_check_in_outside_his_own_village_is_refused(monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    # He also sits in a village of 大水坑镇, whose rota has him today: his login works for his first village.
    from yanzhen.posts.models import Term

    from .candidacies_support import make_seat

    Term.objects.create(seat=make_seat(DASHUIKENG_VILLAGE), person=secretary, start=date(2025, 1, 1))
    login = own_login(secretary)
    elsewhere = services.add_assignment(
        actor=user("dashuikeng"), village=DASHUIKENG_VILLAGE, day=date(2026, 9, 8), person=secretary
    )
    assert refusal(login, elsewhere) == "该值班安排不在您所在的村，不能签到"


def test_a_check_in_for_someone_else_not_today_or_by_a_clerk_is_refused(monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary, deputy = sitting("韩值班"), sitting("刘副职", post="deputy_secretary")
    login = own_login(secretary)
    others = add(date(2026, 9, 8), person=deputy)
    tomorrow = add(date(2026, 9, 9), person=secretary)
    yesterday = add(date(2026, 9, 7), person=secretary)
    assert refusal(login, others) == "这不是您本人的值班安排，不能替他人签到"
    assert refusal(login, tomorrow) == "只能在值班当天签到（该安排为 2026-09-09）"
    assert refusal(login, yesterday) == "只能在值班当天签到（该安排为 2026-09-07）"
    for clerk in ("huamachi", "county", "cunshuji"):
        assert refusal(user(clerk), others) == "只有值班人员本人的账号才能签到"


# -- missed days and attendance ----------------------------------------------------------------------------------------


def test_missed_duty_days(monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    team = member()
    login = own_login(secretary)
    first = add(date(2026, 9, 1), person=secretary)
    missed = add(date(2026, 9, 2), person=secretary)
    add(date(2026, 9, 3), holder=team)  # a member's day is not judged
    add(date(2026, 9, 4), person=secretary)  # on approved leave
    add(date(2026, 9, 8), person=secretary)  # today: not yet missed
    leave(secretary, date(2026, 9, 4), date(2026, 9, 4))
    set_today(monkeypatch, date(2026, 9, 1))
    check_in(login, first)
    set_today(monkeypatch, date(2026, 9, 8))
    assert selectors.missed(HUAMACHI_VILLAGE, MONTH) == [missed]
    rows = selectors.township_month(user("huamachi"), Division.objects.get(code="640323100"), MONTH)
    mine = next(row for row in rows if row.village.code == HUAMACHI_VILLAGE)
    assert mine.missed == [missed] and len(rows) == Division.objects.filter(parent_id="640323100").count()
    # The warning of the statistics: the township sees the one missed day, another township nothing.
    from yanzhen.stats import warnings

    found = warnings.detail(user("huamachi"), Division.objects.get(code="640323100"), "missed-duty-days")
    assert (found.count, [(row.label, row.detail) for row in found.rows]) == (
        1,
        [("韩值班", "09月02日值班未签到")],
    )
    other = warnings.detail(user("dashuikeng"), Division.objects.get(code="640323101"), "missed-duty-days")
    assert other.count == 0


def test_the_attendance_prefill_is_hand_counted(monkeypatch):
    set_today(monkeypatch, date(2026, 9, 1))
    secretary = sitting("韩值班")
    login = own_login(secretary)
    county = Division.objects.get(code="640323")
    incumbent_services.save_score_items(
        actor=user("county"), county=county, items=[("坐班值班", 15), ("工作实绩", 85)]
    )
    item = IncumbentScoreItem.objects.get(county=county, name="坐班值班")
    # Seven duty days: checked in on 3, on approved leave on 1 (the 10th), 3 missed: 15 × 4 / 7 = 8.57 → 9.
    days = [date(2026, 9, day) for day in (1, 2, 3, 8, 9, 10, 11)]
    duties = [add(day, person=secretary) for day in days]
    leave(secretary, date(2026, 9, 10), date(2026, 9, 10))
    for duty in duties[:3]:
        set_today(monkeypatch, duty.day)
        check_in(login, duty)
    term = secretary.terms.get()
    assert selectors.attendance(secretary.pk, HUAMACHI_VILLAGE, MONTH) == selectors.Attendance(7, 4)
    assert selectors.attendance_suggestions([term], MONTH, [item]) == {}  # the county chose no item yet
    services.set_attendance_item(actor=user("county"), county=county, item_id=item.pk)
    assert selectors.attendance_suggestions([term], MONTH, [item]) == {term.pk: {item.pk: 9}}
    # Half up: 15 × 1 / 2 = 7.5 → 8.
    assert selectors.suggested_score(15, selectors.Attendance(2, 1)) == 8
    assert selectors.suggested_score(15, selectors.Attendance(0, 0)) is None


def test_only_the_county_chooses_the_attendance_item():
    county = Division.objects.get(code="640323")
    with pytest.raises(PermissionDenied):
        services.set_attendance_item(actor=user("huamachi"), county=county, item_id=None)
    with pytest.raises(Http404):
        services.set_attendance_item(actor=user("outsider"), county=county, item_id=None)
    with pytest.raises(ValidationError) as refused:
        services.set_attendance_item(actor=user("county"), county=county, item_id=999999)
    assert refused.value.message_dict == {"attendance_item": ["请选择本县的月考评项目"]}
