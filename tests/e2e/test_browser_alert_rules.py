"""A CX manager creates an alert rule in the settings: the form shows the fields of the chosen
kind, refuses an incomplete rule in plain words, and the new rule is listed, enabled."""

import pytest

from improvement.models import AlertRule
from tests.e2e.helpers import login, query, shot

pytestmark = pytest.mark.browser

NAME = "E2E 送货上门 NPS 预警"


def _touchpoint() -> dict:
    from journeys.models import Touchpoint

    row = Touchpoint.all_orgs.filter(organization__slug="demo").order_by("pk").first()
    return {"id": row.pk, "name": row.name}


def _stored() -> list[dict]:
    return list(AlertRule.all_orgs.filter(organization__slug="demo", name=NAME).values(
        "kind", "metric", "comparison", "threshold", "window_minutes", "min_responses",
        "touchpoint_id", "department__name", "priority", "is_enabled", "created_by__username"))


def test_manager_creates_a_metric_rule_and_sees_it_listed(page):
    touchpoint = query(_touchpoint)
    login(page, "manager")
    with page.expect_navigation():
        page.click('.mainnav a[data-nav="settings-index"]')
    with page.expect_navigation():
        page.click('a[data-section="alert-rule-list"]')
    assert page.inner_text("main h1") == "预警规则"

    form = page.locator("form.rule-form")
    assert form.locator(".field-topic").is_visible() and form.locator(".field-metric").is_hidden()
    assert form.locator("select[name=topic] option").first.inner_text() == "—"  # not Django's "---------"
    form.locator("select[name=kind]").select_option("metric_threshold")
    assert form.locator(".field-metric").is_visible() and form.locator(".field-topic").is_hidden()
    assert form.locator(".field-keywords").is_hidden()

    form.locator("input[name=name]").fill(NAME)
    form.locator("input[name=threshold]").fill("-10")
    form.locator("input[name=window_minutes]").fill("1440")
    with page.expect_navigation():  # no metric chosen: refused, nothing stored
        form.locator("button.primary").click()
    assert "此类规则必须填写该字段。" in page.inner_text(".rule-form .field-metric")
    assert query(_stored) == []

    form = page.locator("form.rule-form")
    assert form.locator("select[name=kind]").input_value() == "metric_threshold"
    assert form.locator("input[name=name]").input_value() == NAME  # what was typed is kept
    form.locator("select[name=metric]").select_option("nps")
    form.locator("select[name=comparison]").select_option("lt")
    form.locator("input[name=min_responses]").fill("20")
    form.locator("select[name=touchpoint]").select_option(str(touchpoint["id"]))
    form.locator("select[name=priority]").select_option("high")
    form.locator("select[name=department]").select_option(label="物流部")
    with page.expect_navigation():
        form.locator("button.primary").click()
    assert f"规则“{NAME}”已创建。" in page.inner_text(".messages")

    row = page.locator("table.list tbody tr", has_text=NAME)
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == "指标越过阈值" and cells[3] == "物流部" and cells[4] == "0"
    assert "已启用" in cells[6]
    shot(page, "alert-rule-created")

    assert query(_stored) == [{
        "kind": "metric_threshold", "metric": "nps", "comparison": "lt", "threshold": -10.0,
        "window_minutes": 1440, "min_responses": 20, "touchpoint_id": touchpoint["id"],
        "department__name": "物流部", "priority": "high", "is_enabled": True,
        "created_by__username": "manager"}]

    # the rule opens for editing from the list with what was stored
    with page.expect_navigation():
        row.locator("a", has_text=NAME).click()
    assert page.locator("select[name=metric]").input_value() == "nps"
    assert page.locator("select[name=touchpoint]").input_value() == str(touchpoint["id"])
    assert page.locator("select[name=kind]").is_disabled()
