"""The type checker as a gate: mypy over src/yanzhen, its errors counted per app, against a baseline that only
ever shrinks.

    .venv/bin/python tools/typecheck.py            # check (make typecheck; make test runs it before pytest)
    .venv/bin/python tools/typecheck.py --update   # after fixing errors: write the lower counts down

mypy-baseline.json (next to pyproject.toml) holds, per app of src/yanzhen (the first folder under it, or the
module's name for a file such as settings.py), the number of errors it may still have. The check fails when an
app has more errors than its baseline, naming the app and both counts; an app missing from the file may have
none. The apps in ZERO have none, whatever the file says. `--update` writes the counts found, but only where
they went down: a baseline never grows by a command (raise one by hand, in review, if ever).

Configuration (plugins, stubs, strictness) is pyproject.toml's [tool.mypy]; the settings module the
django-stubs plugin loads needs YANZHEN_DEBUG=1 (development keys), which this script sets when it is unset.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "src/yanzhen"
BASELINE = ROOT / "mypy-baseline.json"
# Issue 15: these apps are typed completely; a baseline above 0 is not accepted for them.
ZERO = ("core", "divisions", "accounts", "people", "posts", "candidacies")
ERROR_LINE = re.compile(
    rf"^{re.escape(PACKAGE)}/(?P<module>[^/:.]+)[^:]*:\d+(?::\d+)?: error: .*\[(?P<code>[a-z-]+)\]$"
)


def run_mypy() -> tuple[list[str], int]:
    """mypy's output lines and its exit status (0 clean, 1 errors found, 2 mypy itself failed)."""
    env = {**os.environ}
    env.setdefault("YANZHEN_DEBUG", "1")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", PACKAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return (done.stdout + done.stderr).splitlines(), done.returncode


def count(lines: list[str]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Errors per app, and per app the error codes (for the report)."""
    per_module: Counter[str] = Counter()
    codes: dict[str, Counter[str]] = {}
    for line in lines:
        found = ERROR_LINE.match(line)
        if found:
            module = found["module"]
            per_module[module] += 1
            codes.setdefault(module, Counter())[found["code"]] += 1
    return per_module, codes


def load_baseline() -> dict[str, int]:
    if not BASELINE.exists():
        return {}
    return {str(name): int(value) for name, value in json.loads(BASELINE.read_text(encoding="utf-8")).items()}


def allowed(baseline: dict[str, int], module: str) -> int:
    return 0 if module in ZERO else baseline.get(module, 0)


def new_limit(module: str, found: int, baseline: dict[str, int], first: bool) -> int:
    """What --update writes: the first baseline is what is found; after that a count only goes down (an app
    new to the file starts at 0); the apps in ZERO stay at 0."""
    if module in ZERO:
        return 0
    return found if first else min(found, baseline.get(module, 0))


def print_table(
    modules: list[str],
    per_module: Counter[str],
    codes: dict[str, Counter[str]],
    baseline: dict[str, int],
    worse: list[str],
) -> None:
    """One line per app: its errors, its baseline, and its most frequent error codes."""
    for name in modules:
        found, limit = per_module[name], allowed(baseline, name)
        top = ", ".join(f"{code} {n}" for code, n in codes.get(name, Counter()).most_common(4))
        mark = "  MORE THAN THE BASELINE" if name in worse else ""
        print(f"{name:<14} {found:>4} errors (baseline {limit}){mark}" + (f"  [{top}]" if top else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update", action="store_true", help="write the counts that went down to the baseline"
    )
    parser.add_argument("--verbose", action="store_true", help="print mypy's own output too")
    arguments = parser.parse_args(argv)

    lines, status = run_mypy()
    per_module, codes = count(lines)
    if status not in (0, 1) or (status == 1 and not per_module):
        # mypy could not run (configuration, a crash, a syntax error): its output says why.
        print("\n".join(lines), file=sys.stderr)
        print(f"typecheck: mypy failed (exit {status})", file=sys.stderr)
        return 2
    if arguments.verbose:
        print("\n".join(lines))

    baseline = load_baseline()
    modules = sorted(set(baseline) | set(per_module) | set(ZERO))
    worse = [name for name in modules if per_module[name] > allowed(baseline, name)]
    print_table(modules, per_module, codes, baseline, worse)

    if arguments.update:
        first = not BASELINE.exists()
        lowered = {name: new_limit(name, per_module[name], baseline, first) for name in modules}
        BASELINE.write_text(json.dumps(lowered, indent=2) + "\n", encoding="utf-8")
        print(f"typecheck: wrote {BASELINE.name}")

    for name in worse:
        print(
            f"typecheck: {name} has {per_module[name]} mypy errors, its baseline is {allowed(baseline, name)} "
            f"(`.venv/bin/python tools/typecheck.py --verbose` lists them)",
            file=sys.stderr,
        )
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
