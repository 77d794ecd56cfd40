"""雏雁计划 (issue 19 §1): prospects away from home with their contact log, the county's policy documents,
hometown meetings with invitees and attendance, and "推荐为后备人选" linking a prospect to an archive (history
carried by the link, nothing duplicated). Scoped, role-checked, validated, with history; the phone encrypted,
masked and revealed with an audit row; the statistics' `prospects` block hand-counted."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.prospects import selectors, services
from yanzhen.prospects.models import Contact, Invitation, OutreachEvent, PolicyDocument, Prospect
from yanzhen.stats.figures import compute

from .candidacies_support import user
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def village(code: str = HUAMACHI_VILLAGE) -> Division:
    return Division.objects.get(code=code)


def make_prospect(name="马振华", code=HUAMACHI_VILLAGE, *, actor="county", **extra) -> Prospect:
    data = services.ProspectInput(
        name=name,
        village=village(code),
        category=extra.pop("category", "migrant"),
        city=extra.pop("city", "银川市"),
        occupation=extra.pop("occupation", "经营建材生意"),
        phone=extra.pop("phone", PHONE),
        **extra,
    )
    return services.create_prospect(actor=user(actor), data=data)


def contact(prospect, on=date(2026, 3, 1), *, actor="huamachi", documents=()) -> Contact:
    return services.add_contact(
        actor=user(actor),
        prospect=prospect,
        data=services.ContactInput(
            kind="call", on=on, by="王书记", summary="介绍返乡创业政策", documents=list(documents)
        ),
    )


def policy() -> PolicyDocument:
    return services.add_policy_document(
        actor=user("county"), county=Division.objects.get(code="640323"), title="返乡创业优惠政策清单"
    )


def written() -> tuple:
    return (
        Prospect.objects.count(),
        Prospect.history.count(),
        Contact.objects.count(),
        Contact.history.count(),
        Invitation.objects.count(),
        Person.objects.count(),
    )


# -- the register and the phone -------------------------------------------------------------------------------


def test_a_prospect_keeps_his_phone_encrypted_hashed_and_masked():
    prospect = make_prospect(returning=True, investing=True)
    prospect.refresh_from_db()
    assert PHONE not in prospect.phone_encrypted
    assert prospect.phone_masked == "139****5678"
    assert len(prospect.phone_hash) == 64
    assert prospect.interests == ["返乡发展", "回乡投资"] or prospect.interests == [
        "Returning home",
        "Investing",
    ]
    assert prospect.history.count() == 1
    assert prospect.history.first().history_user == user("county")
    assert not hasattr(prospect.history.first(), "phone_encrypted")


def test_revealing_the_phone_is_audited_and_needs_the_permission():
    prospect = make_prospect()
    assert services.reveal_phone(actor=user("huamachi"), prospect=prospect) == PHONE
    event = AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_PHONE).get()
    assert event.object_repr == f"prospect {prospect.pk}"
    with pytest.raises(PermissionDenied):
        services.reveal_phone(actor=user("auditor"), prospect=prospect)
    with pytest.raises(Http404):
        services.reveal_phone(actor=user("dashuikeng"), prospect=prospect)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_PHONE).count() == 1


def test_update_keeps_the_phone_when_none_is_given():
    prospect = make_prospect()
    data = services.ProspectInput(name="马振华", village=village(), category="veteran", phone=None)
    services.update_prospect(actor=user("huamachi"), prospect=prospect, data=data)
    prospect.refresh_from_db()
    assert (prospect.category, prospect.phone_masked, prospect.city) == ("veteran", "139****5678", "")
    assert prospect.history.count() == 2


def test_bad_input_names_every_field_and_writes_nothing():
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.create_prospect(
            actor=user("huamachi"),
            data=services.ProspectInput(
                name=" ",
                village=Division.objects.get(code=HUAMACHI),
                category="nobody",
                birth_year=2100,
                phone="12345",
            ),
        )
    assert set(refused.value.message_dict) == {"name", "village", "category", "birth_year", "phone"}
    assert written() == before


def test_scoping_of_prospects():
    mine = make_prospect("马振华")
    theirs = make_prospect("李香", DASHUIKENG_VILLAGE)
    assert list(selectors.prospects(user("huamachi"))) == [mine]
    assert set(selectors.prospects(user("county"))) == {mine, theirs}
    assert list(selectors.prospects(user("outsider"))) == []
    with pytest.raises(Http404):
        selectors.get_prospect(user("huamachi"), theirs.pk)
    before = written()
    with pytest.raises(Http404):
        make_prospect("张三", DASHUIKENG_VILLAGE, actor="huamachi")
    with pytest.raises(Http404):
        contact(theirs, actor="huamachi")
    with pytest.raises(PermissionDenied):
        contact(mine, actor="auditor")
    with pytest.raises(PermissionDenied):
        make_prospect("张三", actor="cunshuji")
    assert written() == before


def test_filters_of_the_register():
    a = make_prospect("马振华", category="student", standing=True)
    b = make_prospect("李香", DASHUIKENG_VILLAGE, city="成都市")
    county = user("county")
    assert list(selectors.prospects(county, selectors.ProspectFilters(category="student"))) == [a]
    assert list(selectors.prospects(county, selectors.ProspectFilters(interest="standing"))) == [a]
    assert list(selectors.prospects(county, selectors.ProspectFilters(within=HUAMACHI))) == [a]
    assert list(selectors.prospects(county, selectors.ProspectFilters(q="成都"))) == [b]
    assert list(selectors.prospects(county, selectors.ProspectFilters(converted="yes"))) == []


# -- contacts and documents -----------------------------------------------------------------------------------


def test_a_contact_records_the_documents_handed_over():
    prospect = make_prospect()
    document = policy()
    entry = contact(prospect, documents=[document])
    assert list(entry.documents.all()) == [document]
    assert entry.history.first().history_user == user("huamachi")
    with pytest.raises(ValidationError) as refused:
        contact(prospect, on=date(2026, 6, 16))
    assert "on" in refused.value.message_dict


def test_a_township_sees_its_countys_documents_but_only_the_county_publishes():
    document = policy()
    assert list(selectors.policy_documents(user("huamachi"))) == [document]
    assert list(selectors.policy_documents(user("outsider"))) == []
    with pytest.raises(PermissionDenied):
        services.add_policy_document(
            actor=user("huamachi"), county=Division.objects.get(code="640323"), title="另一份"
        )
    assert PolicyDocument.objects.count() == 1


# -- events and attendance --------------------------------------------------------------------------------------


def meeting(actor="county", organiser="640323", held_on=date(2026, 6, 1)) -> OutreachEvent:
    return services.create_event(
        actor=user(actor),
        data=services.EventInput(
            organiser=Division.objects.get(code=organiser),
            kind="meeting",
            title="端午乡贤座谈会",
            held_on=held_on,
            place="县委党校",
        ),
    )


def test_attendance_adds_a_meeting_to_the_contact_log_and_takes_it_back():
    mine = make_prospect("马振华")
    theirs = make_prospect("李香", DASHUIKENG_VILLAGE)
    event = meeting()
    services.invite(actor=user("county"), event=event, prospects=[mine, theirs])
    services.invite(actor=user("county"), event=event, prospects=[mine])  # nothing twice
    assert event.invitations.count() == 2
    invitation = event.invitations.get(prospect=mine)
    assert (
        services.record_attendance(actor=user("county"), event=event, attendance={invitation.pk: "yes"}) == 1
    )
    logged = mine.contacts.get()
    assert (logged.kind, logged.on, logged.event, logged.by) == ("meeting", date(2026, 6, 1), event, "盐池县")
    # The same answer again changes nothing; "did not come" takes the meeting back.
    services.record_attendance(actor=user("county"), event=event, attendance={invitation.pk: "yes"})
    assert mine.contacts.count() == 1
    services.record_attendance(actor=user("county"), event=event, attendance={invitation.pk: "no"})
    assert mine.contacts.count() == 0
    assert Contact.history.filter(history_type="-").count() == 1


def test_an_event_is_managed_by_its_organiser_and_seen_by_its_invitees_townships():
    mine = make_prospect("马振华")
    theirs = make_prospect("李香", DASHUIKENG_VILLAGE)
    event = meeting()
    services.invite(actor=user("county"), event=event, prospects=[mine, theirs])
    # The township sees the county's meeting through its invitee, and only its own invitee.
    assert list(selectors.events(user("huamachi"))) == [event]
    assert [i.prospect for i in selectors.invitations(user("huamachi"), event)] == [mine]
    before = written()
    with pytest.raises(PermissionDenied):
        services.invite(actor=user("huamachi"), event=event, prospects=[mine])
    invitation = event.invitations.get(prospect=mine)
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=user("huamachi"), event=event, attendance={invitation.pk: "yes"})
    # A township's own meeting cannot invite another township's prospects.
    own = meeting("huamachi", HUAMACHI)
    with pytest.raises(Http404):
        services.invite(actor=user("huamachi"), event=own, prospects=[theirs])
    assert written() == before
    assert list(selectors.events(user("dashuikeng"))) == [event]
    assert list(selectors.events(user("outsider"))) == []


def test_attendance_cannot_be_recorded_before_the_event():
    prospect = make_prospect()
    event = meeting(held_on=date(2026, 7, 1))
    services.invite(actor=user("county"), event=event, prospects=[prospect])
    invitation = event.invitations.get()
    with pytest.raises(ValidationError):
        services.record_attendance(actor=user("county"), event=event, attendance={invitation.pk: "yes"})
    assert prospect.contacts.count() == 0


# -- 推荐为后备人选 -----------------------------------------------------------------------------------------------------

NUMBER = make_id_number("640323", date(1988, 4, 2), 37)


def test_conversion_creates_the_archive_and_carries_the_history_by_the_link():
    prospect = make_prospect(category="entrepreneur")
    contact(prospect)
    contact(prospect, on=date(2026, 5, 1))
    contacts_before = Contact.objects.count()
    person, created = services.convert(
        actor=user("huamachi"),
        prospect=prospect,
        data=services.ConversionInput(id_number=NUMBER, political_status="01"),
    )
    assert created
    assert (person.name, person.village.code, person.reveal_phone()) == ("马振华", HUAMACHI_VILLAGE, PHONE)
    assert person.source.name == "返乡创业青年"
    prospect.refresh_from_db()
    assert (prospect.person, prospect.converted_on) == (person, TODAY)
    # The contact log stays on the prospect, nothing copied; the archive finds it through the link.
    assert Contact.objects.count() == contacts_before
    assert selectors.prospect_of_person(user("huamachi"), person.pk) == prospect
    assert selectors.prospect_of_person(user("dashuikeng"), person.pk) is None
    assert prospect.contacts.count() == 2


def test_a_known_id_number_links_the_existing_archive_never_a_second_one():
    existing = make_person("马振华", born=date(1988, 4, 2), sequence=37)
    prospect = make_prospect()
    people = Person.objects.count()
    person, created = services.convert(
        actor=user("huamachi"),
        prospect=prospect,
        data=services.ConversionInput(id_number=existing.reveal_id_number(), political_status="13"),
    )
    assert (person, created) == (existing, False)
    assert Person.objects.count() == people
    existing.refresh_from_db()
    assert existing.political_status == "01"  # the archive is not touched


def test_a_prospect_is_converted_once():
    prospect = make_prospect()
    data = services.ConversionInput(id_number=NUMBER, political_status="01")
    services.convert(actor=user("huamachi"), prospect=prospect, data=data)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.convert(actor=user("county"), prospect=prospect, data=data)
    assert "已于 2026-06-15 推荐为后备人选" in refused.value.messages[0]
    assert written() == before


def test_conversion_is_refused_outside_and_for_a_reader_and_on_a_bad_number():
    prospect = make_prospect()
    before = written()
    with pytest.raises(Http404):
        services.convert(
            actor=user("dashuikeng"),
            prospect=prospect,
            data=services.ConversionInput(id_number=NUMBER, political_status="01"),
        )
    with pytest.raises(PermissionDenied):
        services.convert(
            actor=user("auditor"),
            prospect=prospect,
            data=services.ConversionInput(id_number=NUMBER, political_status="01"),
        )
    with pytest.raises(ValidationError) as refused:
        services.convert(
            actor=user("huamachi"),
            prospect=prospect,
            data=services.ConversionInput(id_number="640323198804020000", political_status="01"),
        )
    assert "id_number" in refused.value.message_dict
    assert written() == before


# -- the statistics ---------------------------------------------------------------------------------------------


def test_the_stats_block_counts_prospects_contacts_and_conversions(monkeypatch):
    a = make_prospect("甲")  # registered 2026-06-15 (today)
    b = make_prospect("乙")
    c = make_prospect("丙", DASHUIKENG_VILLAGE)
    Prospect.objects.filter(pk__in=[a.pk, c.pk]).update(registered_on=date(2025, 3, 1))
    contact(a, on=date(2025, 10, 1))  # last year
    contact(a, on=date(2026, 2, 1))
    contact(a, on=date(2026, 3, 1))  # a twice this year: counts once
    contact(b, on=date(2026, 6, 10))
    contact(c, on=date(2026, 1, 5), actor="county")
    services.convert(
        actor=user("county"),
        prospect=c,
        data=services.ConversionInput(id_number=NUMBER, political_status="01"),
    )  # converted today
    county = user("county")
    assert compute(county, "640323", TODAY)["prospects"] == {
        "total": 3,
        "contacted_this_year": 3,
        "converted_this_year": 1,
    }
    assert compute(county, HUAMACHI, TODAY)["prospects"] == {
        "total": 2,
        "contacted_this_year": 2,
        "converted_this_year": 0,
    }
    # On 2026-02-15: a and c registered, a contacted on 1 Feb, c on 5 Jan; nobody converted yet.
    assert compute(county, "640323", date(2026, 2, 15))["prospects"] == {
        "total": 2,
        "contacted_this_year": 2,
        "converted_this_year": 0,
    }
    # On 2025-12-31: a's contact of October 2025 counts in 2025.
    assert compute(county, "640323", date(2025, 12, 31))["prospects"] == {
        "total": 2,
        "contacted_this_year": 1,
        "converted_this_year": 0,
    }
    assert compute(None, HUAMACHI_VILLAGE, TODAY)["prospects"]["total"] == 2


def test_the_stats_command_prints_the_block():
    import io
    import json

    from django.core.management import call_command

    make_prospect()
    out = io.StringIO()
    call_command("stats", "--division", "640323", "--json", stdout=out)
    assert json.loads(out.getvalue())["prospects"] == {
        "total": 1,
        "contacted_this_year": 0,
        "converted_this_year": 0,
    }
    out = io.StringIO()
    call_command("stats", "--division", "640323", stdout=out)
    assert "雏雁计划" in out.getvalue() and "在册人选" in out.getvalue()
