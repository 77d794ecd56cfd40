"""The `yanzhen` console command: the project's manage.py for clerks and operators."""

import os
import sys

# Exit status of a console command refused for a missing setting (as for a usage error).
MISSING_SETTING_EXIT = 2


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from yanzhen.config import MissingSetting, refuse_to_start

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, which refuse what production lacks
    except MissingSetting as missing:
        if sys.argv[1:2] == ["generate-field-key"]:
            # The key production lacks is made by this very command: it needs no settings.
            from yanzhen.core.crypto import generate_key

            print(generate_key())
            return
        refuse_to_start(missing, MISSING_SETTING_EXIT)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
