"""An administrator creates an API key with scopes (shown once, copied), sees it listed with
its last use, and revokes it after confirming; the key then stops working."""

import pytest

from tests.e2e.helpers import goto, login, shot

pytestmark = pytest.mark.browser


def test_admin_creates_uses_and_revokes_an_api_key(page, live_site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site)
    login(page, "admin")
    page.click('.mainnav a[data-nav="settings-index"]')
    with page.expect_navigation():
        page.click('a[data-section="settings-api-keys"]')
    if not page.locator("#create-key[open]").count():
        page.click("#create-key summary")
    page.fill("#create-key input[name=name]", "呼叫中心 CRM")
    page.check('#create-key input[value="feedback:write"]')
    page.check('#create-key input[value="metrics:read"]')
    with page.expect_navigation():
        page.click("#create-key button[type=submit]")
    raw = page.input_value("#new-key")
    assert raw.startswith("ocm") and "." in raw
    page.click("#copy-key")
    page.wait_for_function("document.getElementById('copy-key').textContent === '已复制'")
    assert page.evaluate("navigator.clipboard.readText()") == raw
    shot(page, "api-key-created")

    prefix = raw.split(".")[0]
    api = page.request.get("/api/v1/organization/", headers={"Authorization": f"Api-Key {raw}"})
    assert api.status == 200 and api.json()["slug"] == "demo"
    assert sorted(api.json()["scopes"]) == ["feedback:write", "metrics:read"]

    goto(page, "/settings/api-keys/")  # the list: the secret is never shown again
    assert raw not in page.content()
    row = page.locator(f'tr[data-key="{prefix}"]')
    assert "有效" in row.inner_text() and "从未" not in row.locator(".last-used").inner_text()
    assert "feedback:write" in row.inner_text() and "metrics:read" in row.inner_text()

    with page.expect_navigation():
        row.locator("a.danger-link").click()
    assert "401 Unauthorized" in page.inner_text("main")
    shot(page, "api-key-revoke-confirm")
    with page.expect_navigation():
        page.click("#confirm-revoke")
    assert "已吊销密钥" in page.inner_text(".messages")
    assert "已吊销" in page.locator(f'tr[data-key="{prefix}"]').inner_text()
    refused = page.request.get("/api/v1/organization/", headers={"Authorization": f"Api-Key {raw}"})
    assert refused.status == 401
    shot(page, "api-keys-after-revoke")


def test_a_key_needs_a_scope(page):
    login(page, "admin")
    goto(page, "/settings/api-keys/")
    if not page.locator("#create-key[open]").count():
        page.click("#create-key summary")
    page.fill("#create-key input[name=name]", "没有权限的密钥")
    with page.expect_navigation():
        page.click("#create-key button[type=submit]")
    assert "请至少为密钥选择一项权限范围" in page.inner_text("#create-key")
