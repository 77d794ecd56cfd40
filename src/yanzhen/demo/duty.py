"""The demo's 坐班值班 (issue 18 §1) in 花马池镇's first village (the one of the `cunshuji` account): a work-team
member, the current month's rota generated from a weekly pattern with one working day left open (a gap), the
check-ins of the past duty days but one (a missed day), a pending leave, the login `zhiban` of one sitting cadre
(his own page, /duty/me/, with today's 签到 when today is a working day), and the county's 坐班值班 scoring item
chosen as the one attendance feeds (the monthly score forms then suggest it).

Idempotent: nothing is written for a village whose month already has a rota; the link of `zhiban` and the county's
choice are made once. Deterministic for the day it is built.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yanzhen.accounts.models import User
from yanzhen.assessments.models import IncumbentScoreItem, SelfServiceLink
from yanzhen.core.guards import attribute_to, today
from yanzhen.divisions.models import Division
from yanzhen.duty import selectors, services
from yanzhen.duty.models import CheckIn, DutyAssignment, DutySettings, Leave, WorkTeamMember
from yanzhen.posts.models import Term

HUAMACHI = "640323100"
COUNTY = "640323"
LOGIN = "zhiban"
MEMBER = ("王建军", "盐池县农业农村局")


def _village() -> Division | None:
    return Division.objects.filter(parent_id=HUAMACHI).administrative_villages().order_by("code").first()


def _cadres(village: Division, on) -> list:
    """Three sitting cadres of the village: not the secretary (the `cunshuji` account) first."""
    terms = (
        Term.objects.current(on)
        .filter(seat__village=village)
        .select_related("person", "seat__post_type")
        .order_by("seat__post_type__order", "seat__number", "pk")
    )
    people = []
    for term in terms:
        if term.person not in people:
            people.append(term.person)
    return (people[1:] + people[:1])[:3]


def _link_login(person, clerk) -> None:
    user = User.objects.filter(username=LOGIN).first()
    if user is None or SelfServiceLink.objects.filter(user=user).exists():
        return
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    link = SelfServiceLink(user=user, person=person, created_by=clerk)
    attribute_to(link, clerk)
    link.save()


def _attendance_item(admin) -> None:
    if DutySettings.objects.filter(county_id=COUNTY, attendance_item__isnull=False).exists():
        return
    item = IncumbentScoreItem.objects.filter(county_id=COUNTY, name="坐班值班").first()
    if item is not None:
        services.set_attendance_item(actor=admin, county=Division.objects.get(code=COUNTY), item_id=item.pk)


def _open_one_day(village: Division, now, month) -> None:
    """Leave one working day of the month without anyone: the first after today, else the last before it."""
    days = selectors.working_days(month)
    later = [day for day in days if day > now]
    earlier = [day for day in days if day < now]
    if not later and not earlier:
        return
    day = later[0] if later else earlier[-1]
    for assignment in DutyAssignment.objects.filter(village=village, day=day):
        assignment.delete()


def _check_ins(village: Division, now, login: User, zhiban) -> None:
    """Every past duty day of a cadre checked in between 8:20 and 8:50, but the last one of another cadre."""
    past = list(
        DutyAssignment.objects.filter(village=village, day__lt=now, person__isnull=False)
        .exclude(person=zhiban)
        .order_by("-day", "pk")[:1]
    )
    missed = past[0].pk if past else None
    assignments = DutyAssignment.objects.filter(
        village=village, day__lt=now, day__gte=now.replace(day=1), person__isnull=False
    ).order_by("day", "pk")
    for index, assignment in enumerate(assignments):
        if assignment.pk == missed:
            continue
        at = timezone.make_aware(datetime.combine(assignment.day, time(8, 20 + index * 7 % 30)))
        own = login if assignment.person_id == zhiban.pk else None
        record = CheckIn(assignment=assignment, checked_in_at=at, note="", recorded_by=own)
        attribute_to(record, own)
        record.save()


@transaction.atomic
def build_duty(now=None) -> dict[str, int]:
    now = now or today()
    village = _village()
    clerk = User.objects.get(username="huamachi")
    admin = User.objects.get(username="county")
    _attendance_item(admin)
    if village is None:
        return {"assignments": 0}
    month = now.replace(day=1)
    cadres = _cadres(village, now)
    if len(cadres) < 3:
        return {"assignments": 0}
    zhiban, second, third = cadres
    _link_login(zhiban, clerk)
    first, last = selectors.month_bounds(month)
    if DutyAssignment.objects.filter(village=village, day__gte=first, day__lte=last).exists():
        return {"assignments": 0}
    member = WorkTeamMember.objects.filter(village=village, name=MEMBER[0]).first() or services.save_member(
        actor=clerk, village=village, data=services.MemberInput(*MEMBER)
    )
    pattern = {
        0: [zhiban],
        1: [second],
        2: [third],
        3: [zhiban, member],
        4: [second],
        5: [third],
        6: [member],
    }
    services.generate_month(actor=clerk, village=village, month=month, pattern=pattern)
    _open_one_day(village, now, month)
    if (
        now in selectors.working_days(month)
        and not DutyAssignment.objects.filter(village=village, day=now, person=zhiban).exists()
    ):
        services.add_assignment(actor=clerk, village=village, day=now, person=zhiban)
    login = User.objects.filter(username=LOGIN).first()
    if login is not None:
        _check_ins(village, now, login, zhiban)
    if not Leave.objects.filter(village=village).exists():
        start = now + timedelta(days=7)
        services.request_leave(
            actor=clerk,
            person=third,
            village=village,
            data=services.LeaveInput(start, start + timedelta(days=1), "到县医院陪护住院的母亲"),
        )
    return {"assignments": DutyAssignment.objects.filter(village=village, day__gte=first).count()}
