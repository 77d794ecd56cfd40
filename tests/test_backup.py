"""yanzhen backup / yanzhen restore (ops app): a round trip gives back every row, and every refusal writes nothing.

These tests use the ordinary `db` fixture, not `transactional_db`: a transactional test empties the whole
database afterwards, and with it the session's world (divisions, personas) every later test needs. Emptying
and loaddata run inside the test's transaction just as well, and loaddata checks the foreign keys itself
before its savepoint ends, so nothing that a commit would reveal goes unchecked.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import stat
import tarfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

import yanzhen
from yanzhen.accounts.models import User
from yanzhen.core import crypto
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division, VillageTag
from yanzhen.divisions.services import update_village_attributes
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person, Skill
from yanzhen.people.services import PersonInput, add_attachment, create_person, update_person
from yanzhen.stats.figures import compute

from .conftest import HUAMACHI_VILLAGE
from .stats_world import _candidacy

pytestmark = pytest.mark.django_db

NUMBER = make_id_number("640323", date(1990, 5, 12), 1)
PHONE = "13812345678"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
# Written independently of yanzhen.ops.database, so a model wrongly left out of the archive fails here.
# The statistics' kept counts and their stamps are derived, and the stamps move as the rows are loaded.
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "accounts.usersession",
    "stats.countystamp",
    "stats.countyfigures",
}


def archived_labels() -> list[str]:
    return sorted(
        model._meta.label_lower
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label != "axes"
        and model._meta.label_lower not in LEFT_OUT
    )


def snapshot() -> dict[str, list[tuple]]:
    """Every archived row, all columns, ordered by primary key, and every many-to-many link. Links to
    permissions go by natural key: a flushed database gives permissions new ids."""
    rows = {}
    for label in archived_labels():
        model = apps.get_model(label)
        columns = [field.attname for field in model._meta.concrete_fields]
        rows[label] = list(model._base_manager.order_by("pk").values_list(*columns))
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            if field.related_model is Permission:
                other = [
                    f"{target}__codename",
                    f"{target}__content_type__app_label",
                    f"{target}__content_type__model",
                ]
            else:
                other = [target]
            rows[f"{label}.{field.name}"] = sorted(through._base_manager.values_list(source, *other))
    return rows


def files_under(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def refused(*arguments: str) -> str:
    with pytest.raises(CommandError) as error:
        run(*arguments)
    return str(error.value)


def people_head() -> str:
    return next(name for app, name in MigrationLoader(None).graph.leaf_nodes() if app == "people")


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    # A flush inside a test gives content types new ids; the test's rollback restores the old rows but
    # not the process-wide cache.
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def var(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return settings.VAR_DIR


@pytest.fixture
def media(settings, var) -> Path:
    return Path(settings.MEDIA_ROOT)


def person_input(**overrides) -> PersonInput:
    values = {
        "name": "祝心灵",
        "id_number": NUMBER,
        "village": Division.objects.get(code=HUAMACHI_VILLAGE),
        "political_status": "01",
        "phone": PHONE,
        "skills": list(Skill.objects.order_by("pk")[:2]),
    }
    values.update(overrides)
    return PersonInput(**values)


def make_records(clerk: User) -> tuple[Person, object]:
    """A person (encrypted ID number and phone, two skills) changed once, with an attachment on disk, and a
    village whose tags were changed (many-to-many history)."""
    person = create_person(actor=clerk, data=person_input())
    person = update_person(actor=clerk, person=person, data=person_input(native_place="宁夏盐池"))
    attachment = add_attachment(
        actor=clerk, person=person, title="推荐表", uploaded_file=SimpleUploadedFile("推荐表.pdf", PDF)
    )
    update_village_attributes(
        actor=clerk,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        tags=list(VillageTag.objects.order_by("pk")[:2]),
        industries=[],
        latitude=None,
        longitude=None,
    )
    return person, attachment


@pytest.fixture
def records(persona, var):
    return make_records(persona("huamachi"))


@pytest.fixture(scope="module")
def sealed(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """One archive of the records, made once for the tests that damage a copy of it: the restore refuses such
    an archive before it reads a row, so the rows inside need not be the test's own (made again, alike)."""
    var = tmp_path_factory.mktemp("sealed") / "var"
    with override_settings(VAR_DIR=var, MEDIA_ROOT=var / "media"), django_db_blocker.unblock():
        with transaction.atomic():
            make_records(User.objects.get(username="huamachi"))
            archive = backup(var)
            transaction.set_rollback(True)
    return archive


def copy_of(sealed: Path, var: Path) -> Path:
    archive = var / "backup.tar.gz"
    shutil.copyfile(sealed, archive)
    return archive


def backup(var: Path, name: str = "backup.tar.gz") -> Path:
    run("backup", "--output", str(var / name))
    return var / name


