"""A second county of 宁夏 beside 盐池县, its administrator, a city and a province administrator, and a few
reserves in both counties, with hand-counted figures (tests/test_report_snapshots.py, the browser test).

盐池县 640323 (102 村委会): A1 born 1995, man, 21 (大专及以上), 01 (党员), V0 secretary + chair; A2 born 1970,
woman, 61, 13, V1 secretary; A3 born 1985, man, 31, 13, V1 chair. Covered: V0 and V1.
青铜峡市 640381 (made here: one town, 2 村委会): B1 born 1996, woman, 21, 01, B0 secretary + chair; B2 born
1960, man, 71, 13, B1 secretary. Covered: B0.
"""

from __future__ import annotations

from datetime import date

from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.candidacies.models import Candidacy, CandidacyState, CandidacyTarget
from yanzhen.divisions.codes import Level, UnitKind
from yanzhen.divisions.models import Division
from yanzhen.posts.models import PostType

from .conftest import PASSWORD
from .factories import make_person

COUNTY_A = "640323"
COUNTY_B = "640381"
A_VILLAGES = ["640323100200", "640323100201"]
B_VILLAGES = ["640381100200", "640381100201"]

# Hand-counted (see the module docstring): the counts of each county and of the two added up.
COUNTS_A = {
    "villages": 102,
    "total": 3,
    "under_35": 1,
    "35_to_50": 1,
    "over_50": 1,
    "college_or_above": 2,
    "secondary_or_below": 1,
    "male": 2,
    "female": 1,
    "party_members": 1,
    "villages_covered": 2,
}
COUNTS_B = {
    "villages": 2,
    "total": 2,
    "under_35": 1,
    "35_to_50": 0,
    "over_50": 1,
    "college_or_above": 1,
    "secondary_or_below": 1,
    "male": 1,
    "female": 1,
    "party_members": 1,
    "villages_covered": 1,
}


def second_county() -> None:
    city = Division.objects.get(code="6403")
    county = Division.objects.create(code=COUNTY_B, name="青铜峡市", level=Level.COUNTY, parent=city)
    town = Division.objects.create(
        code="640381100", name="小坝镇", level=Level.TOWNSHIP, kind=UnitKind.TOWN, parent=county
    )
    for code, name in zip(B_VILLAGES, ["新桥村", "林皋村"], strict=True):
        Division.objects.create(
            code=code, name=name, level=Level.VILLAGE, kind=UnitKind.VILLAGE_COMMITTEE, parent=town
        )


def user(username: str, code: str, role: Role = Role.ADMIN) -> User:
    made, _created = create_or_update_user(
        username=username, password=PASSWORD, division=Division.objects.get(code=code), roles=[role]
    )
    return made


def reserve(name, village, posts, *, born, female, education, status, actor) -> Candidacy:
    person = make_person(
        name, village, born=born, female=female, education=education, status=status, actor=actor
    )
    candidacy = Candidacy.objects.create(
        person=person,
        village_id=village,
        state=CandidacyState.IN_POOL,
        nomination_way="masses",
        nominated_on=date(2024, 12, 1),
        entered_pool_on=date(2025, 1, 1),
    )
    for code in posts:
        CandidacyTarget.objects.create(
            candidacy=candidacy,
            person=person,
            village_id=village,
            post_type=PostType.objects.get(code=code),
            active=True,
        )
    return candidacy


def build() -> dict[str, User]:
    """The second county, the users (county2, wuzhong the city, ningxia the province) and the reserves."""
    second_county()
    users = {
        "county2": user("county2", COUNTY_B),
        "wuzhong": user("wuzhong", "6403"),
        "ningxia": user("ningxia", "64"),
    }
    county = User.objects.get(username="county")
    both = ["secretary", "chair"]
    reserve(
        "甲一",
        A_VILLAGES[0],
        both,
        born=date(1995, 1, 1),
        female=False,
        education="21",
        status="01",
        actor=county,
    )
    reserve(
        "甲二",
        A_VILLAGES[1],
        ["secretary"],
        born=date(1970, 1, 1),
        female=True,
        education="61",
        status="13",
        actor=county,
    )
    reserve(
        "甲三",
        A_VILLAGES[1],
        ["chair"],
        born=date(1985, 6, 1),
        female=False,
        education="31",
        status="13",
        actor=county,
    )
    second = users["county2"]
    reserve(
        "乙一",
        B_VILLAGES[0],
        both,
        born=date(1996, 3, 3),
        female=True,
        education="21",
        status="01",
        actor=second,
    )
    reserve(
        "乙二",
        B_VILLAGES[1],
        ["secretary"],
        born=date(1960, 5, 5),
        female=False,
        education="71",
        status="13",
        actor=second,
    )
    return users
