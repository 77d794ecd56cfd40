"""The per-county counts kept per day (stats.rollup): the triggers that stamp each write on the counties it
moves, the sums equal to the direct figures, only the changed counties read again, people in two counties
counted once, and `yanzhen stats --verify`."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test.utils import override_settings
from django.utils import timezone

from yanzhen.candidacies.models import Candidacy, CandidacyTarget
from yanzhen.divisions.codes import Level, UnitKind
from yanzhen.divisions.models import Division
from yanzhen.people.codes import EducationKind
from yanzhen.people.models import EducationRecord, Person, Source, age_on
from yanzhen.posts.models import PostType
from yanzhen.stats import rollup
from yanzhen.stats.figures import compute, figures_for, make_scope
from yanzhen.stats.models import CountyFigures, CountyStamp

from .conftest import shared_mark
from .factories import make_person
from .stats_world import D, V, _candidacy, _term, build_for_county

pytestmark = [pytest.mark.django_db, shared_mark(build_for_county)]

OTHER = "640324"  # a second county of 吴忠市, made by the tests that need two
OTHER_VILLAGE = "640324100200"


@pytest.fixture
def world(shared):
    return copy.deepcopy(shared)


def stamps() -> dict[str, int]:
    return dict(CountyStamp.objects.values_list("county", "changes"))


def moved(before: dict[str, int]) -> set[str]:
    after = stamps()
    return {county for county in set(before) | set(after) if before.get(county, 0) != after.get(county, 0)}


def village_of(county: str) -> str:
    return (
        Division.objects.filter(code__startswith=county, level=Level.VILLAGE, kind=UnitKind.VILLAGE_COMMITTEE)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )


def second_county() -> None:
    Division.objects.create(code=OTHER, name="测试县", level=Level.COUNTY, parent_id="6403")
    Division.objects.create(code="640324100", name="测试镇", level=Level.TOWNSHIP, parent_id=OTHER)
    Division.objects.create(
        code=OTHER_VILLAGE,
        name="测试村委会",
        level=Level.VILLAGE,
        kind=UnitKind.VILLAGE_COMMITTEE,
        parent_id="640324100",
    )


# The stamps ------------------------------------------------------------------------------------------------


def _new_candidacy(world):
    _candidacy(world.people["K"], V[0], ["secretary"], date(2020, 1, 1))


def _candidacy_moved(world):
    Candidacy.objects.filter(pk=world.candidacies["A"].pk).update(village_id=village_of("621202"))


def _target_deleted(world):
    CandidacyTarget.objects.filter(candidacy=world.candidacies["A"]).first().delete()


def _person_edited(world):
    Person.objects.filter(pk=world.people["A"].pk).update(name="测试甲")


def _education_added(world):
    EducationRecord.objects.create(person=world.people["A"], kind=EducationKind.IN_SERVICE, education="21")


def _term_elsewhere(world):
    _term(world.people["K"], village_of("621202"), "secretary", date(2021, 1, 1))


def _village_renamed(world):
    Division.objects.filter(code=village_of("621202")).update(name="改名村委会")


def _post_type_changed(world):
    PostType.objects.filter(code="chair").update(is_key=False)


def _source_added(world):
    Source.objects.create(name="新来源", order=99)


def _two_counties_at_once(world):
    Candidacy.objects.filter(pk=world.candidacies["A"].pk).update(village_id=village_of("621202"))
    Candidacy.objects.filter(pk=world.candidacies["B"].pk).update(recommender="某人")


@pytest.mark.parametrize(
    ("write", "counties"),
    [
        (_new_candidacy, {"640323"}),
        (_candidacy_moved, {"640323", "621202"}),
        (_target_deleted, {"640323"}),
        (_person_edited, {"640323"}),  # the counties of his candidacies
        (_education_added, {"640323"}),
        (_term_elsewhere, {"621202"}),  # the seat and the term
        (_village_renamed, {"621202"}),
        (_post_type_changed, {""}),  # every county's figures read the post types
        (_source_added, {""}),
        (_two_counties_at_once, {"640323", "621202"}),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] if callable(value) else "",
)
def test_each_write_moves_the_stamps_of_the_counties_it_can_move(world, write, counties):
    before = stamps()
    write(world)
    assert moved(before) == counties


def test_a_person_without_candidacies_or_posts_moves_no_county(world):
    before = stamps()
    Person.objects.filter(pk=world.people["K"].pk).update(name="测试乙")
    assert moved(before) == set()


# The sums ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["64", "6403", "640323", "62", "621202"])
@pytest.mark.parametrize("day", [D, D - timedelta(days=400), None])
def test_the_summed_figures_are_the_direct_figures(world, code, day):
    day = day or timezone.localdate()
    summed, direct = rollup.verify(code, day)
    assert summed == direct
    assert CountyFigures.objects.filter(as_of=day).exists()


def test_the_county_figures_on_d_are_the_hand_counted_ones(world):
    # The world's 盐池县 on D: 花马池镇's seven reserves and 大水坑镇's L (tests/stats_world.py).
    result = compute(None, "640323", D)
    assert result["reserves"]["total"] == 8
    assert result["incumbents"]["secretaries"]["count"] == 2
    kept = CountyFigures.objects.get(county="640323", as_of=D)
    assert kept.payload["pool"]["total"] == 8
    assert kept.payload["cross"] == []


def test_only_the_counties_changed_since_are_read_again(world):
    second_county()
    on = timezone.localdate()

    def recomputed() -> dict:
        scope = make_scope(None, "6403", on)
        figures_for(scope)
        return scope.cache["rollup"]

    assert recomputed() == {"counties": 2, "recomputed": 2}
    assert recomputed() == {"counties": 2, "recomputed": 0}
    kept = CountyFigures.objects.get(county="640323", as_of=on).computed_at
    person = make_person("测试外县", V[0])  # his home village is not what counts: his candidacy is
    _candidacy(person, OTHER_VILLAGE, ["secretary"], date(2020, 1, 1))
    assert recomputed() == {"counties": 2, "recomputed": 1}
    assert CountyFigures.objects.get(county="640323", as_of=on).computed_at == kept
    summed, direct = rollup.verify("6403", on)
    assert summed == direct
    assert summed["reserves"]["total"] == compute(None, "640323", on)["reserves"]["total"] + 1


def test_a_person_in_two_counties_counts_once(world):
    second_county()
    on = timezone.localdate()
    reserve, secretary = world.people["A"], world.people["S1"]  # of V0 in 盐池县, today
    _candidacy(reserve, OTHER_VILLAGE, ["chair"], date(2020, 1, 1))
    _term(secretary, OTHER_VILLAGE, "chair", date(2020, 1, 1))
    alone = {code: compute(None, code, on) for code in ("640323", OTHER)}
    summed, direct = rollup.verify("6403", on)
    assert summed == direct
    assert alone[OTHER]["reserves"]["total"] == 1
    assert alone[OTHER]["incumbents"]["committee"]["count"] == 1
    # Neither is counted twice in the city.
    assert summed["reserves"]["total"] == alone["640323"]["reserves"]["total"]
    assert summed["incumbents"]["committee"]["count"] == alone["640323"]["incumbents"]["committee"]["count"]
    for county in ("640323", OTHER):
        kept = CountyFigures.objects.get(county=county, as_of=on).payload
        assert kept["cross"] == sorted([reserve.pk, secretary.pk])
    kept = CountyFigures.objects.get(county=OTHER, as_of=on).payload
    assert (kept["pool"]["total"], kept["incumbents"]["total"]) == (0, 0)


def test_the_cross_people_are_the_same_looked_up_one_by_one_or_in_one_pass(world):
    second_county()
    both = world.people["A"]
    _candidacy(both, OTHER_VILLAGE, ["chair"], date(2020, 1, 1))
    division = Division.objects.get(code="6403")
    on = timezone.localdate()
    few = rollup.cross_people(rollup.Scope(None, division, on, counties=("640323", OTHER)))
    one_pass = rollup.cross_people(rollup.Scope(None, division, on))
    assert few == one_pass == {"640323": [both.pk], OTHER: [both.pk]}


def test_with_the_rollup_off_nothing_is_kept(world):
    with override_settings(STATS_ROLLUP=False):
        compute(None, "640323", D)
    assert not CountyFigures.objects.exists()


def test_a_township_is_read_directly(world):
    compute(None, "640323100", D)
    assert not CountyFigures.objects.exists()


# The command ------------------------------------------------------------------------------------------------


def test_verify_says_the_sums_agree(world):
    out = StringIO()
    call_command("stats", "--division", "64", "--as-of", "2021-04-19", "--verify", stdout=out)
    assert out.getvalue().strip() == "按县汇总的数字与直接计算一致：64，2021-04-19，1 个县"


def test_verify_names_what_differs_and_refresh_mends_it(world):
    compute(None, "64", D)
    kept = CountyFigures.objects.get(county="640323", as_of=D)
    kept.payload["pool"]["total"] += 1
    kept.save()  # a kept row gone wrong without any write moving its stamp
    with pytest.raises(CommandError) as refused:
        call_command("stats", "--division", "64", "--as-of", "2021-04-19", "--verify", stdout=StringIO())
    assert "reserves.total：汇总 9，直接计算 8" in str(refused.value)
    out = StringIO()
    call_command("stats", "--division", "64", "--as-of", "2021-04-19", "--refresh", stdout=out)
    assert out.getvalue().strip() == "已重新计算 64 的 1 个县在 2021-04-19 的数字"
    call_command("stats", "--division", "64", "--as-of", "2021-04-19", "--verify", stdout=StringIO())


def test_counts_kept_by_another_version_are_computed_again(world):
    on = timezone.localdate()
    compute(None, "640323", on)
    CountyFigures.objects.filter(county="640323").update(payload={"version": rollup.VERSION - 1})
    scope = make_scope(None, "640323", on)
    figures_for(scope)
    assert scope.cache["rollup"] == {"counties": 1, "recomputed": 1}
    assert CountyFigures.objects.get(county="640323", as_of=on).payload["version"] == rollup.VERSION


def test_the_warnings_read_the_kept_committees_and_coverage(world):
    from yanzhen.stats import warnings

    on = timezone.localdate()
    division = Division.objects.get(code="640323")
    counted = {result.slug: result.count for result in warnings.summary(None, division, on)}
    with override_settings(STATS_ROLLUP=False):
        direct = {result.slug: result.count for result in warnings.summary(None, division, on)}
    assert counted == direct
    # S1 (secretary and chair of V0: counted once), S4 of V1, S2 of V2; village:members:sum of ages.
    born = [date(1965, 3, 1), date(1978, 8, 8), date(1980, 1, 1)]
    expected = ",".join(f"{V[index]}:1:{age_on(day, on)}" for index, day in enumerate(born))
    assert CountyFigures.objects.get(county="640323", as_of=on).payload["committees"] == expected


def _stamp_triggers() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE '%%_stamp_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_stamp_%'")
        return {name for (name,) in cursor.fetchall()}


def test_migrate_keeps_the_stamp_triggers_and_forgets_the_kept_figures(world):
    """SQLite rebuilds a table to add a column, which the triggers of the other tables break: `migrate` takes
    them off and puts them back (an upgrade adding posts.Term.destination failed on a demo database before)."""
    from django.db import connection

    from yanzhen.stats import triggers

    figures_for(make_scope(None, "640323", D))
    assert _stamp_triggers() == triggers.names()
    kept = CountyFigures.objects.count()
    assert kept > 0
    call_command("migrate", verbosity=0)
    assert _stamp_triggers() == triggers.names()
    assert CountyFigures.objects.count() == (0 if connection.vendor == "sqlite" else kept)
    before = stamps()
    Candidacy.objects.filter(village__code__startswith="640323").update(removal_note="")
    assert moved(before) == {"640323"}
