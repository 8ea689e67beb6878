"""Production mode (DEBUG off): refuses a missing/default SECRET_KEY with a plain message;
commands that serve nothing (makemigrations, collectstatic, …) run without one; secure cookies
and HSTS."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("import django; django.setup(); from django.conf import settings as s; "
         "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
         "s.SECURE_CONTENT_TYPE_NOSNIFF, s.LANGUAGE_CODE, s.TIME_ZONE)")


def _run(env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "cem.settings", **env_extra})
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({"DEBUG": "0"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = _run({"DEBUG": "0", "SECRET_KEY": "dev-insecure-opencem-only-for-debug"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_sets_secure_defaults():
    result = _run({"DEBUG": "0", "SECRET_KEY": "k" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "zh-hans", "Asia/Shanghai"]


def _manage(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "OPENCEM_OFFLINE_COMMAND")}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**env, **env_extra},
                          capture_output=True, text=True, timeout=120)


def test_migrations_are_checked_without_a_production_secret():
    result = _manage({"DEBUG": "0"}, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_serving_command_without_a_secret_says_why_in_one_line():
    result = _manage({"DEBUG": "0"}, "migrate", "--plan")
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: SECRET_KEY must be set")
    assert "Traceback" not in result.stderr and "Models aren't loaded" not in result.stderr
