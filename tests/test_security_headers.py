"""Security headers (docs/security.md, "Security headers"): the Content-Security-Policy on every response, no
template that the policy would break (inline scripts, handlers, styles, javascript: links, hx-on), and the
production settings: HTTPS redirect, HSTS, the TLS-proxy switch, and `yanzhen check --deploy` clean."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import yanzhen
from yanzhen.core.errors import PLAIN_500

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str | None) -> dict[str, str]:
    """The policy header as {directive: sources} (django-csp writes the directives in no fixed order)."""
    assert header, "no Content-Security-Policy header"
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


PACKAGE = Path(yanzhen.__file__).resolve().parent


@pytest.fixture
def county_client(client_for):
    return client_for("county")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/people/", "/reserves/", "/statistics/", "/people/999999/"])
def test_every_page_carries_the_policy(county_client, url):
    response = county_client.get(url)
    assert response.status_code in (200, 404)
    assert directives(response.headers["Content-Security-Policy"]) == POLICY


@pytest.mark.django_db
def test_the_login_page_the_api_and_the_static_files_carry_it_too(client):
    login = client.get(reverse("login"))
    assert login.status_code == 200 and directives(login.headers["Content-Security-Policy"]) == POLICY
    api = client.get("/api/v1/divisions/640323")
    assert api.status_code == 401 and directives(api.headers["Content-Security-Policy"]) == POLICY
    static = client.get("/static/yanzhen/actions.js")
    assert static.status_code == 200 and directives(static.headers["Content-Security-Policy"]) == POLICY


@pytest.mark.django_db
def test_htmx_is_told_to_stay_within_the_policy(county_client):
    html = county_client.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config is not None
    assert json.loads(config.group(1)) == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
    }
    # ... before htmx itself is loaded, which reads it once.
    assert html.index('name="htmx-config"') < html.index("vendor/htmx.min.js")


# --- templates the policy would break --------------------------------------------------------------------------

# Every template folder of the package: the project's own and each app's (a new app's is found too).
TEMPLATE_FILES = sorted(path for path in PACKAGE.rglob("templates/**/*.html"))

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
FORBIDDEN = {
    "an inline event handler (on…=)": re.compile(r"<[^>]*?\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"<[^>]*?\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript\s*:", re.IGNORECASE),
    "an hx-on attribute": re.compile(r"\shx-on[:-]", re.IGNORECASE),
    "an htmx js: value": re.compile(r"\shx-(vals|headers)\s*=\s*['\"]\s*(js|javascript):", re.IGNORECASE),
}


TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def inline_code(text: str) -> list[str]:
    """What in one template the policy refuses: a <script> without src or with a body, and each FORBIDDEN.
    Template comments are left out: they never reach the browser."""
    text = TEMPLATE_COMMENT.sub("", text)
    found = []
    for attributes, body in SCRIPT.findall(text):
        if "src=" not in attributes or body.strip():
            found.append(f"an inline <script>: {body.strip()[:60]!r}")
    for what, pattern in FORBIDDEN.items():
        found.extend(f"{what}: {match.group(0)[-60:]!r}" for match in pattern.finditer(text))
    return found


def test_the_template_folders_are_found():
    names = {path.relative_to(PACKAGE).as_posix() for path in TEMPLATE_FILES}
    assert len(names) > 100
    assert {"templates/base.html", "people/templates/people/form.html", "templates/_error.html"} <= names


def test_no_template_holds_inline_script_handler_or_style():
    offending = {
        path.relative_to(PACKAGE).as_posix(): found
        for path in TEMPLATE_FILES
        if (found := inline_code(path.read_text(encoding="utf-8")))
    }
    assert offending == {}


@pytest.mark.parametrize(
    "snippet, what",
    [
        ("<script>alert(1)</script>", "an inline <script>"),
        ('<script src="/static/x.js">alert(1)</script>', "an inline <script>"),
        ('<button onclick="history.back()">', "an inline event handler"),
        ('<select class="x"\n  onchange="this.form.submit()">', "an inline event handler"),
        ('<div style="width: 5%">', "a style attribute"),
        ("<style>body {}</style>", "a <style> element"),
        ('<a href="javascript:history.back()">', "a javascript: URL"),
        ('<button hx-on:click="go()">', "an hx-on attribute"),
        ("<div hx-vals='js:{a: 1}'>", "an htmx js: value"),
    ],
)
def test_the_template_check_finds_each_kind(snippet, what):
    assert [found for found in inline_code(snippet) if found.startswith(what)]


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/yanzhen/forms.js" defer></script>',
        '<form data-confirm="确定？" action="/x" data-autosubmit>',
        '<select name="language" data-autosubmit aria-label="语言">',
        "{{ chart_data|json_script:'stats-data' }}",
        "{# an inline <script> or <style> named in a comment #}",
        '<div class="progress-bar" data-percent="40">',
    ],
)
def test_the_template_check_lets_the_allowed_forms_through(snippet):
    assert inline_code(snippet) == []


def test_the_plain_500_page_needs_no_inline_code():
    assert inline_code(PLAIN_500) == []


# --- production settings ---------------------------------------------------------------------------------------

# Prints the settings and answers that matter here, under the production settings the environment gives.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/people/")
secure = client.get("/people/", secure=True)
forwarded = client.get("/people/", headers={"X-Forwarded-Proto": "https"})
health = client.get("/healthz")
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "plain": [plain.status_code, plain.headers.get("Location"), plain.headers.get("Strict-Transport-Security")],
    "secure": [secure.status_code, secure.headers.get("Location"), secure.headers.get("Strict-Transport-Security"),
               secure.headers.get("Content-Security-Policy")],
    "forwarded": [forwarded.status_code, forwarded.headers.get("Location")],
    "health": [health.status_code, health.content.decode()],
}))
"""


