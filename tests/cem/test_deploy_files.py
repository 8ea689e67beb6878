"""docker-compose.yml and the Dockerfile: valid YAML, every service health-checked, and the web
server (gunicorn) run with threads and a timeout long CSV exports fit in, checked with gunicorn's
own option parser. (`docker compose config` validates more where docker is installed.)"""

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from gunicorn.config import Config

ROOT = Path(settings.BASE_DIR)


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _gunicorn_options(argv: list[str]):
    start = argv.index("gunicorn")
    config = Config()
    return config.parser().parse_args(argv[start + 1:])


def _web_argv() -> list[str]:
    command = _compose()["services"]["web"]["command"]
    [shell_script] = [part for part in shlex.split(command) if "gunicorn" in part]
    return shlex.split(shell_script.split("&&")[-1].replace("exec ", "", 1))


def test_every_service_has_a_health_check():
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        assert check.get("test") and check.get("retries"), name


@pytest.mark.parametrize("source", ["compose", "dockerfile"])
def test_gunicorn_uses_threads_and_a_long_timeout(source):
    if source == "compose":
        argv = _web_argv()
    else:
        line = re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M).group(1)
        argv = json.loads(line)
    options = _gunicorn_options(argv)
    assert options.workers == 2 and options.threads == 4
    assert options.timeout >= 120 and options.graceful_timeout <= options.timeout
    assert options.worker_tmp_dir == "/dev/shm" and options.bind == ["0.0.0.0:8000"]
    assert options.args == ["cem.wsgi:application"]


def test_web_migrates_first_and_waits_for_its_dependencies():
    web = _compose()["services"]["web"]
    assert web["command"].startswith('sh -c "python manage.py migrate --noinput &&')
    assert web["depends_on"] == {"postgres": {"condition": "service_healthy"},
                                 "redis": {"condition": "service_healthy"}}
    assert web["healthcheck"]["start_period"] == "60s"
