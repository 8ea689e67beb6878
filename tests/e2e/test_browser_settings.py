"""Settings in the browser: open to admins, departments to CX managers, refused to the others in
plain words; the language switch; the forms whose behaviour lives in the browser."""

import pytest

from cem.models import Department, Organization
from tests.e2e.helpers import goto, login, query, shot

pytestmark = pytest.mark.browser


def test_admin_opens_every_settings_section_from_the_index(page):
    login(page, "admin")
    goto(page, "/settings/")
    sections = page.eval_on_selector_all("a[data-section]", "cards => cards.map(c => c.dataset.section)")
    # NOTE: other apps' sections slot in by their order (the topic taxonomy comes first).
    core = [name for name in sections if name.startswith("settings-")]
    assert core[:3] == ["settings-members", "settings-departments", "settings-api-keys"]
    shot(page, "settings-index-admin")
    for section in sections:
        goto(page, "/settings/")
        with page.expect_navigation():
            page.click(f'a[data-section="{section}"]')
        assert page.locator('.mainnav a[data-nav="settings-index"].active').count() == 1
        if page.locator(".settings-nav").count():  # pages built on settings/layout.html
            assert page.locator(".settings-nav a.active").get_attribute("data-nav") == section


def test_cx_manager_manages_departments_only(page, guard):
    guard.expect_status(403)
    login(page, "manager")
    goto(page, "/settings/")
    sections = page.eval_on_selector_all("a[data-section]", "cards => cards.map(c => c.dataset.section)")
    assert "settings-departments" in sections and "settings-members" not in sections
    goto(page, "/settings/members/", status=403)
    assert "您无法打开这个页面" in page.inner_text("main") and "体验管理者" in page.inner_text("main")


@pytest.mark.parametrize("username", ["logistics", "viewer"])
def test_members_and_viewers_are_refused_in_plain_words(page, guard, username):
    guard.expect_status(403)
    login(page, username)
    assert page.locator('.mainnav a[data-nav="settings-index"]').count() == 0
    for path in ("/settings/", "/settings/members/", "/settings/api-keys/", "/settings/audit/"):
        goto(page, path, status=403)
        assert "您无法打开这个页面" in page.inner_text("main")
    shot(page, f"settings-refused-{username}")


def test_language_switch_turns_the_ui_english_and_back(page):
    login(page, "manager")
    with page.expect_navigation():
        page.select_option(".topbar .lang-switch select", "en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text('.mainnav a[data-nav="home"]') == "Dashboard"
    assert page.inner_text('.mainnav a[data-nav="settings-index"]') == "Settings"
    goto(page, "/settings/departments/")  # the choice sticks across pages
    assert page.inner_text("main h1") == "Departments"
    shot(page, "departments-en")
    with page.expect_navigation():
        page.select_option(".topbar .lang-switch select", "zh-hans")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.inner_text("main h1") == "部门"


def test_a_page_that_does_not_exist_says_so(page, guard):
    guard.expect_status(404)
    login(page, "manager")
    goto(page, "/settings/departments/999999/", status=404)
    assert "这个页面不存在" in page.inner_text("main")
    shot(page, "error-404")


def test_manager_creates_a_sub_department(page):
    login(page, "manager")
    goto(page, "/settings/departments/")
    with page.expect_navigation():
        page.locator('tr[data-department="物流部"] a', has_text="添加下级部门").click()
    page.fill("input[name=name]", "华东仓")
    page.select_option("select[name=lead]", label="logistics")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    assert "已保存部门 华东仓" in page.inner_text(".messages")
    row = page.locator('tr[data-department="华东仓"]')
    assert row.count() == 1 and "logistics" in row.inner_text()
    parent = query(lambda: Department.all_orgs.select_related("parent")
                   .get(name="华东仓", organization__slug="demo").parent.name)
    assert parent == "物流部"
    shot(page, "departments-tree")


def test_admin_edits_business_hours_with_the_editor(page):
    login(page, "admin")
    goto(page, "/settings/organization/")
    page.click('[data-preset="lunch"]')
    assert page.input_value("#id_hours_mon") == "09:00-12:00, 13:00-18:00"
    assert page.locator('[data-bar-for="id_hours_mon"] span').count() == 2
    assert page.input_value("#id_hours_sat") == ""
    page.fill("#id_hours_sat", "10:00-16:00, 15:00-17:00")  # overlapping: flagged at once
    assert page.locator("#id_hours_sat.invalid").count() == 1
    assert page.is_visible("#hours-problem")
    page.fill("#id_hours_sat", "10:00-16:00")
    assert page.locator("#id_hours_sat.invalid").count() == 0
    page.fill("#holiday-picker", "2026-10-01")
    page.click("#holiday-add")
    assert "2026-10-01" in page.input_value("textarea[name=holidays]").split()
    shot(page, "organization-business-hours")
    with page.expect_navigation():
        page.click("#organization-form button[type=submit]")
    assert "已保存组织信息" in page.inner_text(".messages")
    hours = query(lambda: Organization.objects.get(slug="demo").business_hours)
    assert hours["weekly"]["fri"] == [["09:00", "12:00"], ["13:00", "18:00"]]
    assert hours["weekly"]["sat"] == [["10:00", "16:00"]]
    assert "2026-10-01" in hours["holidays"]


def test_admin_adds_a_member_and_sees_it_in_the_audit_history(page):
    login(page, "admin")
    goto(page, "/settings/members/add/")
    page.fill("#create-user input[name=new_username]", "qa.tester")
    page.fill("#create-user input[name=password]", "长城-Passw0rd-2026")
    page.select_option("#create-user select[name=role]", "department_member")
    page.select_option("#create-user select[name=department]", label="质量部")
    with page.expect_navigation():
        page.click('#create-user button[value="create"]')
    assert "qa.tester 已成为成员" in page.inner_text(".messages")
    assert page.locator('tr[data-username="qa.tester"]').count() == 1
    goto(page, "/settings/audit/?q=qa.tester")
    actions = page.eval_on_selector_all("#audit tr[data-action]", "rows => rows.map(r => r.dataset.action)")
    assert sorted(actions) == ["member.added", "user.created"]
    shot(page, "audit-history")