def production_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production start: the required settings, no YANZHEN_DEBUG nor YANZHEN_DEMO (nor any
    other YANZHEN_* of the test run), and a var folder of its own (no yanzhen.env from a checkout)."""
    from yanzhen.core.crypto import generate_key

    environment = {name: value for name, value in os.environ.items() if not name.startswith("YANZHEN_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop(
        "DJANGO_ALLOW_ASYNC_UNSAFE", None
    )  # set by the browser tests' conftest, never in production
    environment.update(
        YANZHEN_SECRET_KEY="k3Vq9-production-secret-for-the-deploy-check-x7Tn2LbWcR8yHs4Pd6Mf0Ga1",
        YANZHEN_FIELD_KEYS=generate_key(),
        YANZHEN_ALLOWED_HOSTS="yanzhen.example.gov.cn,testserver",
        YANZHEN_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="yanzhen.settings",
    )
    environment.update(extra)
    return environment


def run(arguments: list[str], environment: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments], env=environment, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def probe(tmp_path: Path, **extra: str) -> dict:
    answer = run(["-c", PROBE], production_environment(tmp_path, **extra), tmp_path)
    assert answer.returncode == 0, answer.stderr
    return json.loads(answer.stdout.strip().splitlines()[-1])


def test_the_deploy_check_is_clean_in_production(tmp_path):
    answer = run(
        ["-m", "yanzhen", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path),
        tmp_path,
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "System check identified no issues" in answer.stdout


def test_the_deploy_check_sees_what_a_plain_http_trial_gives_up(tmp_path):
    """The check is not silenced wholesale: the intranet trial over plain http (YANZHEN_INSECURE_COOKIES=1)
    fails it on exactly the HTTPS settings it turns off."""
    answer = run(
        ["-m", "yanzhen", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path, YANZHEN_INSECURE_COOKIES="1"),
        tmp_path,
    )
    assert answer.returncode == 1
    found = set(re.findall(r"\(security\.(W\d+)\)", answer.stdout + answer.stderr))
    assert found == {"W004", "W008", "W012", "W016"}


def test_production_redirects_to_https_and_sends_hsts(tmp_path):
    found = probe(tmp_path)
    assert found["DEBUG"] is False and found["SESSION_COOKIE_SECURE"] is True
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] is None
    # Plain http: redirected to the same address over https, without HSTS (browsers ignore it there).
    assert found["plain"] == [301, "https://testserver/people/", None]
    # Over https: on to the login page, with HSTS and the policy.
    assert found["secure"][:3] == [
        302,
        "/accounts/login/?next=/people/",
        "max-age=31536000; includeSubDomains",
    ]
    assert directives(found["secure"][3]) == POLICY
    # Without the proxy switch a forged X-Forwarded-Proto is not believed.
    assert found["forwarded"] == [301, "https://testserver/people/"]
    # The health probe is answered over plain http.
    assert found["health"] == [200, "ok"]


def test_behind_a_tls_proxy_the_forwarded_scheme_is_trusted(tmp_path):
    found = probe(tmp_path, YANZHEN_BEHIND_TLS_PROXY="1")
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["forwarded"] == [302, "/accounts/login/?next=/people/"]
    assert found["plain"][:2] == [301, "https://testserver/people/"]


def test_hsts_can_be_shortened_and_kept_to_the_host(tmp_path):
    found = probe(tmp_path, YANZHEN_HSTS_SECONDS="3600", YANZHEN_HSTS_INCLUDE_SUBDOMAINS="0")
    assert found["SECURE_HSTS_SECONDS"] == 3600
    assert found["secure"][2] == "max-age=3600"


def test_a_plain_http_trial_turns_redirect_and_hsts_off(tmp_path):
    found = probe(tmp_path, YANZHEN_INSECURE_COOKIES="1")
    assert found["SECURE_SSL_REDIRECT"] is False and found["SECURE_HSTS_SECONDS"] == 0
    assert found["SESSION_COOKIE_SECURE"] is False
    assert found["plain"] == [302, "/accounts/login/?next=/people/", None]


def test_a_malformed_hsts_setting_is_one_chinese_line(tmp_path):
    answer = run(
        ["-m", "yanzhen", "check"],
        production_environment(tmp_path, YANZHEN_HSTS_SECONDS="one year"),
        tmp_path,
    )
    assert answer.returncode == 2
    assert answer.stderr == (
        "yanzhen: 设置 YANZHEN_HSTS_SECONDS 应为秒数（非负整数，例如 31536000），现在是“one year”。\n"
    )
