"""The demo county reproduces the figures of seed 000 (盐池县 on 2021-04-19) through the one definition."""

import pytest

from yanzhen.stats.figures import compute

pytestmark = pytest.mark.django_db


def test_the_demo_county_reproduces_seed_000(demo_county):
    result = compute(None, "640323", "2021-04-19")
    reserves = result["reserves"]
    assert reserves["total"] == 353
    assert reserves["villages"] == 102
    assert reserves["age"]["under_35"] == {"count": 165, "pct": 46.74}
    assert reserves["age"]["35_to_50"] == {"count": 175, "pct": 49.58}
    assert reserves["age"]["over_50"] == {"count": 13, "pct": 3.68}
    assert reserves["education"]["college_or_above"] == {"count": 211, "pct": 59.77}
    assert reserves["education"]["secondary_or_below"] == {"count": 142, "pct": 40.23}
    assert reserves["gender"]["male"] == {"count": 237, "pct": 67.14}
    assert reserves["gender"]["female"] == {"count": 116, "pct": 32.86}
    assert result["coverage"]["villages"] == 102
    assert result["coverage"]["villages_covered"] == 100
    assert result["coverage"]["pct"] == 98.04


def test_the_demo_county_flags_a_member_under_a_running_measure(demo_county):
    """build_conduct: a 两委委员 of 花马池镇 under a 党内警告 is flagged; another's 政务警告 of 2021 is over; neither is a
    reserve in the pool, so no removal proposal is made."""
    from yanzhen.assessments.models import DisciplineRecord, ProposalBasis, RemovalProposal
    from yanzhen.divisions.models import Division
    from yanzhen.stats import warnings

    found = warnings.detail(None, Division.objects.get(code="640323100"), "disciplined-incumbents")
    assert found.count == 1
    assert found.rows[0].detail.startswith("两委委员：受到党内警告处分")
    assert sorted(record.runs_today for record in DisciplineRecord.objects.all()) == [False, True]
    assert not RemovalProposal.objects.filter(basis=ProposalBasis.DISCIPLINE).exists()
    pending = warnings.detail(None, Division.objects.get(code="640323"), "pending-tolerance")
    assert [row.label for row in pending.rows] == [found.rows[0].label]


def test_the_demo_county_shows_the_succession_of_huamachi(demo_county):
    """build_succession: the key seats of 花马池镇 have saved orders and emergency covers, the risk map has its
    villages, and the figures count them."""
    from yanzhen.core.guards import today
    from yanzhen.succession import figures, risk, selectors
    from yanzhen.succession.models import SuccessionEntry

    seats = list(selectors.key_seats(None, "640323100"))
    benches = selectors.successors_of(seats)
    with_successors = [bench for bench in benches.values() if bench.successors]
    assert with_successors and all(bench.has_saved_order for bench in with_successors)
    covered = [bench for bench in with_successors if bench.emergency_cover]
    assert 0 < len(covered) < len(with_successors)
    assert SuccessionEntry.objects.exclude(seat__village__code__startswith="640323100").count() == 0
    numbers = figures.figures(None, "640323100", today())
    assert numbers["seats"] == len(seats)
    assert numbers["seats_with_emergency_cover"] == len(covered)
    rows = risk.risk_rows(None, "640323")
    assert {row.level for row in rows} >= {"high", "medium"}
    assert all(row.village.latitude is not None for row in rows)
