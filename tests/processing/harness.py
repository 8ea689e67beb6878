"""Real processes for the fault tests: a private Redis, a gunicorn web server and Celery workers,
all pointed at the test database, so a test can kill and restart any of them.

Nothing here is mocked: the processes are the ones `make run` and docker-compose start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2, what: str = "condition"):
    """Poll `predicate` until it returns a truthy value; raise AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def database_url_for_children() -> str:
    """The URL of the database pytest-django created, for child processes."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        user = s.get("USER") or "postgres"
        host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
        return f"postgres://{user}@{host}:{port}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


class RedisServer:
    """A private redis-server on a free port (never the shared one: it can be stopped)."""

    def __init__(self):
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        wait_for(self.ping, timeout=10, what="redis-server to start")
        return self

    def ping(self) -> bool:
        return self.cli("PING") == "PONG"

    def cli(self, *args: str) -> str:
        out = subprocess.run([shutil.which("redis-cli"), "-p", str(self.port), *args],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class Process:
    """A child process in its own process group, with its output kept in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"opencem-{name}-", suffix=".log",
                                               delete=False)
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def children(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.pid)], capture_output=True,
                             text=True)
        return [int(p) for p in out.stdout.split()]

    def kill(self, sig=signal.SIGKILL) -> None:
        """Kill the whole process group (main process and children) at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.kill(signal.SIGTERM)
            if self.proc.poll() is None:
                self.kill(signal.SIGKILL)


def child_env(redis: RedisServer, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url_for_children(), "REDIS_URL": redis.url,
           "DEBUG": "1", "PYTHONUNBUFFERED": "1", "CONN_MAX_AGE": "0"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_worker(redis: RedisServer, *, concurrency: int = 1, beat: bool = False,
                 name: str = "worker", **env) -> Process:
    argv = [str(BIN / "celery"), "-A", "cem", "worker", "--loglevel", "INFO", "--pool", "prefork",
            "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
            "--hostname", f"{name}-{free_port()}@%h"]
    if beat:
        schedule = Path(tempfile.mkdtemp(prefix="opencem-beat-")) / "schedule"
        argv += ["--beat", "--schedule", str(schedule)]
    worker = Process(name, argv, child_env(redis, **env))
    wait_for(lambda: "ready." in worker.output() or worker.proc.poll() is not None, timeout=60,
             what=f"{name} to be ready")
    assert worker.proc.poll() is None, worker.output()
    return worker


def start_web(redis: RedisServer, **env) -> tuple[Process, str]:
    port = free_port()
    argv = [str(BIN / "gunicorn"), "cem.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--threads", "4", "--timeout", "30"]
    web = Process("web", argv, child_env(redis, **env))
    base = f"http://127.0.0.1:{port}"

    def up():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return True
        return web.proc.poll() is not None

    wait_for(up, timeout=60, what="gunicorn to listen")
    assert web.proc.poll() is None, web.output()
    # NOTE: the first request of each gunicorn worker loads the URLconf and the API schema
    # machinery; warm both workers so the test measures steady-state requests.
    for _ in range(4):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/healthz", timeout=30).read()
    return web, base
