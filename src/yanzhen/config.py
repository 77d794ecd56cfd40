"""Where the settings come from, before Django is set up: the environment, the checkout's var/ and the
settings file that `make run` leaves there. Imported by settings.py, the console entry point and wsgi.py;
it imports nothing of Django's but its exception class.

- A source checkout (`make venv` installs it editable) keeps its data in its own var/, wherever the console
  is started from: `cd /tmp && ~/yanzhen/.venv/bin/yanzhen stats ...` reads the demo's database, not /tmp/var.
- `$YANZHEN_VAR_DIR/yanzhen.env` holds YANZHEN_* settings as KEY=VALUE lines; the environment wins over it.
  `make run` writes YANZHEN_DEMO=1 there, so the console typed after it runs in the demo's mode too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
SETTINGS_FILE_NAME = "yanzhen.env"
PREFIX = "YANZHEN_"


class MissingSetting(ImproperlyConfigured):
    """A setting production must give. Its message is one Chinese line that says what to set."""


def checkout_dir() -> Path | None:
    """The source checkout the package runs from (src/yanzhen inside a folder with pyproject.toml), or None
    for an installed package."""
    root = PACKAGE_DIR.parents[1]
    if PACKAGE_DIR.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def var_dir() -> Path:
    configured = os.environ.get("YANZHEN_VAR_DIR", "")
    if configured:
        return Path(configured)
    checkout = checkout_dir()
    return checkout / "var" if checkout is not None else Path.cwd() / "var"


def read_settings_file(path: Path) -> dict[str, str]:
    """The YANZHEN_* lines of a settings file; blank lines and # comments are skipped, other keys ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = (part.strip() for part in line.split("=", 1))
        if name.startswith(PREFIX):
            values[name] = value.strip("'\"")
    return values


def missing_setting_message(name: str, what: str) -> str:
    return (
        f"缺少设置 {name}：生产环境请设置{what}；"
        f"试用演示请在命令前加 YANZHEN_DEMO=1（或先运行一次 make run，它在 var/{SETTINGS_FILE_NAME} 中记下演示模式）。"
    )


def refuse_to_start(missing: MissingSetting, exit_code: int) -> None:
    """Ends the process with the one line that says what to set: no traceback for a missing setting."""
    sys.stderr.write(f"yanzhen: {missing}\n")
    sys.stderr.flush()
    raise SystemExit(exit_code)
