"""Journeys in a real browser: a CX manager designs a journey (creates it with a stage and a
touchpoint) and sees its map; the demo journey map draws its emotion curve with the peak-end
moments, with no JavaScript error and no off-site request; a click opens the feedback."""

import re

import pytest

from tests.e2e.helpers import goto, login, query, shot

pytestmark = pytest.mark.browser


def _demo_journey_id(name: str) -> int:
    from journeys.models import Journey

    return query(lambda: Journey.all_orgs.get(organization__slug="demo", name=name).pk)


def test_a_cx_manager_designs_a_journey_and_sees_its_map(page):
    login(page, "manager")
    page.click('nav.mainnav a[data-nav="journey-list"]')
    page.wait_for_url(re.compile(r"/journeys/$"))
    page.click("#new-journey")
    page.fill("#journey-form input[name=name]", "会员续费")
    page.fill("#journey-form input[name=persona]", "年费会员")
    with page.expect_navigation():
        page.click("#journey-form button[type=submit]")
    assert re.search(r"/journeys/\d+/edit/$", page.url)
    page.fill("#new-stage-name", "续费提醒")
    with page.expect_navigation():
        page.click("#stage-add button[type=submit]")
    page.fill("#touchpoint-add input[name=key]", "renewal-sms")
    page.fill("#touchpoint-add input[name=name]", "续费短信")
    page.select_option("#touchpoint-add select[name=department]", label="客服中心")
    page.check('#touchpoint-add input[name=channels][value="app"]')
    with page.expect_navigation():
        page.click("#touchpoint-add button[type=submit]")
    assert page.locator('tr[data-touchpoint="renewal-sms"]').count() == 1
    shot(page, "journey-designer")
    with page.expect_navigation():
        page.click("#open-map")
    assert page.locator('[data-stage="续费提醒"] [data-touchpoint="renewal-sms"]').count() == 1
    assert "客服中心" in page.inner_text('[data-touchpoint="renewal-sms"]')
    assert page.locator("#curve-empty").count() == 1  # no feedback yet: said, not drawn
    shot(page, "journey-map-new")


def test_the_demo_journey_map_draws_its_curve(page):
    journey_id = _demo_journey_id("电商购物")
    login(page, "viewer")
    goto(page, f"/journeys/{journey_id}/?period=180", idle=True)
    page.wait_for_selector('#emotion-curve[data-ready="1"] canvas')
    assert page.locator(".stage-column").count() == 5
    assert page.locator(".moment-peak").count() == 1 and page.locator(".moment-low").count() == 1
    assert page.locator('[data-touchpoint="ec-delivery"] .chip-pain').count() >= 1
    assert page.locator("#design-journey").count() == 0  # viewers read only
    shot(page, "journey-map-demo")
    with page.expect_navigation():
        page.click('[data-touchpoint="ec-delivery"] a.touchpoint-link')
    assert "touchpoint=ec-delivery" in page.url
