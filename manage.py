#!/usr/bin/env python
"""Django's command-line utility for OpenCEM."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cem.settings")
    from django.core.exceptions import ImproperlyConfigured

    if any(arg.startswith(("--settings", "--pythonpath")) for arg in sys.argv[2:]):
        from django.core.management import execute_from_command_line

        return execute_from_command_line(sys.argv)
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
