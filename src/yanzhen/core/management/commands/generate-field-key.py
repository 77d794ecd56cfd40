"""yanzhen generate-field-key: print a new key for YANZHEN_FIELD_KEYS (encryption of ID numbers and phones)."""

from django.core.management.base import BaseCommand

from yanzhen.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new Fernet key for YANZHEN_FIELD_KEYS. Put the new key first to rotate; keep the old ones after it."

    def handle(self, *args, **options):
        self.stdout.write(generate_key())
