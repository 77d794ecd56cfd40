"""The complexity gate: no function or method of src/yanzhen above cyclomatic complexity 15 (radon), except in
the importers, which read an uploaded file cell by cell and check each cell where it is read (listed below with
the reason). Exit 1 names each function over the limit.

    .venv/bin/python tools/complexity.py          # the gate (make test runs it)
    .venv/bin/python tools/complexity.py --list   # every function above 10, highest first
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class

LIMIT = 15
ROOT = Path(__file__).resolve().parent.parent / "src" / "yanzhen"

# Files that parse what a clerk uploads (xlsx rosters and scores, LRMX, the national division list): a long
# sequence of per-cell checks, each with its own Chinese message, reads best as one function per file format.
IMPORTERS = {
    "rosters/importer.py",
    "rosters/rows.py",
    "rosters/reader.py",
    "rosters/columns.py",
    "rosters/lookups.py",
    "rosters/lrmx_import.py",
    "divisions/importer.py",
    "assessments/incumbents/importer.py",
}


def blocks() -> list[tuple[int, str]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in f"/{relative}":
            continue
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if isinstance(block, Class):  # a class's own score sums its methods, which are listed too
                continue
            found.append((block.complexity, f"{relative}:{block.lineno} {block.fullname}"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="every function above 10, highest first")
    args = parser.parse_args()
    found = blocks()
    if args.list:
        for score, where in sorted(found, reverse=True):
            if score > 10:
                print(f"{score:3d}  {where}")
        return 0
    over = [
        (score, where) for score, where in found if score > LIMIT and where.split(":")[0] not in IMPORTERS
    ]
    for score, where in sorted(over, reverse=True):
        print(f"complexity: {where} is {score}, the limit is {LIMIT}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
