"""Each demo role signs in and sees its own navigation; the pages of the shell draw cleanly."""

import pytest

from cem.access import EVERYONE
from cem.demo import DEMO_USERS
from cem.navigation import nav_for
from tests.e2e.helpers import goto, login, shot

pytestmark = pytest.mark.browser

ROLES = {username: role for username, role, _department, _email in DEMO_USERS}


def _expected_nav(role: str) -> list[str]:
    names = [link["url_name"] for link in nav_for(section="main", role=role, current_url_name=None)]
    if nav_for(section="settings", role=role, current_url_name=None):
        names.append("settings-index")
    return names


@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_signs_in_and_sees_its_navigation(page, username):
    role = ROLES[username]
    login(page, username)
    assert page.url.endswith("/")
    assert page.get_attribute("html", "lang") == "zh-hans"  # a Chinese-first product
    shown = page.eval_on_selector_all(".mainnav a", "links => links.map(a => a.dataset.nav)")
    assert shown == _expected_nav(role)
    assert ("settings-index" in shown) == (role in ("admin", "cx_manager"))
    assert page.locator('.mainnav a[data-nav="home"]').get_attribute("class") == "active"
    page.click(".usermenu summary")
    menu = page.inner_text(".usermenu .menu")
    assert username in menu and "演示公司" in menu
    shot(page, f"home-{username}")


def test_log_out_from_the_user_menu(page):
    login(page, "viewer")
    page.click(".usermenu summary")
    with page.expect_navigation():
        page.click('[data-action="logout"]')
    assert "/accounts/login/" in page.url
    goto(page, "/")
    assert "/accounts/login/" in page.url


def test_wrong_password_is_explained(page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "wrong")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text("main")
    shot(page, "login-error")


def test_every_registered_page_draws_without_errors(page):
    """Every link of the navigation (main and settings) as the administrator: screenshots of
    each main page, no JavaScript error, no off-site request (checked by the fixture)."""
    login(page, "admin")
    links = (nav_for(section="main", role="admin", current_url_name=None)
             + nav_for(section="settings", role="admin", current_url_name=None))
    assert {link["url_name"] for link in links} >= {"home", "settings-members"}
    for link in links:
        goto(page, link["url"], idle=True)
        assert page.locator("main h1").count() >= 1, link["url"]
        shot(page, f"page-{link['url_name']}")
    assert EVERYONE  # the registry is shared with the server (same process)
