"""The dashboard in a real browser: charts drawn with no JavaScript error and no off-site
request, filters that change the figures and live in the URL, drill-down to the feedback."""

import re

import pytest

from tests.e2e.helpers import goto, login, shot

pytestmark = pytest.mark.browser

def _charts_drawn(page) -> None:
    """Every chart container on the page holds a drawn canvas (a chart without data in the
    period shows "no data" instead of a container)."""
    page.wait_for_function("document.body.dataset.chartsReady !== undefined")
    containers = page.eval_on_selector_all("div.chart[data-chart]", "els => els.map(e => e.id)")
    assert containers and int(page.evaluate("document.body.dataset.chartsReady")) == len(containers)
    for name in containers:
        assert page.locator(f"#{name} canvas").count() >= 1, name
    assert "chart-trend" in containers


def _kpi(page, key: str) -> str:
    return page.inner_text(f'[data-kpi="{key}"] .value').strip()


@pytest.mark.parametrize("username", ["manager", "viewer", "logistics", "admin"])
def test_the_dashboard_draws_for_every_role(page, username):
    login(page, username)
    _charts_drawn(page)
    assert _kpi(page, "nps") != "—" and _kpi(page, "csat").endswith("%")
    quotes = page.locator("blockquote.quote").count()
    assert (quotes > 0) == (username != "logistics")  # members read only their department's voice
    shot(page, f"dashboard-{username}")


def test_filters_change_the_figures_and_live_in_the_url(page):
    login(page, "manager")
    _charts_drawn(page)
    before = _kpi(page, "nps"), page.inner_text('[data-kpi="nps"] .small')
    page.select_option("#dashboard-filters select[name=period]", "90d")
    page.select_option("#dashboard-filters select[name=channel]", "call_center")
    with page.expect_navigation():
        page.click("#dashboard-filters button[type=submit]")
    assert re.search(r"period=90d", page.url) and "channel=call_center" in page.url
    _charts_drawn(page)
    after = _kpi(page, "nps"), page.inner_text('[data-kpi="nps"] .small')
    assert after != before
    channels = page.eval_on_selector("#dashboard-data", "n => JSON.parse(n.textContent).channels")
    assert [c["key"] for c in channels] == ["call_center"]
    shot(page, "dashboard-filtered")
    # the link is shareable: opening it again shows the same view
    url = page.url
    goto(page, url)
    assert _kpi(page, "nps") == after[0]
    page.click("#reset-filters")
    page.wait_for_url(re.compile(r"/$"))


def test_custom_dates_show_their_inputs(page):
    login(page, "manager")
    assert page.locator("#dashboard-filters input[name=from]").is_hidden()
    page.select_option("#dashboard-filters select[name=period]", "custom")
    assert page.locator("#dashboard-filters input[name=from]").is_visible()


def test_a_click_on_a_chart_opens_the_feedback_behind_it(page, guard):
    login(page, "manager")
    _charts_drawn(page)
    explorer = page.eval_on_selector("#dashboard-data", "n => JSON.parse(n.textContent).explorer")
    if not explorer:
        pytest.skip("the feedback explorer (voice task) is not on this branch yet: no drill-down")
    point = page.evaluate("""() => {
        const el = document.getElementById('chart-channels');
        const chart = echarts.getInstanceByDom(el);
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [0, chart.getOption().series[0].data[0].value]);
        const box = el.getBoundingClientRect();
        return {x: box.left + x, y: box.top + (y + chart.convertToPixel({seriesIndex: 0}, [0, 0])[1]) / 2};
    }""")
    first = page.eval_on_selector("#dashboard-data", "n => JSON.parse(n.textContent).channels[0].key")
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert explorer in page.url and f"channel={first}" in page.url and "from=" in page.url


def test_the_dashboard_speaks_english_too(page):
    login(page, "manager")
    with page.expect_navigation():
        page.select_option(".topbar .lang-switch select", "en")
    _charts_drawn(page)
    assert page.inner_text("#card-trend h2") == "NPS and sentiment over time"
    assert page.inner_text('[data-kpi="csat"] .label') == "CSAT"
    shot(page, "dashboard-en")
