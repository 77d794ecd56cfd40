"""core.bulk (issue 17): `insert` writes what `bulk_create` writes, and `insert_history` what simple-history's
`bulk_history_create` writes, field for field."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yanzhen.accounts.models import User
from yanzhen.candidacies.models import Candidacy, CandidacyEvent, CandidacyState
from yanzhen.core import bulk
from yanzhen.people.models import Person

from .factories import make_person

pytestmark = pytest.mark.django_db

# Set by the database or the clock at the moment of writing: not compared.
MOMENTS = {"id", "history_id", "created_at", "updated_at", "at", "history_date"}


def _copy(person: Person, tag: str) -> Person:
    copy = Person(
        **{
            field.attname: getattr(person, field.attname)
            for field in Person._meta.concrete_fields
            if not field.primary_key
        }
    )
    copy.id_number_hash = f"{tag}{person.id_number_hash[len(tag) :]}"
    copy.name = " 马\u200b小军 "  # the normalised text field's own pre_save: "马小军"
    return copy


def _stored(model, pk) -> dict:
    values = model.objects.filter(pk=pk).values().get()
    return {name: value for name, value in values.items() if name not in MOMENTS}


def _inserted_candidacy(clerk) -> Candidacy:
    """An in-pool candidacy of a new person, written by `insert` (the events' candidacy)."""
    person = make_person()
    candidacy = Candidacy(
        person=person,
        village=person.village,
        state=CandidacyState.IN_POOL,
        nominated_on=date(2020, 6, 1),
        entered_pool_on=date(2020, 6, 1),
        created_by=clerk,
    )
    bulk.insert([candidacy])
    return candidacy


def test_insert_writes_what_bulk_create_writes():
    person = make_person()
    # Tags outside the hex digits, so neither copy can take the hash of the person it copies.
    by_django, by_insert = _copy(person, "x"), _copy(person, "y")
    Person.objects.bulk_create([by_django])
    bulk.insert([by_insert])
    assert by_insert.pk is not None and by_insert.pk != by_django.pk and not by_insert._state.adding
    assert by_insert.name == "马小军"
    django_row, insert_row = _stored(Person, by_django.pk), _stored(Person, by_insert.pk)
    assert django_row.pop("id_number_hash") != insert_row.pop("id_number_hash")
    assert django_row == insert_row


def test_insert_writes_json_dates_and_foreign_keys_as_bulk_create():
    clerk = User.objects.get(username="huamachi")
    candidacy = _inserted_candidacy(clerk)
    events = [
        CandidacyEvent(
            candidacy=candidacy,
            from_state="",
            to_state=CandidacyState.IN_POOL,
            actor=clerk,
            on=date(2020, 6, 1),
            summary="花名册导入入库：村党组织书记",
            data={"import_run": 1, "targets": ["secretary"], "名": "值"},
        )
        for _ in range(2)
    ]
    CandidacyEvent.objects.bulk_create(events[:1])
    bulk.insert(events[1:])
    assert _stored(CandidacyEvent, events[0].pk) == _stored(CandidacyEvent, events[1].pk)


def test_insert_history_writes_what_bulk_history_create_writes():
    clerk = User.objects.get(username="huamachi")
    person = Person.objects.get(pk=make_person().pk)  # without the author its service set on it
    now = timezone.now()
    options = {"default_user": clerk, "default_change_reason": "花名册导入 abc", "default_date": now}
    [by_simple_history] = Person.history.bulk_history_create([person], update=True, **options)
    [by_insert] = bulk.insert_history(
        Person, [person], update=True, user=clerk, change_reason="花名册导入 abc", date=now
    )
    assert by_insert != by_simple_history.history_id
    first = Person.history.filter(history_id=by_simple_history.history_id).values().get()
    second = Person.history.filter(history_id=by_insert).values().get()
    first.pop("history_id"), second.pop("history_id")
    assert first == second
    assert (second["history_type"], second["history_user_id"], second["history_date"]) == ("~", clerk.pk, now)


def test_insert_of_nothing_writes_nothing():
    before = Person.objects.count()
    bulk.insert([])
    assert bulk.insert_with_history([]) == []
    assert Person.objects.count() == before


def test_values_not_of_the_columns_type_are_prepared_by_their_field():
    """`insert` passes a value on unchanged only when the field would: a lazy text, a number in a text
    column and a moment in a date column are converted as `bulk_create` converts them."""
    clerk = User.objects.get(username="huamachi")
    candidacy = _inserted_candidacy(clerk)
    moment = timezone.make_aware(timezone.datetime(2021, 3, 4, 23, 30))
    events = [
        CandidacyEvent(
            candidacy=candidacy,
            from_state="",
            to_state=CandidacyState.IN_POOL,
            actor=clerk,
            on=moment,
            summary=gettext_lazy("Village"),
            data={},
        ),
        CandidacyEvent(
            candidacy=candidacy,
            from_state="",
            to_state=CandidacyState.IN_POOL,
            actor_id=str(clerk.pk),
            on=moment,
            summary=gettext_lazy("Village"),
            data={},
        ),
    ]
    CandidacyEvent.objects.bulk_create(events[:1])
    bulk.insert(events[1:])
    by_django, by_insert = _stored(CandidacyEvent, events[0].pk), _stored(CandidacyEvent, events[1].pk)
    assert by_insert == by_django
    assert (by_insert["on"], by_insert["actor_id"]) == (date(2021, 3, 4), clerk.pk)


def test_keys_drawn_by_insert_are_not_drawn_again():
    """On PostgreSQL the keys come from the table's sequence before the COPY: a later save takes the next."""
    people = [_copy(make_person(), tag) for tag in ("x", "y", "z")]
    bulk.insert(people)
    keys = [person.pk for person in people]
    assert len(set(keys)) == 3 and Person.objects.filter(pk__in=keys).count() == 3
    later = make_person()
    assert later.pk > max(keys)
