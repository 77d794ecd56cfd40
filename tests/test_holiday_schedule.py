"""The statutory holiday schedule as data (issue 14, "公示 into 2027 is refused outright"): a 公示 reaching
into a year without a schedule counts weekends only and says so (notice pages, print, dashboard) instead of
being refused; the top administrator enters the State Council's schedule line by line, which changes the
count at once; the years seeded from the chinesecalendar package count exactly as the package did."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.utils import timezone

from yanzhen.accounts.services import create_or_update_user
from yanzhen.candidacies.models import Candidacy, PublicNotice
from yanzhen.candidacies.notice import start_notice
from yanzhen.divisions.models import Division
from yanzhen.holidays import calendar, lines
from yanzhen.holidays.models import DayKind, HolidayDay, HolidayYear, ScheduleSource

from .candidacies_support import State, candidacy_in, user
from .conftest import HUAMACHI, HUAMACHI_VILLAGE, PASSWORD

pytestmark = pytest.mark.django_db

NOTE_2027 = "2027 年法定节假日安排尚未录入，公示期按周六、周日休息计算，截止日期可能需要调整"
SCHEDULE_2027 = """2027-01-01 至 2027-01-03 元旦 放假
2027-02-06 至 02-13 春节 放假
2027-02-20 春节 上班
"""
START = date(2026, 12, 28)  # a Monday


@pytest.fixture
def today(monkeypatch):
    def set_today(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


def footprint() -> tuple:
    return (
        list(HolidayYear.objects.order_by("year").values_list("year", "source", "lines", "published_at")),
        list(HolidayDay.objects.order_by("date").values_list("date", "kind", "name")),
        HolidayYear.history.count(),
    )


def enter_2027(client):
    return client.post("/system/holidays/2027/", {"lines": SCHEDULE_2027, "published_at": "2026-11-12"})


# --- the 公示 into a year without a schedule -------------------------------------------------------------


def test_a_notice_from_2026_12_28_counts_weekends_only_into_2027_and_says_so(client_for, today):
    today(START)
    assert not HolidayYear.objects.filter(year=2027).exists()
    assert calendar.earliest_notice_end(START, 5) == date(2027, 1, 1)  # Monday 12-28 … Friday 01-01
    candidacy = candidacy_in(State.DECIDED)
    client = client_for("county")
    answer = client.get("/reserves/notices/earliest-end/", {"start": "2026-12-28", "in": HUAMACHI_VILLAGE})
    assert answer.json()["end"] == "2027-01-01" and NOTE_2027 in answer.json()["warning"]
    form = client.get("/reserves/notices/start/").content.decode()
    assert 'name="end" value="2027-01-01"' in form and NOTE_2027 in form
    response = client.post(
        "/reserves/notices/start/",
        {"township": HUAMACHI, "start": "2026-12-28", "end": "2027-01-01", "supervision_phone": "0953-1"},
    )
    assert response.status_code == 302
    notice = PublicNotice.objects.get(township_id=HUAMACHI)
    assert (notice.start, notice.end) == (START, date(2027, 1, 1))
    assert Candidacy.objects.get(pk=candidacy.pk).state == State.IN_NOTICE
    detail = client.get(f"/reserves/{candidacy.pk}/").content.decode()
    assert 'id="notice-calendar-note"' in detail and NOTE_2027 in detail
    printed = client.get(f"/reserves/notices/{notice.pk}/").content.decode()
    assert "（5个工作日）" in printed
    # On the screen before printing, not on the paper that goes up on the village boards.
    assert (
        'class="no-print alert alert-warning mx-auto my-2 yz-notice-width" id="notice-calendar-note">'
        + NOTE_2027
        in printed
    )

    # The State Council's schedule is entered: 2027-01-01 is 元旦, the same notice now has four days, and
    # the warnings are gone.
    assert enter_2027(client).status_code == 302
    assert calendar.earliest_notice_end(START, 5) == date(2027, 1, 4)
    assert client.get("/reserves/notices/earliest-end/", {"start": "2026-12-28"}).json() == {
        "end": "2027-01-04",
        "warning": "",
    }
    printed = client.get(f"/reserves/notices/{notice.pk}/").content.decode()
    assert "（4个工作日）" in printed and NOTE_2027 not in printed
    assert NOTE_2027 not in client.get(f"/reserves/{candidacy.pk}/").content.decode()


def test_the_schedule_entered_counts_its_holidays_and_make_up_days():
    HolidayYear.objects.filter(year=2027).delete()
    assert calendar.working_days(date(2027, 2, 1), date(2027, 2, 28)) == 20  # weekends only
    from yanzhen.holidays.services import save_year

    save_year(actor=user("county"), year=2027, text=SCHEDULE_2027)
    # February 2027: 6–13 off (five weekdays: 8–12), Saturday 20 worked.
    assert calendar.working_days(date(2027, 2, 1), date(2027, 2, 28)) == 16
    assert calendar.is_workday(date(2027, 2, 20)) and not calendar.is_workday(date(2027, 2, 8))
    assert calendar.earliest_notice_end(date(2027, 2, 5), 5) == date(2027, 2, 18)
    assert calendar.missing_years(date(2026, 12, 1), date(2028, 1, 1)) == [2028]


# --- the years seeded from chinesecalendar --------------------------------------------------------------


def test_the_seeded_years_count_as_chinese_calendar_did():
    seeded = HolidayYear.objects.filter(source=ScheduleSource.PACKAGE).values_list("year", flat=True)
    assert sorted(seeded) == list(range(2004, 2027))
    assert calendar.working_days(date(2024, 10, 1), date(2024, 10, 7)) == 0
    assert calendar.is_workday(date(2024, 9, 29))  # a Sunday, make-up working day of 国庆
    assert HolidayDay.objects.get(date=date(2024, 10, 1)).name == "国庆节"
    assert HolidayDay.objects.get(date=date(2025, 1, 28)).name == "春节"
    schedule = calendar.load(2004, 2026)
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert schedule.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_a_seeded_year_written_as_lines_reads_back_to_the_same_days():
    for year in (2015, 2024, 2026):
        days = list(HolidayDay.objects.filter(schedule_id=year))
        parsed, problems = lines.parse(lines.format_days(days), year)
        assert problems == []
        assert {(d.date, d.kind, d.name) for d in parsed} == {(d.date, d.kind, d.name) for d in days}
    text = lines.format_days(HolidayDay.objects.filter(schedule_id=2024))
    assert "2024-10-01 至 2024-10-07 国庆节 放假" in text.splitlines()
    assert "2024-09-29 国庆节 上班" in text.splitlines()


# --- the entry page ---------------------------------------------------------------------------------------


def test_the_top_administrator_enters_a_year_and_its_history_is_kept(client_for):
    client = client_for("county")
    page = client.get("/system/holidays/2027/")
    assert page.status_code == 200 and NOTE_2027 in page.content.decode()
    assert enter_2027(client).status_code == 302
    schedule = HolidayYear.objects.get(year=2027)
    assert (schedule.source, schedule.entered_by, schedule.published_at) == (
        ScheduleSource.MANUAL,
        user("county"),
        date(2026, 11, 12),
    )
    assert list(HolidayDay.objects.filter(schedule=schedule).values_list("date", "kind", "name")) == [
        (date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
        (date(2027, 1, 2), DayKind.HOLIDAY, "元旦"),
        (date(2027, 1, 3), DayKind.HOLIDAY, "元旦"),
        *[(date(2027, 2, day), DayKind.HOLIDAY, "春节") for day in range(6, 14)],
        (date(2027, 2, 20), DayKind.WORKDAY, "春节"),
    ]
    # A correction replaces the days and keeps the previous lines in the history.
    corrected = "2027-01-01 元旦 放假\n2027/2/6 至 2/12 春节 放假\n2027年2月14日 春节 调休上班\n"
    assert client.post("/system/holidays/2027/", {"lines": corrected}).status_code == 302
    assert HolidayDay.objects.filter(schedule_id=2027).count() == 9
    assert HolidayDay.objects.get(date=date(2027, 2, 14)).kind == DayKind.WORKDAY
    versions = list(schedule.history.order_by("history_date").values_list("lines", "history_user__username"))
    assert versions == [(SCHEDULE_2027.strip(), "county"), (corrected.strip(), "county")]
    page = client.get("/system/holidays/2027/").content.decode()
    assert 'id="holiday-history"' in page and "2027-02-20 春节 上班" in page
    index = client.get("/system/holidays/").content.decode()
    assert 'data-year="2027"' in index and 'href="/system/holidays/2027/"' in index
    # A seeded year may be corrected too: its days written as lines come back on the form.
    assert "2024-10-01 至 2024-10-07 国庆节 放假" in client.get("/system/holidays/2024/").content.decode()


@pytest.mark.parametrize("who", ["huamachi", "cunshuji", "auditor", "township_admin"])
def test_no_one_but_the_top_administrator_writes_the_schedule(client_for, who):
    if who == "township_admin":
        # An administrator below the top (a township here) would move every county's notices.
        create_or_update_user(
            username=who, password=PASSWORD, division=Division.objects.get(code=HUAMACHI), roles=["admin"]
        )
    client = client_for(who)
    before = footprint()
    assert enter_2027(client).status_code == 403
    assert client.post("/system/holidays/2024/", {"lines": "2024-10-08 国庆节 放假"}).status_code == 403
    assert footprint() == before
    page = client.get("/system/holidays/2027/")
    if who == "township_admin":
        assert page.status_code == 200 and 'id="holiday-form"' not in page.content.decode()
    else:
        assert page.status_code == 403


def test_bad_lines_are_refused_with_their_line_named_and_nothing_written(client_for):
    client = client_for("county")
    before = footprint()
    response = client.post(
        "/system/holidays/2027/",
        {
            "lines": "\n".join(
                [
                    "2027-01-01 至 2027-01-03 元旦",
                    "2027-13-01 春节 放假",
                    "2028-01-01 元旦 放假",
                    "2027-02-08 春节 上班",
                    "# 注释行不算",
                    "2027-01-03 元旦 放假",
                    "明年春节 放假",
                    "2027-02-10 至 2027-02-06 春节 放假",
                    "2027-05-01 放假",
                ]
            )
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "第 1 行：请在行末写明“放假”或“上班”",
        "第 2 行：日期 2027-13-01 不存在",
        "第 3 行：2028-01-01 不在 2027 年内，请在 2028 年的安排中录入",
        "第 4 行：2027-02-08 是星期一，本就是工作日；调休上班日应是星期六或星期日",
        "第 8 行：结束日期 2027-02-06 早于开始日期 2027-02-10",
        "第 9 行：请写明节日名称，如“元旦 放假”",
    ]:
        assert message in page
    assert "第 7 行：无法识别“明年春节 放假”" in page
    assert "第 5 行" not in page
    assert footprint() == before
    duplicate = client.post(
        "/system/holidays/2027/", {"lines": "2027-01-01 至 2027-01-03 元旦 放假\n2027-01-03 元旦 放假"}
    )
    assert "第 2 行：2027-01-03 已在第 1 行出现" in duplicate.content.decode()
    empty = client.post("/system/holidays/2027/", {"lines": "  \n"})
    assert "请至少录入一行" in empty.content.decode()
    assert footprint() == before
    assert client.get("/system/holidays/?year=1999").status_code == 400
    assert client.get("/system/holidays/2999/").status_code == 404


# --- the dashboard ----------------------------------------------------------------------------------------


def test_the_dashboard_warns_of_a_missing_schedule_with_the_entry_page_for_the_top_administrator(
    client_for, today
):
    county, clerk = client_for("county"), client_for("huamachi")
    today(date(2026, 6, 15))
    assert 'id="holiday-schedule-warning"' not in county.get("/statistics/").content.decode()
    # From December, next year's schedule is asked for.
    today(date(2026, 12, 6))
    page = county.get("/statistics/").content.decode()
    assert 'id="holiday-schedule-warning"' in page and NOTE_2027 in page
    assert 'href="/system/holidays/2027/"' in page
    page = clerk.get("/").content.decode()
    assert NOTE_2027 in page and 'href="/system/holidays/2027/"' not in page
    # Before December too, when an open notice reaches into the year.
    today(date(2026, 11, 20))
    assert 'id="holiday-schedule-warning"' not in county.get("/statistics/").content.decode()
    candidacy = candidacy_in(State.DECIDED)
    start_notice(actor=user("county"), candidacy=candidacy, start=date(2026, 11, 20), end=date(2027, 1, 4))
    assert NOTE_2027 in county.get("/statistics/").content.decode()
    # Entered: no warning any more.
    assert enter_2027(county).status_code == 302
    today(date(2026, 12, 6))
    assert 'id="holiday-schedule-warning"' not in county.get("/statistics/").content.decode()


def test_seed_holidays_adds_only_the_years_the_schedule_lacks():
    from io import StringIO

    from django.core.management import call_command

    HolidayYear.objects.filter(year=2026).delete()
    from yanzhen.holidays.services import save_year

    save_year(actor=user("county"), year=2025, text="2025-10-01 国庆节 放假")
    out = StringIO()
    call_command("seed-holidays", stdout=out)
    assert out.getvalue().strip() == "已从 chinesecalendar 补充 1 个年度：2026"
    assert HolidayYear.objects.get(year=2026).source == ScheduleSource.PACKAGE
    assert HolidayDay.objects.filter(schedule_id=2026).count() == len(
        [d for d in {**chinese_calendar.holidays, **chinese_calendar.workdays} if d.year == 2026]
    )
    assert HolidayDay.objects.filter(schedule_id=2025).count() == 1  # the administrator's year kept
    out = StringIO()
    call_command("seed-holidays", stdout=out)
    assert "无需补充" in out.getvalue()
