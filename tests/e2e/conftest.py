"""Browser tests: Playwright driving Debian's Chromium against a live server on the test database.

One browser per session; one fresh context per test, with every request that leaves
127.0.0.1/localhost aborted and reported, and every JavaScript error (pageerror, console error)
reported. The demo tenant (`seed_demo`) is seeded once for the package and the database is
flushed after it, so the rest of the suite starts clean. Screenshots go to `screenshots/`.
"""

from __future__ import annotations

import os
import re
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
#: Port range of this project's live server (OPENCEM_E2E_PORTS=first-last); any free port else.
PORTS = os.environ.get("OPENCEM_E2E_PORTS", "8150-8159")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


def pytest_collection_modifyitems(items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium "
                                   "fonts-noto-cjk (CI's .ci/run installs them)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    first, _, last = PORTS.partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return 0


def _suite_uses_the_database(items) -> bool:
    """What makes pytest-django's django_db_setup create the test database (see its
    _get_databases_for_setup): a django_db marker or a database fixture on some test."""
    wanted = {"db", "transactional_db", "live_server"}
    return any(item.get_closest_marker("django_db") or wanted & set(getattr(item, "fixturenames", ()))
               for item in items)


@contextmanager
def _test_database(items):
    """pytest-django creates the test database only when some collected test asks for `db`;
    a run of the browser tests alone does not, so create (and drop) it here then."""
    from django.test.utils import setup_databases, teardown_databases

    if _suite_uses_the_database(items):
        yield
        return
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        yield
    finally:
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="package")
def live_site(request, django_db_setup, django_db_blocker):
    """The live server with the demo tenant; the database is flushed afterwards."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.db import connection
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock(), _test_database(request.session.items):
        # NOTE: server threads live as long as the browser keeps a connection alive; closing
        # their database connection after each request lets the database be dropped at the end.
        conn_max_age = connection.settings_dict.get("CONN_MAX_AGE", 0)
        connection.settings_dict["CONN_MAX_AGE"] = 0
        call_command("seed_demo", verbosity=0)  # journeys, ~2,800 feedback, tickets
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=_free_port())
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://127.0.0.1:{thread.port}"
        finally:
            thread.terminate()
            call_command("flush", interactive=False, verbosity=0)
            connection.settings_dict["CONN_MAX_AGE"] = conn_max_age


@pytest.fixture(autouse=True)
def _database(django_db_blocker, live_site):
    """Browser tests read the same committed data as the live server (see helpers.query)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Guard:
    """What went wrong in the browser during one test."""

    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)

    def expect_status(self, *statuses: int) -> None:
        """The test navigates to pages that answer these statuses on purpose (403, 404)."""
        self.expected_statuses.update(statuses)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        failed = FAILED_LOAD.search(message.text)
        if failed and int(failed.group(1)) in self.expected_statuses:
            return
        self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def check(self) -> None:
        problems = [*self.errors, *(f"off-site request (aborted): {u}" for u in self.offsite)]
        assert not problems, "\n".join(problems)


@pytest.fixture
def guard():
    return Guard()


@pytest.fixture
def page(browser, live_site, guard):
    """A fresh browser context (1280×800, Chinese browser locale) and page on the live site."""
    context = browser.new_context(base_url=live_site, viewport={"width": 1280, "height": 800},
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(30_000)

    def route(route, request):
        url = urlsplit(request.url)
        if url.scheme in ("data", "blob", "about") or url.hostname in LOCAL_HOSTS:
            return route.continue_()
        guard.offsite.append(request.url)
        return route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda error: guard.errors.append(f"pageerror: {error}"))
    tab.on("console", guard.on_console)
    yield tab
    context.close()
    guard.check()
