"""The demo county's 9-box (issue 21 §3): 盐池县's reserves and cadres rated with reasons, a few left unrated, some
moved between two days, and one closed calibration session of 花马池镇 with its changes."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_ratings_and_a_closed_calibration(demo_county):
    from yanzhen.core.guards import today
    from yanzhen.talent import selectors
    from yanzhen.talent.models import CalibrationChange, CalibrationSession, PotentialRating

    grid = selectors.ninebox(None, "640323")
    assert grid.placed > 300
    assert all(box.count for box in grid.boxes)
    assert any(member.missing == "未评定潜力" for member in grid.unrated)
    assert PotentialRating.objects.filter(reason="").count() == 0
    assert PotentialRating.objects.exclude(person__village__code__startswith="640323").count() == 0
    [session] = CalibrationSession.objects.all()
    assert session.township_id == "640323100" and session.is_closed
    changes = list(CalibrationChange.objects.filter(session=session))
    assert len(changes) == 4 and all(change.reason and change.before != change.after for change in changes)
    moves = selectors.moves(None, "640323", today() - timedelta(days=100), today())
    assert sum(move.count for move in moves) > 10
