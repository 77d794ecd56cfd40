"""WSGI entry point for gunicorn: `gunicorn yanzhen.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from yanzhen.config import MissingSetting, refuse_to_start

# gunicorn's "worker failed to boot": the master stops instead of starting workers again and again.
WORKER_BOOT_ERROR = 3

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
try:
    application = get_wsgi_application()
except MissingSetting as missing:
    refuse_to_start(missing, WORKER_BOOT_ERROR)
