"""Backup and restore, the two writes of the ops app. Commands only parse arguments and print the results.

The field keys (YANZHEN_FIELD_KEYS) never go into an archive: ID numbers and phones stay ciphertext in
`data.json`, and the operator keeps the keys apart. The archive's manifest is signed with a key derived from
them, so a restore without the right keys is refused before anything is written.
"""

from __future__ import annotations

import getpass
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from yanzhen import __version__
from yanzhen.core import audit
from yanzhen.core.models import AuditAction
from yanzhen.core.progress import Progress, report
from yanzhen.ops import database
from yanzhen.ops.archive import (
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MEDIA,
    PACKING,
    ArchiveWriter,
    BackupError,
    file_sha256,
    media_members,
    read_verified,
)
from yanzhen.ops.rotation import Retention, prune

KEYS_NOTE = "身份证号、手机号在 data.json 中为密文；解密所需的 YANZHEN_FIELD_KEYS 不在备份中，须另行保管。"


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    counts: dict[str, int]
    media_files: int
    # Older archives the rotation deleted (`--keep-daily` …), oldest first.
    removed: list[str]


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    counts: dict[str, int]
    media_files: int
    # Files already in the upload directory that the archive does not have: kept, never deleted.
    kept_media_files: int


def default_output() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"yanzhen-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""


def _record_console(
    action: AuditAction,
    operation: str,
    object_repr: str,
    archive: Path,
    counts: dict[str, int],
    media_files: int,
    **facts: object,
) -> None:
    """The audit row of a backup or a restore run at the console: the archive, the rows and media files
    it holds, and the operating-system user."""
    audit.record(
        action=action,
        username="console",
        object_repr=object_repr,
        detail={
            "operation": operation,
            "file": archive.name,
            **facts,
            "rows": sum(counts.values()),
            "media_files": media_files,
            "counts": {label: count for label, count in counts.items() if count},
            "os_user": _os_user(),
        },
    )


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT, by its name relative to it (the name stored in the database)."""
    found = []
    for directory, _subdirectories, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def create_backup(
    *, output: Path | None = None, progress: Progress | None = None, retention: Retention | None = None
) -> BackupResult:
    """Writes the archive: the rows first, then the uploads (a file a dumped row names was saved before the
    row, so it is there when the directory is read), the signed manifest last. The file appears under its
    name only once complete, readable by its owner only: it holds names and family data in clear.
    `progress` hears the rows dumped, then the files packed (data.json and each upload). With a `retention`,
    the older archives of the same directory that it lets go are deleted once the new one is complete
    (ops.rotation), and the audit row names them."""
    database.require_migrated()
    output = (output or default_output()).absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if output.is_relative_to(media_root):
        raise BackupError(f"备份文件不能放在上传文件目录 {media_root} 之内。")
    if output.exists():
        raise BackupError(f"{output} 已存在，不覆盖。请换一个文件名。")
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=output.parent) as work:
            data = Path(work) / DATA
            counts = database.dump(data, progress)
            media = _media_files(media_root)
            packed, to_pack = 0, 1 + len(media)
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as target:
                writer = ArchiveWriter(target)
                for name, path in [(DATA, data), *((f"{MEDIA}/{name}", path) for name, path in media)]:
                    writer.add_file(name, path)
                    packed += 1
                    report(progress, packed, to_pack, PACKING)
                writer.finish(
                    {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": timezone.localtime().isoformat(timespec="seconds"),
                        "yanzhen_version": __version__,
                        "database_vendor": connection.vendor,
                        "migrations": database.code_heads(),
                        "counts": counts,
                        "excluded": sorted(database.EXCLUDED_MODELS | database.EXCLUDED_APPS),
                        "encryption": KEYS_NOTE,
                    }
                )
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    removed = prune(output.parent, retention, keep=output) if retention is not None else []
    result = BackupResult(output, file_sha256(output), output.stat().st_size, counts, len(media), removed)
    _record_console(
        AuditAction.EXPORT,
        "backup",
        f"备份 {output.name}",
        output,
        counts,
        result.media_files,
        sha256=result.sha256,
        removed=removed,
    )
    return result


# Named first when a restore is refused: what tells an operator at a glance that the system is in use.
TELLING_MODELS = (
    "people.person",
    "accounts.user",
    "divisions.division",
    "candidacies.candidacy",
    "core.auditevent",
)


def _refuse_occupied(occupied: dict[str, int]) -> None:
    rank = {label: place for place, label in enumerate(TELLING_MODELS)}
    ordered = sorted(occupied, key=lambda label: (rank.get(label, len(rank)), label))
    shown = "、".join(f"{database.describe(label)} {occupied[label]} 条" for label in ordered[:5])
    more = f" 等 {len(occupied)} 类" if len(occupied) > 5 else ""
    raise BackupError(
        f"数据库中已有数据：{shown}{more}。恢复会先清空这些数据再载入备份；确认要覆盖时加 --force。未写入任何数据。"
    )


def _place_media(staging: Path, media_root: Path, names: list[str]) -> int:
    """Moves the archive's files into MEDIA_ROOT and returns how many other files were already there.
    Those are kept: a row of the restored database never names them, and deleting uploads is not a
    restore's business."""
    archived = {name.removeprefix(MEDIA + "/") for name in names}
    kept = sum(1 for name, _path in _media_files(media_root) if name not in archived)
    for name in sorted(archived):
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / name, target)
    return kept


def restore_backup(
    *, archive: Path, force: bool = False, audit_event: bool = True, progress: Progress | None = None
) -> RestoreResult:
    """Verifies the archive completely, then replaces the database's rows with the archive's in one
    transaction (emptying, loading, the count check, the uploads and the audit event: all or nothing).

    `audit_event=False` is for the drill's throwaway database, which must hold exactly the archive.
    `progress` hears the bytes of the archive verified, then the rows loaded.
    """
    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    # Staged in the var directory, which usually holds the uploads too: placing them is then a rename.
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=var_dir) as work:
        staging = Path(work)
        manifest = read_verified(archive, staging, progress)
        database.check_heads(manifest)
        database.require_migrated()
        occupied = database.operator_data()
        if occupied and not force:
            _refuse_occupied(occupied)
        expected = manifest["counts"]
        names = media_members(manifest)
        with transaction.atomic():
            database.empty_tables()
            database.load(staging / DATA, sum(expected.values()), progress)
            counts = database.count_rows(expected)
            wrong = [label for label in expected if counts[label] != expected[label]]
            if wrong:
                raise BackupError(
                    "载入后的记录数与清单不符，已全部撤销："
                    + "、".join(
                        f"{database.describe(label)} 清单 {expected[label]} 条，载入 {counts[label]} 条"
                        for label in wrong
                    )
                )
            kept = _place_media(staging / MEDIA, Path(settings.MEDIA_ROOT), names)
            if audit_event:
                _record_console(
                    AuditAction.IMPORT,
                    "restore",
                    f"恢复 {archive.name}",
                    archive,
                    counts,
                    len(names),
                    backup_created_at=manifest["created_at"],
                    forced=bool(occupied),
                )
    return RestoreResult(manifest, counts, len(names), kept)
