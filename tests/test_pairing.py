"""强强联合、强弱联合 (issue 19 §2): pairs and their rules, scoping, activities, the income before and after,
the linked secondments, the export, and the suggestion ranking on a hand-made county."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from openpyxl import load_workbook

from yanzhen.accounts.models import User
from yanzhen.divisions import income
from yanzhen.divisions.models import Division, Industry, VillageTag
from yanzhen.pairing import services
from yanzhen.pairing.models import PairActivity, PairKind, PairMember, VillagePair
from yanzhen.pairing.suggest import suggest

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db


def user(name) -> User:
    return User.objects.get(username=name)


def villages_of(township: str) -> list[str]:
    return list(
        Division.objects.filter(parent_id=township)
        .administrative_villages()
        .order_by("code")
        .values_list("code", flat=True)
    )


def pair_input(**overrides) -> services.PairInput:
    values = {
        "name": "花马池强弱联建",
        "kind": PairKind.STRONG_WEAK,
        "start": date(2025, 3, 1),
        "end": None,
        "goals": "两年内集体经济收入翻番",
        "helpers": [villages_of("640323100")[1]],
        "helped": [HUAMACHI_VILLAGE],
    }
    values.update(overrides)
    return services.PairInput(**values)


def snapshot():
    return (
        list(VillagePair.objects.values_list("pk", "name", "start", "end", "goals")),
        list(PairMember.objects.values_list("pair", "village", "role")),
        list(PairActivity.objects.values_list("pk", "title")),
        VillagePair.history.count(),
    )


def test_a_county_pairs_villages_of_two_townships_and_each_township_sees_it(client_for):
    helper = DASHUIKENG_VILLAGE
    pair = services.create_pair(actor=user("county"), data=pair_input(helpers=[helper]))
    assert sorted(pair.members.values_list("village_id", "role")) == [
        (HUAMACHI_VILLAGE, "helped"),
        (DASHUIKENG_VILLAGE, "helper"),
    ]
    assert pair.county_id == "640323"
    assert pair.history.get().history_user.username == "county"
    for name in ("county", "huamachi", "dashuikeng", "auditor"):
        assert client_for(name).get(f"/pairing/{pair.pk}/").status_code == 200, name
        assert pair.name in client_for(name).get("/pairing/").content.decode()
    assert client_for("outsider").get(f"/pairing/{pair.pk}/").status_code == 404
    assert pair.name not in client_for("outsider").get("/pairing/").content.decode()
    # A township sees a pair with a neighbour's village but does not change it; a reader does not write.
    before = snapshot()
    for name, expected in (("huamachi", Http404), ("outsider", Http404), ("auditor", PermissionDenied)):
        with pytest.raises(expected):
            services.update_pair(actor=user(name), pair=pair, data=pair_input(helpers=[helper], name="改"))
        with pytest.raises(expected):
            services.record_activity(
                actor=user(name), pair=pair, data=services.ActivityInput(date(2025, 4, 1), "观摩")
            )
    assert client_for("huamachi").get(f"/pairing/{pair.pk}/edit/").status_code == 404
    assert (
        client_for("auditor")
        .post(f"/pairing/{pair.pk}/activities/", {"held_on": "2025-04-01", "title": "x"})
        .status_code
        == 403
    )
    assert snapshot() == before


def test_a_township_pairs_its_own_villages_but_not_a_neighbours():
    own = villages_of("640323100")
    pair = services.create_pair(actor=user("huamachi"), data=pair_input(helpers=[own[1]], helped=[own[0]]))
    assert pair.members.count() == 2
    before = snapshot()
    with pytest.raises(Http404):
        services.create_pair(
            actor=user("huamachi"), data=pair_input(helpers=[DASHUIKENG_VILLAGE], name="跨镇")
        )
    with pytest.raises(PermissionDenied):
        services.create_pair(actor=user("auditor"), data=pair_input(name="审计"))
    assert snapshot() == before


@pytest.mark.parametrize(
    "overrides,errors",
    [
        ({"helped": []}, {"helped": ["强弱联合须至少有一个受帮扶村"]}),
        ({"helpers": [HUAMACHI_VILLAGE]}, {"helped": ["同一个村不能既帮扶又受帮扶"]}),
        (
            {"kind": PairKind.STRONG_STRONG, "helpers": [HUAMACHI_VILLAGE]},
            {"helpers": ["强强联合须至少有两个村"]},
        ),
        (
            {"end": date(2025, 2, 1), "name": " ", "goals": ""},
            {"end": ["结束日期不能早于开始日期"], "name": ["请填写结对名称"], "goals": ["请填写结对目标"]},
        ),
        (
            {"helpers": ["621202100200"]},
            None,
        ),  # another county: outside the county administrator's jurisdiction
    ],
)
def test_bad_pairs_are_refused_and_write_nothing(overrides, errors):
    before = snapshot()
    if errors is None:
        with pytest.raises(Http404):
            services.create_pair(actor=user("county"), data=pair_input(**overrides))
    else:
        with pytest.raises(ValidationError) as refused:
            services.create_pair(actor=user("county"), data=pair_input(**overrides))
        assert refused.value.message_dict == errors
    assert snapshot() == before


def test_a_weak_village_is_helped_by_one_pair_at_a_time():
    first = services.create_pair(actor=user("county"), data=pair_input(end=date(2025, 12, 31)))
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.create_pair(actor=user("county"), data=pair_input(name="第二个", start=date(2025, 6, 1)))
    assert refused.value.message_dict == {
        "helped": [
            f"{Division.objects.get(code=HUAMACHI_VILLAGE).name}已在结对“{first.name}”中受帮扶，期间重叠"
        ]
    }
    assert snapshot() == before
    services.create_pair(actor=user("county"), data=pair_input(name="第二个", start=date(2026, 1, 1)))
    assert VillagePair.objects.count() == 2


def test_activities_within_the_period_and_the_income_before_and_after(client_for):
    helper = villages_of("640323100")[1]
    pair = services.create_pair(
        actor=user("county"), data=pair_input(helpers=[helper], end=date(2026, 12, 31))
    )
    with pytest.raises(ValidationError) as refused:
        services.record_activity(
            actor=user("huamachi"), pair=pair, data=services.ActivityInput(date(2025, 1, 5), "早了")
        )
    assert refused.value.message_dict == {"held_on": ["活动日期须在结对期间内"]}
    page = client_for("huamachi")
    assert (
        page.post(
            f"/pairing/{pair.pk}/activities/",
            {"held_on": "2025-04-10", "title": "滩羊养殖观摩", "participants": "两村“两委”班子"},
        ).status_code
        == 302
    )
    bad = page.post(f"/pairing/{pair.pk}/activities/", {"held_on": "2025-04-10", "title": ""})
    assert bad.status_code == 400
    assert list(pair.activities.values_list("title", flat=True)) == ["滩羊养殖观摩"]
    for year, weak, strong in ((2024, "10.00", "80.00"), (2025, "14.00", "85.00"), (2026, "22.50", "90.00")):
        income.record_income(
            actor=user("county"), village_code=HUAMACHI_VILLAGE, year=year, amount=Decimal(weak)
        )
        income.record_income(actor=user("county"), village_code=helper, year=year, amount=Decimal(strong))
    shown = page.get(f"/pairing/{pair.pk}/").content.decode()
    assert "+12.50（+125.0%）" in shown  # 22.50 in 2026 against 10.00 in 2024, the year before the pair
    exported = page.get(f"/pairing/{pair.pk}/income.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(BytesIO(exported.content))["集体经济收入"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1] == [
        "村",
        "结对中的角色",
        "2024 年（结对前）",
        "2025 年",
        "2026 年",
        "变化（万元）",
        "变化率（%）",
    ]
    assert rows[2][1:] == ["受帮扶村", 10.0, 14.0, 22.5, 12.5, 125.0]
    assert rows[3][1:] == ["帮扶村", 80.0, 85.0, 90.0, 10.0, 12.5]
    activity = pair.activities.get()
    assert client_for("auditor").post(f"/pairing/activities/{activity.pk}/delete/").status_code == 403
    assert page.post(f"/pairing/activities/{activity.pk}/delete/").status_code == 302
    assert not pair.activities.exists()


def test_secondments_between_the_villages_show_on_the_pair():
    from tests.factories import make_person
    from yanzhen.cultivation.services import SecondmentInput, create_secondment

    helper = villages_of("640323100")[1]
    pair = services.create_pair(actor=user("county"), data=pair_input(helpers=[helper]))
    person = make_person("跨村任职人", village=HUAMACHI_VILLAGE)
    create_secondment(
        actor=user("county"),
        data=SecondmentInput(
            person=person,
            kind="cross_village",
            mode="part_time",
            host=Division.objects.get(code=helper),
            start=date(2025, 5, 1),
            planned_end=date(2025, 9, 30),
            goals="学习合作社经营",
        ),
    )
    from yanzhen.pairing.selectors import linked_secondments

    assert [s.person.name for s in linked_secondments(pair, list(pair.members.all()))] == ["跨村任职人"]


def _village(code, *, tags=(), industries=(), income_value=None, lat=None, lon=None):
    village = Division.objects.get(code=code)
    village.tags.set([VillageTag.objects.get(name=tag) for tag in tags])
    village.industries.set([Industry.objects.get_or_create(name=name)[0] for name in industries])
    Division.objects.filter(code=code).update(
        collective_income=Decimal(income_value) if income_value else None, latitude=lat, longitude=lon
    )


def test_suggestions_rank_partners_with_their_reasons():
    """花马池镇: W weak (滩羊, 10 万元); A same township, 滩羊, 30 万元, 示范村; B same township, 15 万元; D weak;
    E already paired with W; C in 大水坑镇 8 km away, 滩羊. Other villages: no facts."""
    hua = villages_of("640323100")
    weak, a, b, d, e = hua[:5]
    c = DASHUIKENG_VILLAGE
    _village(weak, tags=["软弱涣散村"], industries=["滩羊养殖"], income_value="10", lat=37.78, lon=107.40)
    _village(a, tags=["示范村"], industries=["滩羊养殖"], income_value="30")
    _village(b, income_value="15")
    _village(d, tags=["软弱涣散村"], income_value="50")
    _village(c, industries=["滩羊养殖"], lat=37.78, lon=107.49)  # about 7.9 km east
    services.create_pair(
        actor=user("county"), data=pair_input(kind=PairKind.STRONG_STRONG, helpers=[weak, e], helped=[])
    )
    ranked, left_out = suggest(
        user("county"), Division.objects.get(code=weak), PairKind.STRONG_WEAK, date(2026, 6, 1)
    )
    top = [(s.place.code, s.total, s.texts) for s in ranked[:3]]
    assert top == [
        (a, 50, ["同乡镇 +10", "共同产业：滩羊养殖 +15", "集体经济收入是本村的 3.0 倍 +15", "示范村 +10"]),
        (c, 20, ["邻近乡镇（相距 7.9 公里） +5", "共同产业：滩羊养殖 +15"]),
        (b, 18, ["同乡镇 +10", "集体经济收入高于本村 +8"]),
    ]
    assert {s.place.code: s.left_out for s in left_out} == {d: "本身是软弱涣散村", e: "已与本村结对"}
    # The rest: same township 10, then the other townships by the division tree 5, ties by code.
    assert [s.total for s in ranked[3:]] == sorted((s.total for s in ranked[3:]), reverse=True)
    # 强强联合 keeps the weak partner in the ranking; a township clerk sees only his own villages.
    strong, _ = suggest(
        user("county"), Division.objects.get(code=weak), PairKind.STRONG_STRONG, date(2026, 6, 1)
    )
    assert d in [s.place.code for s in strong]
    own, _ = suggest(
        user("huamachi"), Division.objects.get(code=weak), PairKind.STRONG_WEAK, date(2026, 6, 1)
    )
    assert all(s.place.code.startswith("640323100") for s in own) and c not in [s.place.code for s in own]


def test_pages_answer_and_a_foreign_village_is_not_found(client_for):
    page = client_for("huamachi")
    assert page.get("/pairing/").status_code == 200
    assert page.get("/pairing/new/").status_code == 200
    assert page.get(f"/pairing/suggest/?village={HUAMACHI_VILLAGE}").status_code == 200
    assert page.get(f"/pairing/suggest/?village={DASHUIKENG_VILLAGE}").status_code == 404
    assert page.get(f"/pairing/?village={DASHUIKENG_VILLAGE}").status_code == 404
    assert client_for("auditor").get("/pairing/new/").status_code == 403
    own = villages_of("640323100")
    response = page.post(
        "/pairing/new/",
        {
            "name": "两村联建",
            "kind": "strong_weak",
            "helpers": [own[1]],
            "helped": [own[0]],
            "start": "2025-03-01",
            "goals": "共同发展滩羊",
        },
    )
    assert response.status_code == 302
    pair = VillagePair.objects.get(name="两村联建")
    bad = page.post(
        "/pairing/new/",
        {"name": "坏", "kind": "strong_weak", "helpers": [own[1]], "start": "2025-03-01", "goals": "x"},
    )
    assert bad.status_code == 400 and "强弱联合须至少有一个受帮扶村" in bad.content.decode()
    assert VillagePair.objects.count() == 1
    assert page.get(f"/pairing/{pair.pk}/edit/").status_code == 200
