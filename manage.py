#!/usr/bin/env python
"""Django's command-line utility for OpenCEM."""

import os
import sys

#: Commands that never serve a request nor sign anything that outlives them: with DEBUG off they
#: run without a SECRET_KEY (cem.settings then uses a throwaway random key), so CI and build
#: steps can check migrations or compile translations without a production secret.
OFFLINE_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "makemessages",
                    "compilemessages", "collectstatic", "help", "version", "--help", "-h",
                    "--version"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cem.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command in OFFLINE_COMMANDS:
        os.environ.setdefault("OPENCEM_OFFLINE_COMMAND", "1")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 (import the settings: a refusal is said plainly)
    except ImproperlyConfigured as exc:
        # NOTE: Django would swallow this and fail later with "Models aren't loaded yet".
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(1)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
