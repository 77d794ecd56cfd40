"""The restore drill (`yanzhen restore ARCHIVE --check`): prove an archive restores, without touching the live
database.

It does what an operator would do on a new server, in a child process whose database and var directory are
in a temporary directory: a fresh SQLite file of this version (`ops.schema.create_fresh_database`: what
`yanzhen migrate` makes, in a second instead of half a minute), then `yanzhen restore`. A child process
rather than a second connection here, because data migrations write through the default database: run for a
second one in this process, they would write into the live database. The counts are then read from the
SQLite file directly and compared with the manifest.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from yanzhen.core.progress import Progress
from yanzhen.ops import database
from yanzhen.ops.archive import BackupError, media_members, read_verified

DRILL_PREFIX = "yanzhen-drill-"
# What the operator sees of a failed child: the end of its error output, where the reason is.
ERROR_TAIL_CHARS = 3000


@dataclass
class DrillResult:
    archive: Path
    rows: list[tuple[str, int, int]]  # model label, rows in the archive, rows in the drill database
    media: tuple[int, int]  # files in the archive, files restored

    @property
    def passed(self) -> bool:
        return (
            all(expected == found for _label, expected, found in self.rows) and self.media[0] == self.media[1]
        )


def _child(arguments: list[str], environment: dict[str, str], work: Path, step: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "yanzhen", *arguments],
        env=environment,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).strip()[-ERROR_TAIL_CHARS:]
        raise BackupError(f"恢复演练未通过：{step}失败。\n{output}")


def _sqlite_counts(path: Path, labels) -> dict[str, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as drill:
        counts = {}
        for label in labels:
            table = apps.get_model(label)._meta.db_table.replace('"', '""')
            counts[label] = drill.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    drill.close()
    return counts


def is_drill_database() -> bool:
    """True in the drill's child process only: its SQLite file sits in the drill's temporary directory. The
    child restores without an audit event, which the live database must never do."""
    name = Path(str(connection.settings_dict["NAME"]))
    return connection.vendor == "sqlite" and name.parent.name.startswith(DRILL_PREFIX)


def run_drill(archive: Path, progress: Progress | None = None) -> DrillResult:
    # Checked here first so a bad archive is refused at once, with the same message as a restore.
    manifest = read_verified(archive, staging=None, progress=progress)
    database.check_heads(manifest)
    with tempfile.TemporaryDirectory(prefix=DRILL_PREFIX) as directory:
        work = Path(directory)
        drill_database = work / "drill.sqlite3"
        environment = {
            # The live settings file stays behind with the live var/: its settings (the demo's mode) go along.
            **settings.FILE_SETTINGS,
            **os.environ,
            "YANZHEN_DATABASE_URL": f"sqlite:///{drill_database}",
            "YANZHEN_VAR_DIR": str(work / "var"),
        }
        _child(
            ["restore", str(archive.absolute()), "--drill-target"],
            environment,
            work,
            "建立演练数据库并把备份载入",
        )
        found = _sqlite_counts(drill_database, manifest["counts"])
        restored_files = sum(1 for path in (work / "var" / "media").rglob("*") if path.is_file())
    rows = [(label, manifest["counts"][label], found[label]) for label in sorted(manifest["counts"])]
    return DrillResult(archive, rows, (len(media_members(manifest)), restored_files))
