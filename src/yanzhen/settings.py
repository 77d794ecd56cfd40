"""Settings of yanzhen, read from the environment (and from $YANZHEN_VAR_DIR/yanzhen.env, see yanzhen.config).

Three modes:
- production: neither flag. YANZHEN_SECRET_KEY and YANZHEN_FIELD_KEYS must be given, or nothing starts;
  DEBUG off, cookies over HTTPS only, static files collected and fingerprinted.
- the demo, YANZHEN_DEMO=1 (`make run`): DEBUG stays off, so a 404, 403 or 500 shows the app's own Chinese
  page as in production; development keys, cookies over plain http, static files served straight from the
  apps, and `yanzhen demo` is allowed.
- development, YANZHEN_DEBUG=1 (`make test`, a developer's runserver): the same defaults, and Django's DEBUG.
"""

import os

import dj_database_url
from django.utils.translation import gettext_lazy as _

from yanzhen.config import (
    PACKAGE_DIR,
    SETTINGS_FILE_NAME,
    MissingSetting,
    missing_setting_message,
    read_settings_file,
    var_dir,
)

VAR_DIR = var_dir()
# Settings written next to the data (by `make run`); the environment wins over them.
FILE_SETTINGS = read_settings_file(VAR_DIR / SETTINGS_FILE_NAME)


def _setting(name: str, default: str = "") -> str:
    return os.environ.get(name, FILE_SETTINGS.get(name, default))


DEBUG = _setting("YANZHEN_DEBUG", "0") == "1"
DEMO = _setting("YANZHEN_DEMO", "0") == "1"
# Development defaults (keys, plain-http cookies, static files from the apps): the demo and DEBUG only.
DEVELOPMENT_DEFAULTS = DEBUG or DEMO

SECRET_KEY = _setting("YANZHEN_SECRET_KEY")
if not SECRET_KEY:
    if not DEVELOPMENT_DEFAULTS:
        raise MissingSetting(
            missing_setting_message("YANZHEN_SECRET_KEY", " YANZHEN_SECRET_KEY（一个长随机串）")
        )
    SECRET_KEY = "development-only-key-never-used-in-production"

# Keys that encrypt ID numbers and phones at rest (Fernet, comma-separated; the first encrypts, all decrypt).
# Generate one with `yanzhen generate-field-key`. Required outside the demo and DEBUG.
FIELD_ENCRYPTION_KEYS = [k for k in _setting("YANZHEN_FIELD_KEYS").split(",") if k]
if not DEVELOPMENT_DEFAULTS and not FIELD_ENCRYPTION_KEYS:
    raise MissingSetting(
        missing_setting_message(
            "YANZHEN_FIELD_KEYS", " YANZHEN_FIELD_KEYS（用 yanzhen generate-field-key 生成，多个用逗号分隔）"
        )
    )

# The key that signs the reports filed upward (reports_up/signing.py: an Ed25519 seed, base64; generate one with
# `yanzhen snapshot generate-key`). The demo and DEBUG derive a development key; production without one cannot
# submit. The public keys of the deployments whose files this one imports (comma-separated, base64).
SIGNING_KEY = _setting("YANZHEN_SIGNING_KEY")
TRUSTED_SIGNING_KEYS = [k for k in _setting("YANZHEN_TRUSTED_SIGNING_KEYS").split(",") if k]

ALLOWED_HOSTS = [h for h in _setting("YANZHEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in _setting("YANZHEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ninja",
    "yanzhen.core",
    "yanzhen.divisions",
    "yanzhen.accounts",
    "yanzhen.people",
    "yanzhen.posts",
    "yanzhen.holidays",
    "yanzhen.candidacies",
    "yanzhen.assessments",
    "yanzhen.duty",
    "yanzhen.welfare",
    "yanzhen.cultivation",
    "yanzhen.stats",
    "yanzhen.rosters",
    "yanzhen.matching",
    "yanzhen.elections",
    "yanzhen.pairing",
    "yanzhen.rankings",
    "yanzhen.prospects",
    "yanzhen.surveys",
    "yanzhen.succession",
    "yanzhen.todos",
    "yanzhen.talent",
    "yanzhen.reports_up",
    "yanzhen.ops",
    "yanzhen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Moves an active session's 30-minute expiry on at most once a minute (accounts/middleware.py).
    "yanzhen.accounts.middleware.SessionRefreshMiddleware",
    "yanzhen.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL character in the address or a query parameter is answered 400 before any view (core/bad_input.py).
    "yanzhen.core.bad_input.NulGuardMiddleware",
    # request.user.is_verified(): the session passed the second factor (accounts/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Tells the browser of a session ended by a newer login why it is logged out (accounts.sessions).
    "yanzhen.accounts.middleware.SessionEndedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "yanzhen.core.middleware.LoginRequiredMiddleware",
    # The one-time code after the password, or the enrolment a county's policy requires, before anything else.
    "yanzhen.accounts.middleware.TwoFactorMiddleware",
    "yanzhen.accounts.middleware.PasswordChangeRequiredMiddleware",
    # 三员分立: a system, security or audit administrator reaches only his own pages (accounts/duties.py).
    "yanzhen.accounts.middleware.DutyOnlyMiddleware",
    # 县委分管领导: read-only, the county's figures only (accounts/leader.py).
    "yanzhen.accounts.middleware.LeaderOnlyMiddleware",
    "yanzhen.core.middleware.SelfServiceOnlyMiddleware",
    # Tells the page that a requested download has started (the busy button unlocks): core/downloads.py.
    "yanzhen.core.downloads.DownloadTokenMiddleware",
    # Last: django-axes turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yanzhen.urls"
WSGI_APPLICATION = "yanzhen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yanzhen.core.context_processors.navigation",
            ],
        },
    },
]

