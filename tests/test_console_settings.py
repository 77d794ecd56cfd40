"""The console and the WSGI entry point as a newcomer and an operator meet them, in child processes with a
clean environment: a missing setting is one Chinese line and a non-zero exit, never a traceback; the demo
mode is not DEBUG; from any folder the console of a checkout reads the checkout's var/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import yanzhen

CONSOLE = str(Path(sys.executable).parent / "yanzhen")
CHECKOUT = Path(yanzhen.__file__).resolve().parents[2]
SHOW_SETTINGS = (
    "from django.conf import settings as s;"
    "print(s.DEMO, s.DEBUG, s.SESSION_COOKIE_SECURE, s.WHITENOISE_USE_FINDERS,"
    " s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1], s.DATABASES['default']['NAME'])"
)


def clean_environment(**settings: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("YANZHEN_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return {**environment, **settings}


def console(*arguments: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CONSOLE, *arguments],
        cwd=cwd,
        env=clean_environment(**settings),
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture
def var(tmp_path) -> Path:
    folder = tmp_path / "var"
    folder.mkdir()
    return folder


def test_missing_secret_key_is_one_chinese_line(tmp_path, var):
    done = console("stats", "--division", "640323", cwd=tmp_path, YANZHEN_VAR_DIR=str(var))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("yanzhen: 缺少设置 YANZHEN_SECRET_KEY：生产环境请设置 YANZHEN_SECRET_KEY")
    assert "试用演示请在命令前加 YANZHEN_DEMO=1" in done.stderr


def test_missing_field_keys_is_one_chinese_line(tmp_path, var):
    done = console("check", cwd=tmp_path, YANZHEN_VAR_DIR=str(var), YANZHEN_SECRET_KEY="s" * 50)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("yanzhen: 缺少设置 YANZHEN_FIELD_KEYS：")
    assert "yanzhen generate-field-key" in done.stderr


def test_wsgi_refuses_to_boot_in_one_line(tmp_path, var):
    done = subprocess.run(
        [sys.executable, "-c", "import yanzhen.wsgi"],
        cwd=tmp_path,
        env=clean_environment(YANZHEN_VAR_DIR=str(var)),
        capture_output=True,
        text=True,
        timeout=240,
    )
    # 3: gunicorn's "worker failed to boot", so its master stops rather than respawning workers.
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("yanzhen: 缺少设置 YANZHEN_SECRET_KEY：")


def test_generate_field_key_needs_no_settings(tmp_path, var):
    from cryptography.fernet import Fernet

    done = console("generate-field-key", cwd=tmp_path, YANZHEN_VAR_DIR=str(var))
    assert (done.returncode, done.stderr) == (0, "")
    Fernet(done.stdout.strip().encode())  # a valid key


def test_modes(tmp_path, var):
    production = console(
        "shell",
        "--no-imports",
        "-c",
        SHOW_SETTINGS,
        cwd=tmp_path,
        YANZHEN_VAR_DIR=str(var),
        YANZHEN_SECRET_KEY="s" * 50,
        YANZHEN_FIELD_KEYS="a" * 43 + "=",
    )
    assert production.stdout.split()[:5] == [
        "False",
        "False",
        "True",
        "False",
        "CompressedManifestStaticFilesStorage",
    ]
    # The demo: Django's DEBUG off (the app's own error pages), development keys, http cookies, static files
    # from the apps.
    demo = console(
        "shell", "--no-imports", "-c", SHOW_SETTINGS, cwd=tmp_path, YANZHEN_VAR_DIR=str(var), YANZHEN_DEMO="1"
    )
    assert demo.stdout.split()[:5] == ["True", "False", "False", "True", "StaticFilesStorage"], demo.stderr
    debug = console(
        "shell",
        "--no-imports",
        "-c",
        SHOW_SETTINGS,
        cwd=tmp_path,
        YANZHEN_VAR_DIR=str(var),
        YANZHEN_DEBUG="1",
    )
    assert debug.stdout.split()[:5] == ["False", "True", "False", "True", "StaticFilesStorage"], debug.stderr


def test_the_settings_file_make_run_writes_puts_the_console_in_demo_mode(tmp_path, var):
    (var / "yanzhen.env").write_text(
        "# written by make run\nYANZHEN_DEMO=1\nOTHER=ignored\n", encoding="utf-8"
    )
    done = console("shell", "--no-imports", "-c", SHOW_SETTINGS, cwd=tmp_path, YANZHEN_VAR_DIR=str(var))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "True",
        "False",
        "False",
        "True",
        "StaticFilesStorage",
        str(var / "yanzhen.sqlite3"),
    ]


def test_from_any_folder_the_console_reads_the_checkouts_database(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    names = {
        console("shell", "--no-imports", "-c", SHOW_SETTINGS, cwd=folder, YANZHEN_DEMO="1").stdout.split()[-1]
        for folder in (CHECKOUT, elsewhere)
    }
    assert names == {str(CHECKOUT / "var" / "yanzhen.sqlite3")}


def test_demo_command_refused_in_production(tmp_path, var):
    done = console(
        "demo",
        cwd=tmp_path,
        YANZHEN_VAR_DIR=str(var),
        YANZHEN_SECRET_KEY="s" * 50,
        YANZHEN_FIELD_KEYS="a" * 43 + "=",
    )
    assert done.returncode == 1
    assert "只能在演示模式 (YANZHEN_DEMO=1) 或开发环境 (YANZHEN_DEBUG=1) 下加载" in done.stderr
    assert "Traceback" not in done.stderr
