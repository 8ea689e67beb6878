"""Helpers of the browser tests: sign in, open a page, take a screenshot."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import connections

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
PASSWORD = settings.DEMO_PASSWORD


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the landing page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def shot(page, name: str) -> Path:
    """Full-page screenshot under screenshots/ (git-ignored), overwritten on every run."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=True)
    return path


def goto(page, path: str, *, status: int = 200, idle: bool = False):
    """Open a page and check its HTTP status; `idle` also waits for the network to settle
    (pages that fetch data after load, e.g. charts)."""
    response = page.goto(path)
    if idle:
        page.wait_for_load_state("networkidle")
    assert response is not None and response.status == status, (path, response and response.status)
    return response



def query(func):
    """Run ORM code of a test in a worker thread and return its (plain) result.

    NOTE: Playwright's sync API runs an event loop in the test's thread, where Django refuses
    ORM calls; a worker thread also closes its connection, so the test database can be dropped."""

    def run():
        try:
            return func()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
