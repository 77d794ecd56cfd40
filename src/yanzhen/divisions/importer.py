"""Loading the statistical division codes from the CSV layout of ../shared/data/divisions.

The layout: provinces.csv, cities.csv, areas.csv (counties), streets.csv (townships), villages.csv(.gz);
each starts with `code,name,...`. A path is either such a directory or one of those files.

The import is all or nothing: every row is checked first, and a single bad row (wrong length, parent
missing, empty name) writes nothing and names the file, line and reason. Within its scope the file is the
truth: new codes are created, renamed units follow the file, and units the file no longer has are deleted
unless something is attached to them, in which case they are kept and reported.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from yanzhen.core.progress import Progress, report
from yanzhen.divisions.bulk import unit_rows, write_units
from yanzhen.divisions.codes import CODE_LENGTH, InvalidCode, Level, level_of
from yanzhen.divisions.models import Division

# The file of each level, in the order levels must be loaded.
FILES = (
    ("provinces", Level.PROVINCE),
    ("cities", Level.CITY),
    ("areas", Level.COUNTY),
    ("streets", Level.TOWNSHIP),
    ("villages", Level.VILLAGE),
)
# The stage the console's progress bar names (see core.progress).
WRITING = "写入区划"


class DivisionImportError(Exception):
    """The file has errors; nothing was written. `errors` lists "file:line: reason" in Chinese."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportResult:
    read: int = 0
    created: int = 0
    renamed: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept: list[str] = field(default_factory=list)  # units absent from the file but with records attached

    def summary(self) -> str:
        text = _(
            "read %(read)d, created %(created)d, renamed %(renamed)d, unchanged %(unchanged)d, deleted %(deleted)d"
        ) % {
            "read": self.read,
            "created": self.created,
            "renamed": self.renamed,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }
        if self.kept:
            text += "\n" + _("kept because records are attached: %(codes)s") % {"codes": ", ".join(self.kept)}
        return text


class Row(NamedTuple):
    code: str
    name: str
    file: str  # the file's name and the line, for messages
    line: int

    @property
    def source(self) -> str:
        return _where(self.file, self.line)


def _where(file: str, line: int) -> str:
    return _("%(file)s line %(line)d") % {"file": file, "line": line}


