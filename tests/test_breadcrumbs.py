"""Breadcrumb levels above the user's jurisdiction are plain text (issue 13 §1): their pages answer 404."""

import re

import pytest

from .conftest import HUAMACHI, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db


def crumbs(html: str) -> list[tuple[str, str | None]]:
    """(name, link or None) of each breadcrumb level."""
    trail = html.split('id="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    found = []
    for item in re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', trail, re.S):
        link = re.match(r'<a href="([^"]+)">(.*?)</a>$', item.strip())
        found.append((link.group(2), link.group(1)) if link else (item.strip(), None))
    return found


def test_a_township_clerk_sees_the_levels_above_his_township_as_text(client_for):
    client = client_for("huamachi")
    html = client.get(f"/divisions/{HUAMACHI_VILLAGE}/").content.decode()
    assert crumbs(html)[:4] == [
        ("宁夏回族自治区", None),
        ("吴忠市", None),
        ("盐池县", None),
        ("花马池镇", f"/divisions/{HUAMACHI}/"),
    ]
    # Every link left in the trail opens.
    for _name, link in crumbs(html):
        if link:
            assert client.get(link).status_code == 200


def test_the_county_links_its_county_but_not_the_region_and_city(client_for):
    html = client_for("county").get(f"/divisions/{HUAMACHI}/").content.decode()
    assert crumbs(html) == [
        ("宁夏回族自治区", None),
        ("吴忠市", None),
        ("盐池县", "/divisions/640323/"),
        ("花马池镇", None),  # the page itself, active
    ]


def test_the_village_secretary_sees_only_his_village_linked(client_for, persona):
    from datetime import date

    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person

    person = create_person(
        actor=persona("county"),
        data=PersonInput(
            name="马振华",
            id_number=make_id_number("640323", date(1985, 6, 1), 1),
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            political_status="01",
        ),
    )
    html = client_for("cunshuji").get(f"/people/{person.pk}/").content.decode()
    trail = crumbs(html)
    assert [link for _name, link in trail[:4]] == [None, None, None, None]
    assert trail[4][1] == f"/divisions/{HUAMACHI_VILLAGE}/"
