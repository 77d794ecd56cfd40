"""The deployment files of deploy/ agree with the app's settings (docs/deployment.md).

No nginx or systemd is needed: the files are read as text, gunicorn.conf.py is loaded as gunicorn loads it,
and the settings they must match are read from a child process started as production starts. nginx and the
units themselves were checked with `nginx -t` and `systemd-analyze verify` (the commands are in
docs/deployment.md).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from gunicorn.config import Config
from gunicorn.http.wsgi import proxy_environ

from yanzhen import wsgi
from yanzhen.core.uploads import DOCUMENT_MAX_BYTES
from yanzhen.ops.management.commands.backup import Command as BackupCommand
from yanzhen.people.services import PHOTO_MAX_BYTES
from yanzhen.stats.management.commands.stats import Command as StatsCommand

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX = (DEPLOY / "nginx" / "yanzhen.conf").read_text(encoding="utf-8")
MIB = 1024 * 1024

PROBE = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "VAR_DIR": str(settings.VAR_DIR),
    "STATIC_URL": settings.STATIC_URL,
    "STATIC_ROOT": str(settings.STATIC_ROOT),
    "MEDIA_URL": settings.MEDIA_URL,
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "SECURE_PROXY_SSL_HEADER": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "SECURE_REDIRECT_EXEMPT": settings.SECURE_REDIRECT_EXEMPT,
    "ROSTER_MAX_UPLOAD_BYTES": settings.ROSTER_MAX_UPLOAD_BYTES,
    "DATA_UPLOAD_MAX_MEMORY_SIZE": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "DISABLE_SERVER_SIDE_CURSORS": database.get("DISABLE_SERVER_SIDE_CURSORS"),
    "CONN_MAX_AGE": database.get("CONN_MAX_AGE"),
    "OPTIONS": database.get("OPTIONS", {}),
}))
"""


