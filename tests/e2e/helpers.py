"""Helpers of the browser tests: sign in, open a page, take a screenshot."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
PASSWORD = settings.DEMO_PASSWORD


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the landing page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shot(page, name: str) -> Path:
    """Full-page screenshot under screenshots/ (git-ignored), overwritten on every run."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=True)
    return path


def goto(page, path: str, *, status: int = 200):
    """Open a page, wait for it to settle, and check the HTTP status."""
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == status, (path, response and response.status)
    return response

