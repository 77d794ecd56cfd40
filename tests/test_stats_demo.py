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