def _open_text(path: Path) -> io.TextIOBase:
    """The file as text, read at once (a gzipped file decompressed in one go: faster than a stream)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return io.StringIO(data.decode("utf-8-sig"), newline="")


def _files(path: Path) -> list[tuple[Path, Level]]:
    if path.is_dir():
        found = []
        for stem, level in FILES:
            for candidate in (path / f"{stem}.csv", path / f"{stem}.csv.gz"):
                if candidate.exists():
                    found.append((candidate, level))
                    break
        if not found:
            raise DivisionImportError(
                [_("%(path)s: no division file found (provinces.csv ... villages.csv.gz)") % {"path": path}]
            )
        return found
    if not path.exists():
        raise DivisionImportError([_("%(path)s: file not found") % {"path": path}])
    stem = path.name.split(".")[0]
    for known_stem, level in FILES:
        if stem == known_stem:
            return [(path, level)]
    raise DivisionImportError(
        [
            _("%(path)s: unknown file name; expected provinces, cities, areas, streets or villages .csv(.gz)")
            % {"path": path}
        ]
    )


def _in_scope(code: str, under: str) -> bool:
    """A row belongs to the import when it lies under the prefix or is one of its ancestors."""
    return code.startswith(under) or (len(code) < len(under) and under.startswith(code))


def read_rows(path: Path, under: str = "") -> tuple[list[Row], set[Level], list[str]]:
    rows: list[Row] = []
    errors: list[str] = []
    levels: set[Level] = set()
    for file_path, level in _files(path):
        levels.add(level)
        with _open_text(file_path) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header or [h.strip() for h in header[:2]] != ["code", "name"]:
                errors.append(
                    _("%(where)s: the header must start with code,name")
                    % {"where": _where(file_path.name, 1)}
                )
                continue
            _read_records(reader, file_path.name, CODE_LENGTH[level], under, rows, errors)
    return rows, levels, errors


def _read_records(reader, file: str, length: int, under: str, rows: list[Row], errors: list[str]) -> None:
    """The rows of one file after its header; the place of a row is only spelled out for an error."""
    append = rows.append
    new_row = tuple.__new__  # Row(...) without NamedTuple's generated __new__: a third of the loop's time
    for number, record in enumerate(reader, start=2):
        code = record[0].strip() if record else ""
        if not code and not any(cell.strip() for cell in record):
            continue
        if under and not _in_scope(code, under):
            continue
        name = record[1].strip() if len(record) > 1 else ""
        if not name:
            errors.append(_("%(where)s: the name is empty") % {"where": _where(file, number)})
        elif len(code) != length or not code.isdigit():
            errors.append(
                _("%(where)s: code %(code)s must be %(length)d digits in this file")
                % {"where": _where(file, number), "code": code, "length": length}
            )
        else:
            append(new_row(Row, (code, name, file, number)))


def _attached_codes(codes: set[str]) -> set[str]:
    """Codes among `codes` that some other record points to (users now; people, posts ... later)."""
    attached: set[str] = set()
    code_list = list(codes)
    for relation in Division._meta.related_objects:
        model = relation.related_model
        if model is Division or model.__name__.startswith("Historical") or relation.many_to_many:
            continue
        if not relation.field.concrete:
            continue
        column = relation.field.name
        for start in range(0, len(code_list), 900):  # SQLite limits the parameters of one query
            chunk = code_list[start : start + 900]
            attached.update(
                model._base_manager.filter(**{f"{column}__in": chunk})
                .values_list(column, flat=True)
                .distinct()
            )
    return attached


def import_divisions(
    path: Path | str, *, under: str = "", actor=None, progress: Progress | None = None
) -> ImportResult:
    """Load the file(s) at `path`, restricted to `under` (a code prefix) when given. `progress` hears how many
    of the new and renamed units are written."""
    path = Path(path)
    under = under.strip()
    if under:
        try:
            level_of(under)
        except InvalidCode:
            raise DivisionImportError(
                [_("--under %(code)s is not a division code") % {"code": under}]
            ) from None
    rows, levels, errors = read_rows(path, under)
    seen: dict[str, Row] = {}
    for row in rows:
        if row.code in seen:
            errors.append(
                _("%(where)s: code %(code)s repeats %(first)s")
                % {"where": row.source, "code": row.code, "first": seen[row.code].source}
            )
        else:
            seen[row.code] = row

    existing = (
        dict(Division.objects.filter(code__startswith=under[:2]).values_list("code", "name"))
        if under
        else dict(Division.objects.values_list("code", "name"))
    )
    parent_length = {CODE_LENGTH[level]: CODE_LENGTH[Level(level - 1)] for level in Level if level > 1}
    for row in seen.values():
        parent = row.code[: parent_length[len(row.code)]] if len(row.code) in parent_length else None
        if parent is not None and parent not in seen and parent not in existing:
            errors.append(
                _("%(where)s: the parent %(parent)s does not exist (parent of %(code)s)")
                % {"where": row.source, "parent": parent, "code": row.code}
            )
    if errors:
        raise DivisionImportError(errors)

    result = ImportResult(read=len(seen))
    to_create: list[tuple[str, str]] = []
    to_rename: list[Division] = []
    for code, name, _file, _line in seen.values():
        old_name = existing.get(code)
        if old_name is None:
            to_create.append((code, name))
        elif old_name != name:
            to_rename.append(Division(code=code, name=name))
        else:
            result.unchanged += 1

    # Units of the imported levels, inside the scope, that the file no longer has.
    missing = {
        code
        for code in existing
        if (not under or code.startswith(under)) and level_of(code) in levels and code not in seen
    }

    to_write = len(to_create) + len(to_rename)
    # The new units' rows, names normalised and checked as the model's field does, before anything is written.
    new_rows = unit_rows(to_create)
    with transaction.atomic():
        # With history: each unit's timeline starts with its creation by the import.
        write_units(new_rows, actor=actor, on_written=lambda done: report(progress, done, to_write, WRITING))
        result.created = len(to_create)
        if to_rename:
            current = Division.objects.in_bulk([d.code for d in to_rename])
            for renamed in to_rename:
                current[renamed.code].name = renamed.name
            bulk_update_with_history(
                list(current.values()), Division, ["name"], batch_size=1000, default_user=actor
            )
            result.renamed = len(to_rename)
            report(progress, to_write, to_write, WRITING)
        if missing:
            result.deleted, result.kept = _delete_missing(missing)
    return result


def _delete_missing(missing: set[str]) -> tuple[int, list[str]]:
    attached = _attached_codes(missing)
    # A unit is kept when it, or anything below it, has records attached; and then its ancestors too.
    keep = set(attached)
    for code in attached:
        keep.update(c for c in missing if code.startswith(c))
    # Children present in the database but not being deleted also keep their parent.
    doomed = missing - keep
    survivors_below = (
        Division.objects.filter(parent_id__in=list(doomed))
        .exclude(code__in=list(doomed))
        .values_list("parent_id", flat=True)
        if doomed and len(doomed) < 900
        else []
    )
    for parent in survivors_below:
        keep.update(c for c in missing if parent.startswith(c))
    doomed = missing - keep
    deleted = 0
    for code in sorted(doomed, key=len, reverse=True):  # leaves first: the tree is protected
        Division.objects.get(code=code).delete()
        deleted += 1
    return deleted, sorted(keep & missing)
