"""How far long console work has got (division and roster imports, backup, restore): the one hook.

Services take `progress: Progress | None` and call `report(progress, done, total, stage)` as they go, with
exact totals and counts that only increase within a stage; they know nothing of terminals. Commands get a
callback from `console_progress`: a tqdm bar on stderr when it is a terminal, and None (quiet) when it is
not (cron, CI, a pipe) or with --no-progress, so logs stay as they were.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm as Tqdm

# progress(done, total, stage): `done` of `total` units of the stage named (a short Chinese label).
Progress = Callable[[int, int, str], None]


def report(progress: Progress | None, done: int, total: int, stage: str) -> None:
    if progress is not None:
        progress(done, total, stage)


def add_progress_argument(parser) -> None:
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (none is drawn anyway when stderr is not a terminal)",
    )


def wants_bar(stream: IO[str], *, disabled: bool = False) -> bool:
    isatty = getattr(stream, "isatty", None)
    return not disabled and callable(isatty) and bool(isatty())


@contextmanager
def console_progress(stream: IO[str], *, disabled: bool = False) -> Iterator[Progress | None]:
    """A progress callback drawing on `stream` when it is a terminal; None otherwise."""
    if not wants_bar(stream, disabled=disabled):
        yield None
        return
    bars = _Bars(stream)
    try:
        yield bars.update
    finally:
        bars.close()


def command_progress(options: dict):
    """console_progress for a management command: its stderr (call_command's `stderr=` in tests) and its
    --no-progress flag."""
    return console_progress(options.get("stderr") or sys.stderr, disabled=options.get("no_progress", False))


class _Bars:
    """One tqdm bar per stage; a new stage closes the bar of the previous one (left on screen, at 100%)."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.bar: Tqdm[Any] | None = None
        self.stage: str | None = None

    def update(self, done: int, total: int, stage: str) -> None:
        from tqdm import tqdm

        if self.bar is None or stage != self.stage:
            self.close()
            self.stage = stage
            # The size once, from shutil: a terminal that reports 0×0 (some ssh and CI ptys) gets 80×24,
            # where tqdm's own measuring would hide the bar.
            size = shutil.get_terminal_size()
            self.bar = tqdm(
                total=total, desc=stage, file=self.stream, ncols=size.columns, nrows=size.lines, leave=True
            )
        if self.bar.total != total:
            self.bar.total = total
        # update() rather than n=: tqdm then redraws at most ten times a second, whatever the call rate.
        self.bar.update(max(0, done - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