def production_settings(tmp_path: Path, **extra: str) -> dict:
    """The settings of a production process (no demo, no DEBUG) with the deployment's switches."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("YANZHEN_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="yanzhen.settings",
        YANZHEN_VAR_DIR=str(tmp_path / "var"),
        YANZHEN_SECRET_KEY="a-long-random-string-for-this-test-only",
        YANZHEN_FIELD_KEYS=Fernet.generate_key().decode(),
        YANZHEN_DATABASE_URL="postgres://yanzhen@127.0.0.1:6432/yanzhen",
        YANZHEN_BEHIND_TLS_PROXY="1",
        **extra,
    )
    code = "import django; django.setup()\n" + PROBE
    answer = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(answer.stdout)


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    return production_settings(tmp_path_factory.mktemp("production"))


def server_blocks(text: str) -> list[str]:
    """The top-level `server { … }` blocks of an nginx file, comments removed."""
    text = re.sub(r"#[^\n]*", "", text)
    blocks, start, depth = [], None, 0
    for match in re.finditer(r"\bserver\s*\{|\{|\}", text):
        if match.group().startswith("server") and depth == 0:
            start = match.start()
        if match.group().endswith("{"):
            depth += 1
        else:
            depth -= 1
            if depth == 0 and start is not None:
                blocks.append(text[start : match.end()])
                start = None
    return blocks


def directive(text: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", re.sub(r"#[^\n]*", "", text), flags=re.MULTILINE)


def nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value.strip()).groups()
    return int(number) * {"": 1, "k": 1024, "m": MIB, "g": 1024 * MIB}[unit.lower()]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in systemd
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def var_dir_of(name: str) -> str:
    [value] = [
        line.split("=", 1)[1]
        for line in unit(name)["Service"]["Environment"].split()
        if line.startswith("YANZHEN_")
    ]
    return value


# nginx ------------------------------------------------------------------------------------------------------


def test_the_upload_limit_lets_the_app_answer_files_just_over_its_own(production):
    largest = max(DOCUMENT_MAX_BYTES, production["ROSTER_MAX_UPLOAD_BYTES"], PHOTO_MAX_BYTES)
    assert largest == 10 * MIB
    # One limit for the site; the 413 page itself must be served whatever the body announced.
    limit, for_the_page = directive(NGINX, "client_max_body_size")
    assert for_the_page == "0" and re.search(
        r"location = /413.html \{\s*(#[^\n]*\s*)*client_max_body_size 0;", NGINX
    )
    # Above the app's limit, so a file of 10 MB and a little is refused by the app in Chinese, and by no more
    # than 2 MiB: the multipart envelope, not a second, larger limit.
    assert largest < nginx_size(limit) <= largest + 2 * MIB
    # Form fields without files stay under Django's own limit, far below.
    assert production["DATA_UPLOAD_MAX_MEMORY_SIZE"] < nginx_size(limit)
    page = (DEPLOY / "nginx" / "413.html").read_text(encoding="utf-8")
    assert f"每个文件不超过 {largest // MIB} MB" in page


def test_static_files_come_from_the_collected_directory_and_uploads_never(production):
    var = Path(production["VAR_DIR"])
    assert production["STATIC_URL"] == "/static/" and Path(production["STATIC_ROOT"]) == var / "static"
    static = re.search(r"location /static/ \{(.*?)\n    \}", NGINX, flags=re.DOTALL).group(1)
    [root] = directive(static, "root")
    # nginx maps /static/x to root + /static/x: the collected directory under the var directory the units use.
    assert root + production["STATIC_URL"] == var_dir_of("yanzhen.service") + "/static/"
    assert "gzip_static on" in static  # whitenoise's collectstatic writes the .gz beside each file
    assert production["MEDIA_URL"] not in re.sub(r"#[^\n]*", "", NGINX)
    assert "media" not in " ".join(directive(NGINX, "root") + directive(NGINX, "alias"))


def test_the_proxy_header_is_the_one_the_app_trusts(production):
    header, value = production["SECURE_PROXY_SSL_HEADER"]
    assert (header, value) == ("HTTP_X_FORWARDED_PROTO", "https")
    name = header.removeprefix("HTTP_").replace("_", "-").title()
    plain, tls = server_blocks(NGINX)
    assert re.search(r"listen 443 ssl", tls) and re.search(r"listen 80;", plain)
    for block in (plain, tls):
        # nginx overwrites what a client sent; $scheme is "https" exactly where TLS ended here.
        assert directive(block, f"proxy_set_header {name}") == ["$scheme"]
        assert directive(block, "proxy_set_header X-Real-IP") == ["$remote_addr"]
    # Plain http reaches the app only for the health probe, which the app exempts from its redirect.
    assert production["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]
    assert "location = /healthz" in plain and "return 301 https://$host$request_uri" in plain
    assert "proxy_pass http://yanzhen_app" in tls


def test_nginx_waits_longer_than_gunicorn_and_reaches_it_where_it_listens():
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    upstream = re.search(r"upstream yanzhen_app \{(.*?)\}", NGINX, flags=re.DOTALL).group(1)
    [server] = directive(upstream, "server")
    assert server.split()[0] == config["bind"] == "127.0.0.1:8000"
    [read] = directive(NGINX, "proxy_read_timeout")
    assert int(read.removesuffix("s")) > config["timeout"]


def test_the_maintenance_page_is_served_while_the_flag_file_exists():
    assert (DEPLOY / "nginx" / "maintenance.html").read_text(encoding="utf-8").count("系统维护中") == 2
    assert "error_page 503 /maintenance.html;" in NGINX
    assert NGINX.count("if (-f /var/www/yanzhen/maintenance.on)") == 2  # the probe and the pages


# gunicorn ---------------------------------------------------------------------------------------------------


def test_gunicorn_conf_imports_and_every_name_is_a_gunicorn_setting():
    namespace = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    helpers = {"ipaddress", "multiprocessing", "os", "REAL_IP_HEADER"}
    for name, value in namespace.items():
        if name.startswith("__") or name in helpers:
            continue
        assert name in config.settings, name
        config.set(name, value)
    assert config.worker_class_str == "sync" and config.preload_app
    assert config.wsgi_app == "yanzhen.wsgi:application"
    assert config.settings["control_socket_disable"].get() is True


def request_with(*headers: tuple[str, str]) -> SimpleNamespace:
    return SimpleNamespace(headers=list(headers), proxy_protocol_info=None)


def test_the_client_address_from_nginx_reaches_remote_addr():
    pre_request = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["pre_request"]

    seen = request_with(("HOST", "yanzhen.example.gov.cn"), ("X-REAL-IP", "203.0.113.7"))
    pre_request(None, seen)
    assert proxy_environ(seen)["REMOTE_ADDR"] == "203.0.113.7"

    for headers in [
        (),
        (("X-REAL-IP", "not-an-address"),),
        (("X-REAL-IP", "1.2.3.4"), ("X-REAL-IP", "5.6.7.8")),
    ]:
        ignored = request_with(*headers)
        pre_request(None, ignored)
        assert proxy_environ(ignored) == {}


# systemd ----------------------------------------------------------------------------------------------------


def test_the_app_unit_runs_gunicorn_with_this_config_and_stops_on_a_missing_setting():
    service = unit("yanzhen.service")["Service"]
    executable, *arguments = shlex.split(service["ExecStart"])
    assert executable.endswith("/bin/gunicorn")
    assert arguments == ["--config", "/opt/yanzhen/src/deploy/gunicorn.conf.py"]
    assert service["Type"] == "notify" and service["User"] == "yanzhen"
    assert service["RestartPreventExitStatus"] == str(wsgi.WORKER_BOOT_ERROR)
    assert {var_dir_of(name) for name in ("yanzhen.service", "yanzhen-backup.service")} == {
        "/var/lib/yanzhen"
    }
    assert var_dir_of("yanzhen-restore-drill.service") == "/var/lib/yanzhen"
    assert service["ReadWritePaths"] == "/var/lib/yanzhen"


def test_the_backup_unit_rotates_with_options_the_command_accepts():
    executable, command, *arguments = shlex.split(unit("yanzhen-backup.service")["Service"]["ExecStart"])
    assert (executable, command) == ("/opt/yanzhen/venv/bin/yanzhen", "backup")
    options = BackupCommand().create_parser("yanzhen", "backup").parse_args(arguments)
    assert (options.keep_daily, options.keep_weekly, options.keep_monthly) == (14, 8, 12)
    assert options.no_progress
    timer = unit("yanzhen-backup.timer")
    assert (
        timer["Timer"]["OnCalendar"] == "*-*-* 02:30:00" and timer["Install"]["WantedBy"] == "timers.target"
    )
    assert unit("yanzhen-restore-drill.timer")["Timer"]["OnCalendar"] == "*-*-01 04:00:00"


def test_the_nightly_statistics_unit_refreshes_the_division_it_is_started_for():
    executable, command, *arguments = shlex.split(
        unit("yanzhen-stats-refresh@.service")["Service"]["ExecStart"].replace("%i", "41")
    )
    assert (executable, command) == ("/opt/yanzhen/venv/bin/yanzhen", "stats")
    options = StatsCommand().create_parser("yanzhen", "stats").parse_args(arguments)
    assert (options.division, options.refresh, options.as_of) == ("41", True, "")
    assert var_dir_of("yanzhen-stats-refresh@.service") == "/var/lib/yanzhen"
    timer = unit("yanzhen-stats-refresh@.timer")
    assert (
        timer["Timer"]["OnCalendar"] == "*-*-* 00:10:00" and timer["Install"]["WantedBy"] == "timers.target"
    )


DRILL = DEPLOY / "bin" / "yanzhen-restore-drill"


def drill(var: Path) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "YANZHEN_VAR_DIR": str(var),
        "YANZHEN": "echo",
    }
    return subprocess.run([str(DRILL)], env=environment, capture_output=True, text=True, check=False)


def test_the_drill_checks_the_newest_archive_of_backup(tmp_path):
    assert (
        unit("yanzhen-restore-drill.service")["Service"]["ExecStart"]
        == "/opt/yanzhen/src/deploy/bin/" + DRILL.name
    )
    assert os.access(DRILL, os.X_OK)
    backups = tmp_path / "backups"
    backups.mkdir()
    for name in [
        "yanzhen-20261130-023000.tar.gz",
        "yanzhen-20261207-023000.tar.gz",
        "yanzhen-20261201-023000.tar.gz",
        "zz-copy.tar.gz",
        "yanzhen-20261208-023000.tar.gz.partial",
    ]:
        (backups / name).write_bytes(b"")

    found = drill(tmp_path)

    assert found.returncode == 0
    assert found.stdout == f"restore {backups}/yanzhen-20261207-023000.tar.gz --check --no-progress\n"


def test_the_drill_without_archives_fails_and_says_why(tmp_path):
    found = drill(tmp_path)
    assert found.returncode == 1
    assert found.stderr == f"恢复演练未进行：{tmp_path}/backups 中没有 yanzhen backup 写入的备份文件。\n"


# PostgreSQL -------------------------------------------------------------------------------------------------


def test_behind_pgbouncer_no_server_side_cursor_is_used(production, tmp_path):
    assert production["DISABLE_SERVER_SIDE_CURSORS"] is False and production["CONN_MAX_AGE"] == 60
    pooled = production_settings(tmp_path, YANZHEN_PGBOUNCER="1")
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True and pooled["CONN_MAX_AGE"] == 60


def test_the_planner_settings_come_with_the_connection_except_through_pgbouncer(production, tmp_path):
    # Straight to PostgreSQL every connection starts with them, so the statistics set nothing per request;
    # pgbouncer passes no startup options (stats.states.tuned sets them per transaction there), and the
    # server's own configuration carries them too.
    assert production["OPTIONS"] == {"options": "-c jit=off -c random_page_cost=1.1"}
    assert "options" not in production_settings(tmp_path, YANZHEN_PGBOUNCER="1")["OPTIONS"]
    server = (DEPLOY / "postgresql" / "yanzhen.conf").read_text()
    assert re.search(r"^jit = off$", server, re.M) and re.search(r"^random_page_cost = 1\.1$", server, re.M)
