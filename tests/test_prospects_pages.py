"""雏雁计划's pages and API (issue 19 §1): the register with filters and its masked, audited export; a prospect's
page with the masked phone and the audited reveal; the contact form; the conversion into the nomination; the
events with invitations and attendance; 来自雏雁计划 on the archive and the candidacy; /api/v1/prospects scoped;
answers 200/400/403/404 and refused writes changing nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yanzhen.candidacies import workflow
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType
from yanzhen.prospects import services
from yanzhen.prospects.models import Contact, Invitation, Prospect

from .candidacies_support import user
from .conftest import DASHUIKENG, DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
TODAY = date(2026, 6, 15)
NUMBER = make_id_number("640323", date(1988, 4, 2), 37)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def make_prospect(name="马振华", code=HUAMACHI_VILLAGE, **extra) -> Prospect:
    return services.create_prospect(
        actor=user("county"),
        data=services.ProspectInput(
            name=name,
            village=Division.objects.get(code=code),
            category=extra.pop("category", "migrant"),
            city="银川市",
            phone=PHONE,
            **extra,
        ),
    )


def counts() -> tuple:
    return (
        Prospect.objects.count(),
        Prospect.history.count(),
        Contact.objects.count(),
        Invitation.objects.count(),
        Person.objects.count(),
    )


# -- the register ------------------------------------------------------------------------------------------------


def test_the_register_lists_the_users_prospects_with_filters(client_for):
    make_prospect("马振华", category="student")
    make_prospect("李香", DASHUIKENG_VILLAGE)
    page = client_for("huamachi").get("/prospects/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "马振华" in text and "李香" not in text
    county = client_for("county")
    assert "李香" not in county.get(f"/prospects/?township={HUAMACHI}").content.decode()
    assert "马振华" not in county.get("/prospects/?category=veteran").content.decode()
    assert "李香" in county.get("/prospects/?q=李").content.decode()
    # A township outside the jurisdiction is 404, as a foreign id.
    assert client_for("huamachi").get(f"/prospects/?township={DASHUIKENG}").status_code == 404


def test_the_export_is_masked_audited_and_scoped(client_for):
    make_prospect("马振华", returning=True)
    make_prospect("李香", DASHUIKENG_VILLAGE)
    response = client_for("huamachi").get("/prospects/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "马振华"
    assert rows[1][8] == "139****5678"
    assert PHONE not in str(rows)
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert event.detail["rows"] == 1
    assert client_for("cunshuji").get("/prospects/export.xlsx").status_code == 403


# -- a prospect's page --------------------------------------------------------------------------------------------


def test_the_page_shows_the_masked_phone_and_the_reveal_is_audited(client_for):
    prospect = make_prospect()
    page = client_for("huamachi").get(f"/prospects/{prospect.pk}/").content.decode()
    assert "139****5678" in page and PHONE not in page
    revealed = client_for("huamachi").post(f"/prospects/{prospect.pk}/reveal/")
    assert revealed.status_code == 200 and PHONE in revealed.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_PHONE).count() == 1
    assert client_for("auditor").post(f"/prospects/{prospect.pk}/reveal/").status_code == 403
    assert client_for("dashuikeng").post(f"/prospects/{prospect.pk}/reveal/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_PHONE).count() == 1


def test_create_and_edit_forms(client_for):
    client = client_for("huamachi")
    response = client.post(
        "/prospects/new/",
        {
            "name": "王立新",
            "village": HUAMACHI_VILLAGE,
            "category": "veteran",
            "phone": PHONE,
            "interests": ["standing", "returning"],
            "city": "西安市",
        },
    )
    prospect = Prospect.objects.get()
    assert response.status_code == 302 and response.url == f"/prospects/{prospect.pk}/"
    assert (prospect.standing, prospect.returning, prospect.investing) == (True, True, False)
    before = counts()
    bad = client.post("/prospects/new/", {"name": "", "village": DASHUIKENG_VILLAGE, "category": "x"})
    assert bad.status_code == 400
    assert counts() == before
    # The edit keeps the phone when the field is left empty.
    edited = client.post(
        f"/prospects/{prospect.pk}/edit/",
        {"name": "王立新", "village": HUAMACHI_VILLAGE, "category": "veteran", "city": "咸阳市", "phone": ""},
    )
    assert edited.status_code == 302
    prospect.refresh_from_db()
    assert (prospect.city, prospect.phone_masked, prospect.standing) == ("咸阳市", "139****5678", False)
    assert client_for("auditor").get("/prospects/new/").status_code == 403


def test_the_contact_form_adds_to_the_log_or_answers_400(client_for):
    prospect = make_prospect()
    document = services.add_policy_document(
        actor=user("county"), county=Division.objects.get(code="640323"), title="返乡创业优惠政策清单"
    )
    client = client_for("huamachi")
    saved = client.post(
        f"/prospects/{prospect.pk}/contacts/",
        {
            "kind": "visit",
            "on": "2026-06-01",
            "by": "王书记",
            "summary": "上门拜访",
            "documents": [document.pk],
        },
    )
    assert saved.status_code == 302
    contact = prospect.contacts.get()
    assert list(contact.documents.all()) == [document]
    page = client.get(f"/prospects/{prospect.pk}/").content.decode()
    assert "上门拜访" in page and "《返乡创业优惠政策清单》" in page
    before = counts()
    assert (
        client.post(f"/prospects/{prospect.pk}/contacts/", {"kind": "visit", "on": "2026-07-01"}).status_code
        == 400
    )
    assert client_for("auditor").post(f"/prospects/{prospect.pk}/contacts/", {}).status_code == 403
    assert counts() == before


# -- conversion ----------------------------------------------------------------------------------------------------


def test_conversion_leads_to_the_nomination_and_the_archive_links_back(client_for):
    prospect = make_prospect(category="entrepreneur")
    services.add_contact(
        actor=user("huamachi"),
        prospect=prospect,
        data=services.ContactInput(kind="call", on=date(2026, 5, 1), by="王书记"),
    )
    client = client_for("huamachi")
    assert client.get(f"/prospects/{prospect.pk}/convert/").status_code == 200
    before = counts()
    bad = client.post(f"/prospects/{prospect.pk}/convert/", {"id_number": "123", "political_status": "01"})
    assert bad.status_code == 400 and counts() == before
    response = client.post(
        f"/prospects/{prospect.pk}/convert/", {"id_number": NUMBER, "political_status": "01"}
    )
    person = Person.objects.get(name="马振华")
    assert response.status_code == 302
    assert response.url == f"/reserves/nominate/?person={person.pk}"
    nomination = client.get(response.url)
    assert nomination.status_code == 200
    archive = client.get(f"/people/{person.pk}/").content.decode()
    assert 'id="prospect-origin"' in archive and f"/prospects/{prospect.pk}/#contacts" in archive
    # A second conversion is refused with a message, nothing written.
    before = counts()
    again = client.get(f"/prospects/{prospect.pk}/convert/")
    assert again.status_code == 302 and again.url == f"/prospects/{prospect.pk}/"
    assert (
        client.post(
            f"/prospects/{prospect.pk}/convert/", {"id_number": NUMBER, "political_status": "01"}
        ).status_code
        == 302
    )
    assert counts() == before
    # The candidacy page shows where he came from too; another township does not see the link.
    candidacy = workflow.nominate(
        actor=user("huamachi"),
        person=person,
        post_types=[PostType.objects.get(code="secretary")],
        nomination_way="township_party",
        on=TODAY,
    )
    assert 'id="prospect-origin"' in client.get(f"/reserves/{candidacy.pk}/").content.decode()
    assert client_for("dashuikeng").get(f"/prospects/{prospect.pk}/convert/").status_code == 404


# -- events --------------------------------------------------------------------------------------------------------


def test_an_event_from_creation_to_attendance(client_for):
    mine = make_prospect("马振华")
    client = client_for("huamachi")
    created = client.post(
        "/prospects/events/new/",
        {"organiser": HUAMACHI, "kind": "meeting", "title": "端午乡友恳谈会", "held_on": "2026-06-10"},
    )
    assert created.status_code == 302
    event_url = created.url
    invited = client.post(f"{event_url}invite/", {"prospects": [mine.pk]})
    assert invited.status_code == 302
    invitation = Invitation.objects.get()
    ticked = client.post(f"{event_url}attendance/", {f"attended-{invitation.pk}": "yes"})
    assert ticked.status_code == 302
    assert mine.contacts.get().kind == "meeting"
    assert "端午乡友恳谈会" in client.get(f"/prospects/{mine.pk}/").content.decode()
    before = counts()
    assert client.post(f"{event_url}attendance/", {"attended-x": "yes"}).status_code == 400
    assert (
        client_for("dashuikeng")
        .post(f"{event_url}attendance/", {f"attended-{invitation.pk}": "no"})
        .status_code
        == 404
    )
    assert client_for("county").post(f"{event_url}invite/", {"prospects": ["999999"]}).status_code == 400
    assert counts() == before
    assert "端午乡友恳谈会" in client.get("/prospects/events/").content.decode()


def test_documents_page(client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for("county")
    saved = client.post(
        "/prospects/documents/",
        {"title": "返乡创业优惠政策清单", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    assert saved.status_code == 302
    assert "返乡创业优惠政策清单" in client_for("huamachi").get("/prospects/documents/").content.decode()
    assert client_for("huamachi").post("/prospects/documents/", {"title": "x"}).status_code == 403
    refused = client.post(
        "/prospects/documents/", {"title": "伪装", "file": SimpleUploadedFile("x.pdf", b"not a pdf")}
    )
    assert refused.status_code == 400


# -- API -----------------------------------------------------------------------------------------------------------


def test_the_api_is_scoped_and_carries_the_contacts(client_for):
    mine = make_prospect("马振华", returning=True)
    theirs = make_prospect("李香", DASHUIKENG_VILLAGE)
    services.add_contact(
        actor=user("huamachi"),
        prospect=mine,
        data=services.ContactInput(kind="call", on=date(2026, 5, 1), by="王书记", summary="电话联系"),
    )
    client = client_for("huamachi")
    listed = client.get("/api/v1/prospects").json()
    assert listed["count"] == 1 and listed["items"][0]["phone_masked"] == "139****5678"
    assert listed["items"][0]["interests"] == ["returning"]
    one = client.get(f"/api/v1/prospects/{mine.pk}").json()
    assert [c["summary"] for c in one["contacts"]] == ["电话联系"]
    assert PHONE not in str(one)
    assert client.get(f"/api/v1/prospects/{theirs.pk}").status_code == 404
    created = client.post(
        "/api/v1/prospects",
        {"name": "周强", "village": HUAMACHI_VILLAGE, "category": "student", "interests": ["investing"]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["interests"] == ["investing"]
    before = counts()
    body = {"name": "周强", "village": DASHUIKENG_VILLAGE, "category": "student"}
    assert client.post("/api/v1/prospects", body, content_type="application/json").status_code == 404
    body["village"] = HUAMACHI_VILLAGE
    assert (
        client_for("auditor").post("/api/v1/prospects", body, content_type="application/json").status_code
        == 403
    )
    body["category"] = "nobody"
    refused = client.post("/api/v1/prospects", body, content_type="application/json")
    assert refused.status_code == 422 and "category" in refused.json()["errors"]
    assert counts() == before


def test_the_stats_api_has_the_prospects_block(client_for):
    make_prospect()
    figures = client_for("county").get("/api/v1/stats?division=640323").json()
    assert figures["prospects"] == {"total": 1, "contacted_this_year": 0, "converted_this_year": 0}
