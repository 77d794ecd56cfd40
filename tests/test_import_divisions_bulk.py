"""The division import writes its new units without model instances (divisions.bulk: COPY on PostgreSQL,
executemany elsewhere). These tests hold it to what django-simple-history's `bulk_create_with_history` (the
path it replaced) writes for the same units: the same unit rows and the same history rows, field by field."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from yanzhen.accounts.models import User
from yanzhen.core.text import normalise, normalise_all
from yanzhen.divisions import bulk
from yanzhen.divisions.codes import level_of, parent_code, unit_kind
from yanzhen.divisions.importer import import_divisions
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.django_db

TOWNSHIP = "640323190"
HistoricalDivision = Division.history.model

# (code, name in the file, name as stored): invisible characters, a tab, a backslash, a combining accent, and a
# code whose last digit is a full-width one (str.isdigit accepts it; its kind comes from codes.unit_kind).
VILLAGES = [
    (f"{TOWNSHIP}001", "新设社区居委会", "新设社区居委会"),
    (f"{TOWNSHIP}201", " 新\u200b设村委会 ", "新设村委会"),
    (f"{TOWNSHIP}202", "甲\t乙村委会", "甲 乙村委会"),
    (f"{TOWNSHIP}401", "反斜杠\\村", "反斜杠\\村"),
    (f"{TOWNSHIP}501", "Cafe\u0301农场", "Caf\u00e9农场"),
    (f"{TOWNSHIP}50\uff12", "全角代码村", "全角代码村"),
]
UNIT_FIELDS = ["code", "name", "level", "kind", "parent_id", "collective_income", "latitude", "longitude"]
HISTORY_FIELDS = [*UNIT_FIELDS, "history_type", "history_user_id", "history_change_reason"]


@pytest.fixture
def division_files(tmp_path) -> Path:
    folder = tmp_path / "divisions"
    folder.mkdir()
    (folder / "streets.csv").write_text(f"code,name\n{TOWNSHIP},新设镇\n", encoding="utf-8")
    lines = "".join(f'{code},"{name}"\n' for code, name, _stored in VILLAGES)
    (folder / "villages.csv").write_text("code,name\n" + lines, encoding="utf-8")
    return folder


def snapshot() -> tuple[list[dict], list[dict]]:
    """The units under the new township and their history rows, in the order they were written."""
    units = list(Division.objects.under(TOWNSHIP).order_by("code").values(*UNIT_FIELDS))
    history = list(HistoricalDivision.objects.filter(code__startswith=TOWNSHIP).order_by("history_id"))
    return units, [{name: getattr(row, name) for name in HISTORY_FIELDS} for row in history]


def written_the_former_way(actor) -> tuple[list[dict], list[dict]]:
    """What bulk_create_with_history writes for the same units in the same order, read back and rolled back."""
    units = [(TOWNSHIP, "新设镇")] + [(code, name.strip()) for code, name, _stored in VILLAGES]
    with transaction.atomic():
        bulk_create_with_history(
            [
                Division(
                    code=code,
                    name=name,
                    level=level_of(code),
                    kind=unit_kind(code),
                    parent_id=parent_code(code),
                )
                for code, name in units
            ],
            Division,
            batch_size=5000,
            default_user=actor,
        )
        written = snapshot()
        transaction.set_rollback(True)
    return written


def test_new_units_and_history_are_what_bulk_create_with_history_writes(division_files):
    actor = User.objects.get(username="county")
    expected_units, expected_history = written_the_former_way(actor)
    started = timezone.now()
    result = import_divisions(division_files, under=TOWNSHIP, actor=actor)
    finished = timezone.now()
    assert (result.created, result.read) == (7, 7)  # the township and its 6 units
    units, history = snapshot()
    assert units == expected_units
    assert history == expected_history
    # The values themselves, not only their agreement with the former path.
    assert [(u["code"], u["name"], u["level"], u["kind"], u["parent_id"]) for u in units] == [
        (TOWNSHIP, "新设镇", 4, "town", "640323"),
        (VILLAGES[0][0], "新设社区居委会", 5, "community", TOWNSHIP),
        (VILLAGES[1][0], "新设村委会", 5, "village_committee", TOWNSHIP),
        (VILLAGES[2][0], "甲 乙村委会", 5, "village_committee", TOWNSHIP),
        (VILLAGES[3][0], "反斜杠\\村", 5, "community_like", TOWNSHIP),
        (VILLAGES[4][0], "Caf\u00e9农场", 5, "village_like", TOWNSHIP),
        (VILLAGES[5][0], "全角代码村", 5, "village_like", TOWNSHIP),
    ]
    assert {(h["history_type"], h["history_user_id"], h["history_change_reason"]) for h in history} == {
        ("+", actor.pk, None)
    }
    assert [h["code"] for h in history] == [u["code"] for u in units]  # written in the order of the files
    dates = list(
        HistoricalDivision.objects.filter(code__startswith=TOWNSHIP).values_list("history_date", flat=True)
    )
    assert all(started <= date <= finished for date in dates)


def test_a_second_import_renames_and_deletes_with_history(division_files):
    import_divisions(division_files, under=TOWNSHIP)
    villages = division_files / "villages.csv"
    villages.write_text(
        f"code,name\n{TOWNSHIP}001,改名社区居委会\n" + "".join(f"{c},x{n}\n" for c, n, _s in VILLAGES[1:4]),
        encoding="utf-8",
    )
    result = import_divisions(division_files, under=TOWNSHIP)
    assert (result.created, result.renamed, result.deleted) == (0, 4, 2)
    history = HistoricalDivision.objects.filter(code__startswith=TOWNSHIP)
    assert list(history.filter(code=f"{TOWNSHIP}001").values_list("history_type", "name")) == [
        ("~", "改名社区居委会"),
        ("+", "新设社区居委会"),
    ]
    assert list(history.filter(code=VILLAGES[4][0]).values_list("history_type", "name")) == [
        ("-", "Caf\u00e9农场"),
        ("+", "Caf\u00e9农场"),
    ]


def test_a_name_of_invisible_characters_is_refused_as_the_field_refuses_it(division_files):
    (division_files / "villages.csv").write_text(f"code,name\n{TOWNSHIP}201,\u200b\u200c\n", encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_divisions(division_files, under=TOWNSHIP)
    assert refused.value.message_dict == {"name": ["名称不能为空（所填内容只有不可见字符）"]}
    assert not Division.objects.under(TOWNSHIP).exists()


def test_a_name_too_long_is_refused_as_the_field_refuses_it(division_files):
    (division_files / "villages.csv").write_text(f"code,name\n{TOWNSHIP}201,{'长' * 101}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_divisions(division_files, under=TOWNSHIP)
    assert refused.value.message_dict == {"name": ["名称不能超过 100 字（现为 101 字）"]}
    assert not Division.objects.under(TOWNSHIP).exists()


def test_normalise_all_agrees_with_normalise():
    texts = [" a ", "\u0301开头", "e\u0301", "x\u200by", "\u3164", "甲\t乙", "a\r\nb", "", "\u1100\u1161"]
    assert normalise_all(texts) == [normalise(text) for text in texts]
    assert normalise_all([*texts, "a|b "]) == [normalise(text) for text in [*texts, "a|b "]]
    assert normalise_all([]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are deferred on PostgreSQL only")
def test_deferred_indexes_are_built_again_as_they_were(division_files, monkeypatch):
    """A first load into empty tables builds the plain indexes after the copy; here every write does."""

    def indexes() -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (%s, %s) ORDER BY indexname",
                [Division._meta.db_table, HistoricalDivision._meta.db_table],
            )
            return cursor.fetchall()

    before = indexes()
    expected = written_the_former_way(None)
    with connection.cursor() as cursor:
        assert bulk._is_empty(cursor, Division) is False  # the seed counties are there
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM", 0)
    monkeypatch.setattr(bulk, "_is_empty", lambda cursor, model: True)
    import_divisions(division_files, under=TOWNSHIP)
    assert indexes() == before
    assert snapshot() == expected
    # The history's user is still checked by its deferred foreign key, and deferred again afterwards.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT condeferred FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [HistoricalDivision._meta.db_table],
        )
        assert {deferred for (deferred,) in cursor.fetchall()} == {True}


def test_history_dates_follow_the_batches(division_files, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)
    monkeypatch.setattr(bulk, "COPY_BATCH", 2)
    import_divisions(division_files, under=TOWNSHIP)
    dates = list(
        HistoricalDivision.objects.filter(code__startswith=TOWNSHIP)
        .order_by("history_id")
        .values_list("history_date", flat=True)
    )
    assert dates == sorted(dates) and len(dates) == 7
    assert dates[-1] - dates[0] < timedelta(seconds=5)