def empty_everything() -> None:
    """Django's own flush, the harshest start: even content types and permissions get new ids."""
    connection.check_constraints()  # PostgreSQL cannot TRUNCATE with deferred checks pending
    call_command("flush", interactive=False, verbosity=0)


def test_backup_writes_one_signed_archive_without_keys_or_clear_numbers(records, var):
    person, attachment = records
    counts = {label: apps.get_model(label)._base_manager.count() for label in archived_labels()}

    out = run("backup")

    [archive] = (var / "backups").iterdir()
    assert re.fullmatch(r"yanzhen-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        members = {name: tar.extractfile(name).read() for name in tar.getnames()}
    assert list(members) == ["data.json", f"media/{attachment.file.name}", "manifest.json", "manifest.sig"]
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "yanzhen-backup" and manifest["format_version"] == 2
    assert manifest["yanzhen_version"] == yanzhen.__version__
    assert manifest["counts"] == counts
    assert manifest["migrations"]["people"] == [people_head()]
    assert manifest["files"] == {
        name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        for name, content in members.items()
        if name not in ("manifest.json", "manifest.sig")
    }
    assert members[f"media/{attachment.file.name}"] == PDF
    assert crypto.signature_matches(
        members["manifest.json"], members["manifest.sig"].decode(), purpose="backup-manifest"
    )

    rows = json.loads(members["data.json"])
    assert {row["model"] for row in rows}.isdisjoint(LEFT_OUT) and not any(
        row["model"].startswith("axes.") for row in rows
    )
    [stored] = [row for row in rows if row["model"] == "people.person"]
    assert stored["pk"] == person.pk
    assert stored["fields"]["id_number_encrypted"] == Person.objects.get().id_number_encrypted
    [admin] = [row for row in rows if row["model"] == "auth.group" and row["fields"]["name"] == "admin"]
    assert ["view_full_personal_data", "people", "person"] in admin["fields"]["permissions"]
    everything = b"".join(members.values())
    assert NUMBER.encode() not in everything and PHONE.encode() not in everything
    assert all(key not in everything for key in crypto._keys())

    assert f"备份已写入 {archive}" in out
    assert "YANZHEN_FIELD_KEYS 不在备份文件中" in out and "分开妥善保管" in out
    event = AuditEvent.objects.first()
    assert (event.action, event.username, event.object_repr) == (
        AuditAction.EXPORT,
        "console",
        f"备份 {archive.name}",
    )
    assert event.detail["file"] == archive.name
    assert event.detail["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert event.detail["counts"] == {label: count for label, count in counts.items() if count}
    assert event.detail["rows"] == sum(counts.values()) and event.detail["media_files"] == 1


def test_backup_refuses_to_overwrite_a_file(records, var):
    (var / "taken.tar.gz").write_bytes(b"keep me")
    assert "已存在，不覆盖" in refused("backup", "--output", str(var / "taken.tar.gz"))
    assert (var / "taken.tar.gz").read_bytes() == b"keep me"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_round_trip_into_a_flushed_database_brings_everything_back(records, var, media, persona):
    person, attachment = records
    before = snapshot()
    history = list(
        person.history.order_by("history_id").values_list("history_type", "history_user", "history_date")
    )
    assert len(history) >= 2 and before["divisions.historicaldivision_tags"]
    archive = backup(var)
    empty_everything()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Person.objects.exists() and not User.objects.exists() and not Division.objects.exists()

    out = run("restore", str(archive))

    after = snapshot()
    events_before, events_after = before.pop("core.auditevent"), after.pop("core.auditevent")
    assert after == before
    # The audit log as it was (the backup's own event came after the dump), plus the restore's.
    assert events_after[:-1] == events_before
    restore_event = AuditEvent.objects.get(pk=events_after[-1][0])
    assert (restore_event.action, restore_event.object_repr) == (AuditAction.IMPORT, "恢复 backup.tar.gz")
    archived_rows = sum(len(before[label]) for label in archived_labels() if label != "core.auditevent")
    assert restore_event.detail["rows"] == archived_rows + len(events_before)

    restored = Person.objects.get(id_number_hash=crypto.keyed_hash(NUMBER))
    assert restored.pk == person.pk
    assert (restored.reveal_id_number(), restored.reveal_phone()) == (NUMBER, PHONE)
    assert (
        list(
            restored.history.order_by("history_id").values_list(
                "history_type", "history_user", "history_date"
            )
        )
        == history
    )
    assert {row.history_user for row in restored.history.all()} == {persona("huamachi")}
    assert files_under(media) == {attachment.file.name: PDF}
    assert re.search(r"（people\.person）\s+1\n", out)
    assert "恢复完成：backup.tar.gz" in out and "上传文件 1 个" in out
    # The ids go on after the restored ones (on PostgreSQL loaddata resets the sequences).
    another = create_person(
        actor=persona("huamachi"),
        data=person_input(name="王小二", id_number=make_id_number("640323", date(1991, 3, 1), 2), phone=""),
    )
    assert another.pk > person.pk


def test_restore_into_a_database_with_data_needs_force(records, var, media, persona):
    before = snapshot()
    archive = backup(var)
    later = create_person(
        actor=persona("huamachi"),
        data=person_input(name="王小二", id_number=make_id_number("640323", date(1991, 3, 1), 2), phone=""),
    )
    (media / "later.pdf").write_bytes(PDF)
    # The county's figures, computed and kept (stats.rollup) with a reserve the archive does not have.
    _candidacy(later, HUAMACHI_VILLAGE, ["secretary"], date(2020, 1, 1))
    assert compute(None, "640323")["reserves"]["total"] == 1
    state, state_files = snapshot(), files_under(media)

    message = refused("restore", str(archive))

    assert "数据库中已有数据" in message and "人员（people.person） 2 条" in message and "--force" in message
    assert snapshot() == state and files_under(media) == state_files

    out = run("restore", str(archive), "--force")

    after = snapshot()
    events_before, events_after = before.pop("core.auditevent"), after.pop("core.auditevent")
    assert after == before and events_after[:-1] == events_before
    assert not Person.objects.filter(pk=later.pk).exists()
    assert AuditEvent.objects.first().detail["forced"] is True
    assert compute(None, "640323")["reserves"]["total"] == 0  # no figure kept from before the restore
    # Files the archive does not have stay where they were; the operator is told.
    assert (media / "later.pdf").read_bytes() == PDF
    assert "上传目录中另有 1 个文件不在备份中，已保留未删除" in out


def rewrite(archive: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """Writes the archive again after `change` edited its members (name → content, in archive order)."""
    with tarfile.open(archive) as source:
        members = {name: source.extractfile(name).read() for name in source.getnames()}
    change(members)
    with tarfile.open(archive, "w:gz") as target:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            target.addfile(info, io.BytesIO(content))


def seal(archive: Path) -> None:
    """Appends the seal a holder of the keys would write (see yanzhen.ops.archive)."""
    signer = crypto.signers("backup-archive")[0]
    signer.update(archive.read_bytes())
    with archive.open("ab") as handle:
        handle.write(b"\nYANZHEN-BACKUP-SEAL-1 " + signer.hexdigest().encode() + b"\n")


def edit_json(members: dict[str, bytes], name: str, edit: Callable[[object], None]) -> None:
    content = json.loads(members[name])
    edit(content)
    members[name] = json.dumps(content, ensure_ascii=False).encode()


def rename_person(rows) -> None:
    for row in rows:
        if row["model"] == "people.person":
            row["fields"]["name"] = "冒名者"


def uploads(members: dict[str, bytes]) -> list[str]:
    return [name for name in members if name.startswith("media/")]


def truncate(archive: Path) -> None:
    content = archive.read_bytes()
    archive.write_bytes(content[: len(content) // 2])


def flip(where: Callable[[int], int]) -> Callable[[Path], None]:
    """Inverts one byte of the archive, at the offset `where` picks from the file's size."""

    def damage(archive: Path) -> None:
        content = bytearray(archive.read_bytes())
        content[where(len(content))] ^= 0xFF
        archive.write_bytes(bytes(content))

    return damage


SEAL = len(b"\nYANZHEN-BACKUP-SEAL-1 ") + 64 + 1
TAMPERINGS: dict[str, Callable[[Path], None]] = {
    # The gzip header's modification time: no member changes, the manifest still verifies.
    "gzip header": flip(lambda size: 5),
    "middle": flip(lambda size: size // 2),
    # The gzip trailer (CRC-32 and length), just before the seal line: nothing reads it to the end.
    "gzip trailer": flip(lambda size: size - SEAL - 2),
    "seal line": flip(lambda size: size - 10),
    "seal cut off": lambda archive: archive.write_bytes(archive.read_bytes()[:-SEAL]),
    "byte appended": lambda archive: archive.write_bytes(archive.read_bytes() + b"\0"),
    "data changed": lambda archive: rewrite(archive, lambda m: edit_json(m, "data.json", rename_person)),
    "upload changed": lambda archive: rewrite(
        archive, lambda m: m.update({name: b"%PDF-evil" for name in uploads(m)})
    ),
    "upload missing": lambda archive: rewrite(archive, lambda m: [m.pop(name) for name in uploads(m)]),
    "file added": lambda archive: rewrite(archive, lambda m: m.update({"media/extra.pdf": PDF})),
    "path outside": lambda archive: rewrite(archive, lambda m: m.update({"../escape.txt": b"x"})),
    "manifest changed": lambda archive: rewrite(
        archive,
        lambda m: edit_json(
            m, "manifest.json", lambda manifest: manifest["counts"].update({"people.person": 0})
        ),
    ),
    "signature missing": lambda archive: rewrite(archive, lambda m: m.pop("manifest.sig")),
    "truncated": truncate,
}
TAMPERED = (
    "备份文件已损坏或被篡改（backup.tar.gz）：内容与签名不符，或备份时使用的是另一组 YANZHEN_FIELD_KEYS。"
    "拒绝恢复，未写入任何数据。"
)


@pytest.mark.parametrize("how", TAMPERINGS)
def test_a_damaged_or_tampered_archive_is_refused_and_nothing_changes(records, sealed, var, media, how):
    archive = copy_of(sealed, var)
    TAMPERINGS[how](archive)
    create_person(  # so that the database differs from the archive
        actor=User.objects.get(username="huamachi"),
        data=person_input(name="王小二", id_number=make_id_number("640323", date(1991, 3, 1), 2), phone=""),
    )
    state, state_files = snapshot(), files_under(media)

    for arguments in (("--force",), ("--check",)):
        assert refused("restore", str(archive), *arguments) == TAMPERED

    assert snapshot() == state and files_under(media) == state_files
    assert sorted(path.name for path in var.iterdir()) == ["backup.tar.gz", "media"]  # no staging left


def test_the_seal_is_one_line_after_the_gzip_stream(sealed, var):
    content = sealed.read_bytes()
    stream, line = content[:-SEAL], content[-SEAL:]
    assert line.startswith(b"\nYANZHEN-BACKUP-SEAL-1 ") and line.endswith(b"\n")
    expected = crypto.signers("backup-archive")[0]
    expected.update(stream)
    assert line[len(b"\nYANZHEN-BACKUP-SEAL-1 ") : -1].decode() == expected.hexdigest()
    assert stream[:2] == b"\x1f\x8b"


def as_format_1(members: dict[str, bytes]) -> None:
    """What `yanzhen backup` wrote before the seal: format 1 in the manifest, no seal line."""
    edit_json(members, "manifest.json", lambda manifest: manifest.update({"format_version": 1}))
    members["manifest.sig"] = crypto.sign(members["manifest.json"], purpose="backup-manifest").encode()


def test_an_archive_of_format_1_without_seal_is_still_restored(records, var, media):
    archive = backup(var)
    rewrite(archive, as_format_1)
    state = snapshot()
    state.pop("core.auditevent")

    run("restore", str(archive), "--force")

    after = snapshot()
    after.pop("core.auditevent")
    assert after == state


def test_a_format_2_manifest_without_its_seal_is_refused(records, sealed, var):
    archive = copy_of(sealed, var)
    rewrite(archive, lambda members: None)  # same members, manifest still signed, seal gone
    assert refused("restore", str(archive), "--check") == TAMPERED


def test_an_archive_from_other_migrations_is_refused(records, var, media):
    archive = backup(var)

    def from_newer_code(members: dict[str, bytes]) -> None:
        edit_json(
            members,
            "manifest.json",
            lambda manifest: manifest["migrations"].update({"people": ["0099_future"]}),
        )
        # Signed again, as a holder of the keys running newer code would have signed it.
        members["manifest.sig"] = crypto.sign(members["manifest.json"], purpose="backup-manifest").encode()

    rewrite(archive, from_newer_code)
    seal(archive)
    state = snapshot()

    message = refused("restore", str(archive), "--force")

    assert "备份的数据库结构与当前程序不一致" in message
    assert f"people：备份为 0099_future，当前程序为 {people_head()}" in message
    assert snapshot() == state
    assert "people：备份为 0099_future" in refused("restore", str(archive), "--check")


def test_the_drill_s_own_flag_is_refused_on_the_live_database(records, var):
    archive = backup(var)
    state = snapshot()
    # It restores without an audit event: only the drill's throwaway database may be restored that way.
    assert "只供恢复演练内部使用" in refused("restore", str(archive), "--drill-target", "--force")
    assert snapshot() == state


def test_check_rehearses_in_a_throwaway_database_and_leaves_the_live_one_alone(records, var, media):
    archive = backup(var)
    state, state_files = snapshot(), files_under(media)

    out = run("restore", str(archive), "--check")

    assert out.rstrip().endswith("恢复演练通过")
    people = Person.objects.count()
    assert re.search(rf"（people\.person）\s+{people}\s+{people}\n", out)
    divisions = Division.objects.count()
    assert re.search(rf"（divisions\.division）\s+{divisions}\s+{divisions}\n", out)
    assert re.search(r"上传文件\s+1\s+1\n", out)
    assert snapshot() == state and files_under(media) == state_files
    assert sorted(path.name for path in var.iterdir()) == ["backup.tar.gz", "media"]
