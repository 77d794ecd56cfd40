import csv
import gzip
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yanzhen.accounts.models import User
from yanzhen.demo.builder import SEED_DIR
from yanzhen.divisions.importer import DivisionImportError, import_divisions
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    return target


def rewrite(path: Path, transform) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = transform(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_demo_county_has_real_structure():
    county = Division.objects.under("640323")
    assert county.filter(level=4).count() == 9
    assert county.filter(level=5).count() == 120
    assert county.administrative_villages().count() == 102
    assert Division.objects.get(code="640323100").name == "花马池镇"
    assert Division.objects.get(code="640323100200").parent_id == "640323100"


def test_second_import_changes_nothing():
    before = Division.objects.count()
    result = import_divisions(SEED_DIR, under="640323")
    assert (result.created, result.renamed, result.deleted, result.unchanged) == (0, 0, 0, result.read)
    assert result.read == 1 + 1 + 1 + 9 + 120  # 宁夏, 吴忠市, 盐池县, townships, village units
    assert Division.objects.count() == before


def test_gzip_file_is_read(tmp_path):
    gz = tmp_path / "villages.csv.gz"
    with open(SEED_DIR / "villages.csv", "rb") as plain, gzip.open(gz, "wb") as packed:
        packed.write(plain.read())
    result = import_divisions(gz, under="640323100")
    assert result.read == Division.objects.under("640323100").filter(level=5).count() == 24
    assert result.created == 0


def test_rename_follows_the_file_and_keeps_history(seed_copy):
    rewrite(
        seed_copy / "villages.csv",
        lambda rows: [[r[0], "新名村委会" if r[0] == "640323100200" else r[1], *r[2:]] for r in rows],
    )
    result = import_divisions(seed_copy, under="640323")
    assert result.renamed == 1
    village = Division.objects.get(code="640323100200")
    assert village.name == "新名村委会"
    assert village.history.first().name == "新名村委会"
    assert [h.history_type for h in village.history.all()] == ["~", "+"]
    assert village.history.last().name == "长城村委会"


def test_unit_missing_from_file_is_deleted_unless_people_are_attached(seed_copy):
    gone = {"640323100201", "640323100202"}
    rewrite(seed_copy / "villages.csv", lambda rows: [r for r in rows if r[0] not in gone])
    result = import_divisions(seed_copy, under="640323")
    # 640323100200 has the secretary persona attached; 201 and 202 have nobody.
    assert result.deleted == 2
    assert not Division.objects.filter(code__in=gone).exists()

    rewrite(seed_copy / "villages.csv", lambda rows: [r for r in rows if r[0] != "640323100200"])
    result = import_divisions(seed_copy, under="640323")
    assert result.deleted == 0
    assert result.kept == ["640323100200"]
    assert User.objects.get(username="cunshuji").division_id == "640323100200"


@pytest.mark.parametrize(
    "bad_row,reason",
    [
        (
            ["64032310099", "短码村委会", "640323100", "64", "6403", "640323"],
            "代码 64032310099 在此文件中应为 12 位",
        ),
        (
            ["640323999200", "孤儿村委会", "640323999", "64", "6403", "640323"],
            "上级区划 640323999 不存在（640323999200 的上级）",
        ),
        (["640323100298", "", "640323100", "64", "6403", "640323"], "名称为空"),
    ],
)
def test_malformed_row_names_file_line_and_reason_and_writes_nothing(seed_copy, bad_row, reason):
    # Renaming a good row in the same file proves that nothing at all is written.
    rewrite(
        seed_copy / "villages.csv",
        lambda rows: (
            [[r[0], "改名村委会" if r[0] == "640323100201" else r[1], *r[2:]] for r in rows] + [bad_row]
        ),
    )
    before = Division.objects.count()
    with pytest.raises(DivisionImportError) as failed:
        import_divisions(seed_copy, under="640323")
    line = sum(1 for _ in open(SEED_DIR / "villages.csv", encoding="utf-8")) + 1
    assert failed.value.errors == [f"villages.csv 第 {line} 行：{reason}"]
    assert Division.objects.count() == before
    assert Division.objects.get(code="640323100201").name != "改名村委会"
    with pytest.raises(CommandError) as command_failed:
        call_command("import-divisions", str(seed_copy), "--under", "640323")
    assert "未写入任何数据" in str(command_failed.value)


def test_under_must_be_a_code(seed_copy):
    with pytest.raises(DivisionImportError):
        import_divisions(seed_copy, under="6403x")


def test_unknown_file_is_refused(tmp_path):
    other = tmp_path / "towns.csv"
    other.write_text("code,name\n", encoding="utf-8")
    with pytest.raises(DivisionImportError):
        import_divisions(other)
