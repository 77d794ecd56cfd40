"""Rotation of the backup directory (`yanzhen backup --keep-daily N --keep-weekly N --keep-monthly N`).

Grandfather-father-son, as restic's and borg's `prune`: of the archives that `yanzhen backup` named itself
(yanzhen-YYYYmmdd-HHMMSS.tar.gz, the time read from the name, never from the file's dates), keep the newest of
each of the last N days, of each of the last N ISO weeks and of each of the last N months that have one; delete
the rest. A file named otherwise (an archive written with --output under another name, a copy the operator
made) is never touched, nor is the archive just written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ARCHIVE_NAME = re.compile(r"^yanzhen-(\d{8}-\d{6})\.tar\.gz$")


@dataclass(frozen=True)
class Retention:
    daily: int = 0
    weekly: int = 0
    monthly: int = 0

    @property
    def prunes(self) -> bool:
        """True when any period is asked for: without one, nothing is deleted."""
        return bool(self.daily or self.weekly or self.monthly)


def archive_time(name: str) -> datetime | None:
    """When an archive named by `yanzhen backup` was written, or None for any other name."""
    match = ARCHIVE_NAME.match(name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    except ValueError:  # twelve digits that are no date: not one of ours
        return None


def _newest_per_period(
    archives: list[tuple[datetime, str]], count: int, period: Callable[[datetime], object]
) -> set[str]:
    """The newest archive of each of the `count` most recent periods that have one."""
    kept: set[str] = set()
    seen: set[object] = set()
    for written, name in archives:  # newest first
        key = period(written)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        kept.add(name)
    return kept


def to_delete(names: Iterable[str], retention: Retention, *, keep: Iterable[str] = ()) -> list[str]:
    """The names the retention lets go, oldest first. Names not of `yanzhen backup`'s form are left out."""
    if not retention.prunes:
        return []
    archives = sorted(
        ((written, name) for name in names if (written := archive_time(name)) is not None), reverse=True
    )
    kept = set(keep)
    kept |= _newest_per_period(archives, retention.daily, lambda written: written.date())
    kept |= _newest_per_period(archives, retention.weekly, lambda written: written.isocalendar()[:2])
    kept |= _newest_per_period(archives, retention.monthly, lambda written: (written.year, written.month))
    return [name for _written, name in reversed(archives) if name not in kept]


def prune(directory: Path, retention: Retention, *, keep: Path) -> list[str]:
    """Deletes from `directory` the archives the retention lets go, never `keep` (the archive just written);
    returns their names, oldest first."""
    names = [path.name for path in directory.iterdir() if path.is_file() and not path.is_symlink()]
    removed = to_delete(names, retention, keep=[keep.name])
    for name in removed:
        (directory / name).unlink(missing_ok=True)
    return removed
