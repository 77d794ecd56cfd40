"""The roster import's bulk path (issue 17): what it writes is what a save would write, history included, and
its queries do not grow with the rows of the file."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yanzhen.accounts.models import User
from yanzhen.candidacies.models import Candidacy, CandidacyEvent, CandidacyTarget
from yanzhen.people.models import EducationRecord, Person

from .rosters_support import HEADER, row, run, xlsx
from .test_rosters import MESSY_HEADER, messy_rows, messy_sheet

pytestmark = pytest.mark.django_db

VILLAGES = ["长城村", "沟沿村", "佟记圈村", "四墩子村"]


def _fields(instance, model) -> dict:
    """The fields the history keeps (simple-history leaves out the ciphertexts of the ID number and phone)."""
    kept = {field.attname for field in model.history.model._meta.concrete_fields}
    return {
        field.attname: getattr(instance, field.attname)
        for field in model._meta.concrete_fields
        if field.attname in kept
    }


def _assert_history_copies(model, objects, *, history_type: str, user, reason: str) -> set:
    """Each object's latest history row holds every field of the object as stored; the history dates."""
    dates = set()
    for instance in objects:
        latest = instance.history.first()
        assert _fields(latest, model) == _fields(instance, model), instance
        assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
            history_type,
            user,
            reason,
        )
        dates.add(latest.history_date)
    return dates


def test_the_history_rows_of_imported_people_copy_every_stored_field():
    clerk = User.objects.get(username="huamachi")
    result = run(messy_sheet(), user="huamachi")
    reason = f"花名册导入 {result.sha256[:12]}"
    people = list(Person.objects.order_by("pk"))
    assert len(people) == 7 and Person.history.count() == 7
    dates = _assert_history_copies(Person, people, history_type="+", user=clerk, reason=reason)
    records = list(EducationRecord.objects.order_by("pk"))
    assert len(records) == 7 and EducationRecord.history.count() == 7
    dates |= _assert_history_copies(EducationRecord, records, history_type="+", user=clerk, reason=reason)
    candidacies = list(Candidacy.objects.order_by("pk"))
    assert len(candidacies) == 7 and Candidacy.history.count() == 7
    dates |= _assert_history_copies(Candidacy, candidacies, history_type="+", user=clerk, reason=reason)
    assert len(dates - {candidacy.history.get().history_date for candidacy in candidacies}) == 1
    for person in people:
        # The m2m snapshot: the skills and industries as written, in the person's one history row.
        [created] = person.history.all()
        assert sorted(link.skill_id for link in created.skills.all()) == sorted(
            person.skills.values_list("pk", flat=True)
        )
        assert list(created.industries.all()) == []
    assert sum(1 for person in people if person.skills.exists()) == 1  # 马小军: 养殖, 电商
    # Every candidacy has its targets and one timeline event.
    assert CandidacyTarget.objects.count() == 8  # 马小军: 书记、主任
    assert CandidacyEvent.objects.count() == 7


def test_a_reimport_adds_one_update_row_per_changed_person_and_no_other():
    clerk = User.objects.get(username="huamachi")
    run(messy_sheet(), user="huamachi")
    rows = messy_rows()
    rows[0][6] = "群众"  # 马小军's political status changes
    rows[0][15] = "养殖"  # and his skills
    rows[1][9] = "宁夏大学 汉语言"  # 李红's school is added to her record
    result = run(xlsx(rows, header=MESSY_HEADER), user="huamachi")
    assert (result.persons_updated, result.unchanged) == (2, 5)
    reason = f"花名册导入 {result.sha256[:12]}"
    changed = [p for p in Person.objects.order_by("pk") if p.history.count() == 2]
    assert [p.name for p in changed] == ["马小军", "李红"]
    _assert_history_copies(Person, changed, history_type="~", user=clerk, reason=reason)
    ma = changed[0]
    assert ma.political_status == "13"
    assert [link.skill.name for link in ma.history.first().skills.all()] == ["养殖"]
    assert sorted(s.skill.name for s in ma.history.last().skills.all()) == ["养殖", "电商"]
    record = changed[1].educations.get()
    assert record.school == "宁夏大学 汉语言" and record.history.count() == 2
    _assert_history_copies(EducationRecord, [record], history_type="~", user=clerk, reason=reason)
    assert Person.history.count() == 9 and Candidacy.history.count() == 7


def _sheet(count: int, start: int) -> bytes:
    """`count` new people over four villages, with the columns of the support sheet and some skills."""
    rows = []
    for index in range(count):
        born = date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
        sequence = start + index
        gender = "男" if sequence % 2 else "女"
        line = row(f"甲{index}", born, sequence, gender=gender, village=VILLAGES[index % 4])
        rows.append([*line, "养殖、电商" if index % 2 else "会开车"])
    return xlsx(rows, header=[*HEADER, "特长"])


def _queries(content: bytes, **options) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = run(content, **options)
    assert result.ok, result.problem_texts()
    return len(captured.captured_queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows():
    # 30 rows: one statement per table still (SQLite binds at most 999 values, 37 people of 27 columns).
    small, large = _sheet(3, 100), _sheet(30, 200)
    assert _queries(small, dry_run=True) == _queries(large, dry_run=True)
    assert _queries(small) == _queries(large)
    # Again: the same people, found in the archive, with nothing to change.
    assert _queries(small, dry_run=True) == _queries(large, dry_run=True)
    assert _queries(small) == _queries(large)
    assert Person.objects.count() == 33 and Person.history.count() == 33


@pytest.mark.parametrize(
    "name", ["马小军", "李红", "欧阳娜娜", "吕", "乐乐", "单于", "张三a", "Anna李", "阿卜杜·热合曼", "䶮"]
)
def test_the_pinyin_of_a_name_is_what_two_conversions_give(name):
    from pypinyin import Style, lazy_pinyin

    from yanzhen.people.services import pinyin_of

    full = "".join(lazy_pinyin(name)).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
    assert pinyin_of(name) == (full, initials)
