import pytest

from yanzhen.divisions.codes import (
    InvalidCode,
    Level,
    UnitKind,
    ancestor_codes,
    candidate_codes,
    level_of,
    parent_code,
    unit_kind,
)


def test_levels_by_length():
    assert [level_of(c) for c in ["64", "6403", "640323", "640323100", "640323100200"]] == [
        Level.PROVINCE,
        Level.CITY,
        Level.COUNTY,
        Level.TOWNSHIP,
        Level.VILLAGE,
    ]


@pytest.mark.parametrize("bad", ["", "6", "64032", "6403231000", "64032310020x", "6403231002001"])
def test_bad_codes_are_refused(bad):
    with pytest.raises(InvalidCode):
        level_of(bad)


def test_parent_and_ancestors():
    assert parent_code("640323100200") == "640323100"
    assert parent_code("64") is None
    assert ancestor_codes("640323100200") == ["64", "6403", "640323", "640323100"]


@pytest.mark.parametrize(
    "code,kind",
    [
        ("640323001", UnitKind.SUBDISTRICT),
        ("640323100", UnitKind.TOWN),
        ("640323200", UnitKind.XIANG),
        ("640323400", UnitKind.OTHER_TOWNSHIP),
        ("640323100001", UnitKind.COMMUNITY),
        ("640323100199", UnitKind.COMMUNITY),
        ("640323100200", UnitKind.VILLAGE_COMMITTEE),
        ("640323100399", UnitKind.VILLAGE_COMMITTEE),
        ("640323100400", UnitKind.COMMUNITY_LIKE),
        ("640323100500", UnitKind.VILLAGE_LIKE),
        ("640323", UnitKind.NONE),
    ],
)
def test_unit_kind_by_segment(code, kind):
    assert unit_kind(code) == kind


def test_padded_codes_stand_for_shorter_ones():
    assert candidate_codes("640323000000") == ["640323000000", "640323000", "640323"]
    assert candidate_codes("640323100000") == ["640323100000", "640323100"]
    assert candidate_codes("640323") == ["640323"]
    assert candidate_codes("abc") == []
