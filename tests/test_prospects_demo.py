"""The demo county's 雏雁计划 (demo.prospects, part of `build_demo()`: conftest's `demo_county`): 20 prospects
across the townships and the four categories, each visited with the policy list, the county's hometown meeting
with eight invitees of whom five came (their meeting in the contact log), one recommended as a reserve with his
nomination; idempotent."""

from __future__ import annotations

import pytest

from yanzhen.candidacies.models import Candidacy
from yanzhen.demo import prospects as demo_prospects
from yanzhen.prospects.models import Contact, Invitation, OutreachEvent, Prospect
from yanzhen.stats.figures import compute

pytestmark = pytest.mark.django_db


def test_the_demo_holds_prospects_in_yanchi(demo_county):
    prospects = Prospect.objects.filter(village__code__startswith="640323")
    assert prospects.count() == 20
    assert set(prospects.values_list("category", flat=True)) == {
        "migrant",
        "student",
        "veteran",
        "entrepreneur",
        "other",
    }
    assert len({code[:9] for code in prospects.values_list("village__code", flat=True)}) >= 5
    visits = Contact.objects.filter(kind="visit", documents__title="返乡创业优惠政策清单")
    assert visits.values("prospect").distinct().count() == 20
    event = OutreachEvent.objects.get(title="乡贤座谈会")
    assert event.invitations.count() == 8
    assert event.invitations.filter(attended="yes").count() == 5
    assert Contact.objects.filter(event=event, kind="meeting").count() == 5
    converted = prospects.get(person__isnull=False)
    assert converted.name == "李香"
    assert event.invitations.get(prospect=converted).attended == "yes"
    assert Candidacy.objects.filter(person=converted.person).count() == 1
    figures = compute(None, "640323")["prospects"]
    assert figures["total"] == 20 and figures["converted_this_year"] == 1


def test_building_again_adds_nothing(demo_county):
    before = (Prospect.objects.count(), Contact.objects.count(), Invitation.objects.count())
    demo_prospects.build_prospects()
    assert (Prospect.objects.count(), Contact.objects.count(), Invitation.objects.count()) == before
