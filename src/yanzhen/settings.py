"""Settings of yanzhen, read from the environment.

Development (`make run`, `make test`) sets YANZHEN_DEBUG=1. Production leaves it unset and must give
YANZHEN_SECRET_KEY and YANZHEN_DATABASE_URL; nothing secret has a default outside DEBUG.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("YANZHEN_VAR_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("YANZHEN_DEBUG", "0") == "1"

SECRET_KEY = os.environ.get("YANZHEN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("YANZHEN_SECRET_KEY must be set when YANZHEN_DEBUG is not 1.")
    SECRET_KEY = "development-only-key-never-used-in-production"

# Keys that encrypt ID numbers and phones at rest (Fernet, comma-separated; the first encrypts, all decrypt).
# Generate one with `yanzhen generate-field-key`. Required outside DEBUG.
FIELD_ENCRYPTION_KEYS = [k for k in os.environ.get("YANZHEN_FIELD_KEYS", "").split(",") if k]
if not DEBUG and not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("YANZHEN_FIELD_KEYS must be set when YANZHEN_DEBUG is not 1.")

ALLOWED_HOSTS = [h for h in os.environ.get("YANZHEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("YANZHEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

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
    "ninja",
    "yanzhen.core",
    "yanzhen.divisions",
    "yanzhen.accounts",
    "yanzhen.people",
    "yanzhen.posts",
    "yanzhen.candidacies",
    "yanzhen.assessments",
    "yanzhen.cultivation",
    "yanzhen.stats",
    "yanzhen.rosters",
    "yanzhen.matching",
    "yanzhen.ops",
    "yanzhen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yanzhen.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "yanzhen.core.middleware.LoginRequiredMiddleware",
    "yanzhen.core.middleware.SelfServiceOnlyMiddleware",
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

_database_url = os.environ.get("YANZHEN_DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "yanzhen.sqlite3",
            # WAL lets the web server read while an import writes.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out user is refused before his password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "yanzhen.accounts.validators.CharacterClassValidator", "OPTIONS": {"required_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request (等保 level 3: idle timeout).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and os.environ.get("YANZHEN_INSECURE_COOKIES", "0") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A form sent from a stale page gets the app's own Chinese 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "yanzhen.core.errors.csrf_failure"

# Login lockout: 5 failures lock that username for 30 minutes, whether or not the user exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# By username only: a township office sits behind one NAT address, and locking the address would lock
# every clerk there because one mistyped her password.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

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
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development and tests whitenoise serves straight from the apps' static folders; production runs
# `yanzhen collectstatic` into STATIC_ROOT once per release.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YANZHEN_LOG_LEVEL", "WARNING")},
}

# Rows per page on list pages.
PAGE_SIZE = 50

# Roster imports (rosters app): the largest upload, and the zip-bomb limits checked before openpyxl reads it.
ROSTER_MAX_UPLOAD_BYTES = int(os.environ.get("YANZHEN_ROSTER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
ROSTER_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ROSTER_MAX_COMPRESSION_RATIO = 200
