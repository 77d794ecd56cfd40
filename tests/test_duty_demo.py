"""The demo's 坐班值班 (issue 18 §1) in 花马池镇's first village: this month's rota from a weekly pattern with one
gap and a work-team member on it, the past duty days checked in but one, a pending leave, the login `zhiban` of a
sitting cadre tied to his archive, and the county's 坐班值班 item fed by attendance."""

from __future__ import annotations

import pytest

from yanzhen.accounts.models import User
from yanzhen.assessments.models import SelfServiceLink
from yanzhen.core.guards import today
from yanzhen.demo import duty as demo_duty
from yanzhen.duty import selectors
from yanzhen.duty.models import DutyAssignment, DutySettings, Leave, LeaveState

pytestmark = pytest.mark.django_db


def test_the_demo_rota(demo_county, client):
    village = demo_duty._village()
    assert village is not None and village.code == User.objects.get(username="cunshuji").division_id
    now = today()
    month = now.replace(day=1)
    assert len(selectors.gaps(village.code, month)) == 1
    assert DutyAssignment.objects.filter(village=village, member__name="王建军").exists()
    past_of_others = (
        DutyAssignment.objects.filter(village=village, day__gte=month, day__lt=now)
        .exclude(person__isnull=True)
        .exclude(person=SelfServiceLink.objects.get(user__username="zhiban").person)
    )
    assert len(selectors.missed(village.code, month)) == (1 if past_of_others.exists() else 0)
    assert Leave.objects.filter(village=village, state=LeaveState.PENDING).count() == 1
    login = User.objects.get(username="zhiban")
    assert login.role_codes == {"cadre"} and login.division_id == village.code
    assert DutySettings.objects.get(county_id="640323").attendance_item.name == "坐班值班"
    assert demo_duty.build_duty() == {"assignments": 0}  # idempotent
    client.force_login(login)
    page = client.get("/duty/me/")
    assert page.status_code == 200
    if now in selectors.working_days(month):
        assert 'id="check-in"' in page.content.decode()
