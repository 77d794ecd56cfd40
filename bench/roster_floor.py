"""The floor of the roster import (issue 17): openpyxl reading the file alone, in read-only mode, every
row's values. `python -m bench.roster_floor roster.xlsx` in a fresh process, timed from outside as
`bench_roster` times the import; it imports openpyxl and nothing of the project."""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook


def read_only(path: Path) -> int:
    """The rows read."""
    workbook = load_workbook(path, read_only=True)
    rows = 0
    try:
        for worksheet in workbook.worksheets:
            for _values in worksheet.iter_rows(values_only=True):
                rows += 1
    finally:
        workbook.close()
    return rows


if __name__ == "__main__":
    print(read_only(Path(sys.argv[1])))