# Every form marks its invalid fields with Bootstrap's is-invalid (core/form_rendering.py).
FORM_RENDERER = "yanzhen.core.form_rendering.BootstrapRenderer"

_database_url = _setting("YANZHEN_DATABASE_URL")
# YANZHEN_PGBOUNCER=1: the URL names a pgbouncer in transaction mode (docs/deployment.md). A server-side cursor
# (QuerySet.iterator() outside a transaction: the backup's dump, exports) would not survive the pooler handing
# the next statement to another server connection, so Django reads those with client-side cursors. Prepared
# statements, the other thing transaction pooling breaks, Django's psycopg backend already leaves off.
# PostgreSQL connections start with the planner settings the statistics need (stats.states.tuned says why), so
# no query sets them; through pgbouncer, which passes no such options, `tuned` sets them per transaction.
PG_SESSION_OPTIONS = "-c jit=off -c random_page_cost=1.1"
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url,
            conn_max_age=60,
            disable_server_side_cursors=_setting("YANZHEN_PGBOUNCER", "0") == "1",
        )
    }
    if (
        DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        and _setting("YANZHEN_PGBOUNCER", "0") != "1"
    ):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = PG_SESSION_OPTIONS
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "yanzhen.sqlite3"),
            # WAL lets the web server read while an import writes.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out user is refused before his password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend reading a session's user with his division in one query (accounts/backends.py).
    # Upgrading from a version that named Django's own backend logs every open session out once.
    "yanzhen.accounts.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "yanzhen.accounts.validators.CharacterClassValidator", "OPTIONS": {"required_classes": 3}},
    # None of the last passwords (accounts.password_policy.reuse_count) again.
    {"NAME": "yanzhen.accounts.validators.PasswordHistoryValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request (等保 level 3: idle timeout).
SESSION_COOKIE_AGE = 30 * 60
# Not on every request: accounts.middleware.SessionRefreshMiddleware moves the expiry on once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# One session per user: a new login ends his other sessions (accounts.sessions). YANZHEN_SINGLE_SESSION=0
# allows several at once.
YANZHEN_SINGLE_SESSION = _setting("YANZHEN_SINGLE_SESSION", "1") == "1"

# The figures of a county, a city and a province add up per-county counts kept per day (stats.rollup),
# recomputing only the counties changed since; 0 computes every request's figures from the archive directly.
STATS_ROLLUP = _setting("YANZHEN_STATS_ROLLUP", "1") == "1"
# Revealing a full ID number or phone, or exporting unmasked data, needs the password entered within this
# many seconds (at login or on the 请再次输入密码 page, accounts.reauth).
YANZHEN_REAUTH_SECONDS = 5 * 60
# Production is HTTPS only: secure cookies, plain-http requests redirected, HSTS. YANZHEN_INSECURE_COOKIES=1 is
# the documented exception for a trial over plain http on an intranet: it turns all three off.
HTTPS_ONLY = not DEVELOPMENT_DEFAULTS and _setting("YANZHEN_INSECURE_COOKIES", "0") != "1"
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A form sent from a stale page gets the app's own Chinese 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "yanzhen.core.errors.csrf_failure"

# Login lockout: 5 failures lock that username for 30 minutes, whether or not the user exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# By username only: a township office sits behind one NAT address, and locking the address would lock
# every clerk there because one mistyped her password.
AXES_LOCKOUT_PARAMETERS = ["username"]
# models.W040: SQLite builds a covering index (INCLUDE) without its extra columns, which only PostgreSQL, the
# production database, reads (posts.Term's term_seat_covering).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Two-factor login (django-otp): the issuer shown in the authenticator app, and the back-off after wrong codes
# (1, 2, 4 … seconds per device); the verify page also sends a session back to the login after
# TWO_FACTOR_MAX_FAILURES wrong codes (accounts/two_factor_views.py).
OTP_TOTP_ISSUER = "雁阵"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
TWO_FACTOR_MAX_FAILURES = 5

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT_DEFAULTS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In the demo, development and tests whitenoise serves straight from the apps' static folders (found once at
# start, or on every request in DEBUG); production runs `yanzhen collectstatic` into STATIC_ROOT per release.
WHITENOISE_USE_FINDERS = DEVELOPMENT_DEFAULTS
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS (docs/security.md, "Security headers"). Behind a reverse proxy that ends TLS (nginx, a load balancer)
# the app sees plain http: YANZHEN_BEHIND_TLS_PROXY=1 makes it trust the proxy's X-Forwarded-Proto, else every
# request would be redirected again and again. Set it only when the proxy overwrites that header and the app
# server cannot be reached except through the proxy.
if _setting("YANZHEN_BEHIND_TLS_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS_ONLY
# A load balancer's health probe may ask over plain http: it gets its answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# One year by default; lower it (e.g. YANZHEN_HSTS_SECONDS=3600) while first trying HTTPS on a new host: a browser
# that saw the header refuses plain http to this host for that long.
_hsts_seconds = _setting("YANZHEN_HSTS_SECONDS", str(365 * 24 * 3600)).strip()
if not _hsts_seconds.isdigit():
    raise MissingSetting(
        f"设置 YANZHEN_HSTS_SECONDS 应为秒数（非负整数，例如 31536000），现在是“{_hsts_seconds}”。"
    )
SECURE_HSTS_SECONDS = int(_hsts_seconds) if HTTPS_ONLY else 0
# The app's host name is its own (yanzhen.<county>.gov.cn); names under it serve nothing over plain http.
# YANZHEN_HSTS_INCLUDE_SUBDOMAINS=0 leaves them out where that is not so.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _setting("YANZHEN_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
# No "preload": the preload list is asked for by the owner of the registrable domain (the government's), not by
# one application under it; so Django's deploy check that suggests it is silenced (SILENCED_SYSTEM_CHECKS).
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS += ["security.W021"]

# Content-Security-Policy (django-csp): nothing runs or styles the page but files served by the app itself. No
# inline script, no inline style, no eval (htmx's allowEval is off, base.html); the templates are checked for
# inline scripts, handlers and styles by tests/test_security_headers.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for images made in the page: a chart saved as a picture, a QR code, Bootstrap's inline SVG icons.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _setting("YANZHEN_LOG_LEVEL", "WARNING")},
}

# Rows per page on list pages.
PAGE_SIZE = 50

# Roster imports (rosters app): the largest upload, and the zip-bomb limits checked before openpyxl reads it.
ROSTER_MAX_UPLOAD_BYTES = int(_setting("YANZHEN_ROSTER_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
ROSTER_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ROSTER_MAX_COMPRESSION_RATIO = 200

# 群众满意度 (yanzhen.surveys.limits): answers from one network address in an hour before the answer page asks
# a simple sum, and from which it refuses.
SURVEY_CHALLENGE_AFTER = int(_setting("YANZHEN_SURVEY_CHALLENGE_AFTER", "20"))
SURVEY_HARD_LIMIT = int(_setting("YANZHEN_SURVEY_HARD_LIMIT", "100"))

# Reminders (yanzhen.todos.channels): the channels this deployment turns on (in the app always), the
# government SMS gateway's address, account and key, and the address links in an e-mail start with.
REMIND_CHANNELS = [c.strip() for c in _setting("YANZHEN_REMIND_CHANNELS", "in_app").split(",") if c.strip()]
SMS_URL = _setting("YANZHEN_SMS_URL", "")
SMS_ACCOUNT = _setting("YANZHEN_SMS_ACCOUNT", "")
SMS_KEY = _setting("YANZHEN_SMS_KEY", "")
SMS_SIGN = _setting("YANZHEN_SMS_SIGN", "【研真】")
REMIND_SITE_URL = _setting("YANZHEN_SITE_URL", "").rstrip("/")
EMAIL_HOST = _setting("YANZHEN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(_setting("YANZHEN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = _setting("YANZHEN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = _setting("YANZHEN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _setting("YANZHEN_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = _setting("YANZHEN_EMAIL_FROM", "yanzhen@localhost")
