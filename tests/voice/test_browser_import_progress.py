"""In a real browser: the import job page follows the worker's progress by polling its JSON
status (no page reload) and shows the report, rejected rows escaped, when the job is done."""

import shutil

import pytest
from django.conf import settings
from pytest_django.live_server_helper import LiveServer

from voice.services import csv_import

pytestmark = [pytest.mark.browser, pytest.mark.worker]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: the voice engineer's port range is 8110-8119
ADDRESS = "127.0.0.1:8117"


@pytest.fixture
def server(transactional_db):
    live = LiveServer(ADDRESS)
    yield live
    live.stop()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_progress_bar_follows_the_worker(tenant, server, real_worker, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setattr(csv_import, "CHUNK_ROWS", 10)
    monkeypatch.setattr(csv_import, "CHUNKS_PER_TASK", 1)
    lines = ["channel,text,nps,touchpoint"] + [f"app,第{i}条,{i % 11}," for i in range(40)]
    lines.append("app,坏触点,5,<img src=x onerror=alert(1)>")
    path = settings.MEDIA_ROOT + "/upload-test.csv"
    with open(path, "w", encoding="gbk") as handle:
        handle.write("\r\n".join(lines) + "\r\n")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(locale="zh-CN")
        page.goto(f"{server.url}/accounts/login/")
        page.fill("input[name=username]", tenant.users["manager"].username)
        page.fill("input[name=password]", settings.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{server.url}/feedback/import/")
        page.set_input_files("input[type=file]", path)
        page.click("form[enctype] button[type=submit]")
        page.wait_for_url("**/feedback/import/*/")
        page.evaluate("window.__notReloaded = true")
        page.wait_for_function("document.querySelector('#job-status .badge').textContent"
                               " === '已完成'", timeout=60_000)
        assert page.evaluate("window.__notReloaded") is True
        assert page.text_content("#job-accepted") == "40"
        assert page.text_content("#job-rejected") == "1"
        assert page.get_attribute("#job-bar", "style").replace(" ", "") == "width:100%;"
        assert "<img src=x" in page.text_content("#job-errors")  # shown as text, not markup
        assert page.locator("#job-errors img").count() == 0
        browser.close()
