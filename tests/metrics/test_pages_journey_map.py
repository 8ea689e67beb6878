"""The journey map page: stages as columns, touchpoint figures, the curve's data, links to the
explorer filtered to a touchpoint and period, the period selector and empty states."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.services import journey_create
from tests.metrics.conftest import add_feedback

pytestmark = pytest.mark.django_db


def _chart(page: str) -> dict:
    match = re.search(r'<script id="journey-map-data" type="application/json">(.*?)</script>', page,
                      re.S)
    return json.loads(match.group(1))


def test_map_shows_stages_touchpoints_and_the_curve(scoped, shop, viewer_client):
    journey, _tps = shop
    now = timezone.now()
    add_feedback(scoped, now, touchpoint="pay", nps=10, label="positive", score=0.6,
                 topics=[("支付结算", "delight")])
    add_feedback(scoped, now, touchpoint="ship", csat=1, label="negative", score=-0.5,
                 topics=[("物流配送", "pain")])
    response = viewer_client.get(reverse("journey-map", args=[journey.pk]), {"period": "30"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("下单支付") < page.index("物流配送")
    assert 'data-touchpoint="ship"' in page and "物流配送 1" in page and "支付结算 1" in page
    assert "echarts.min.js" in page and reverse("journey-edit", args=[journey.pk]) not in page
    chart = _chart(page)
    assert [p["sentiment"] for p in chart["points"]] == [0.6, -0.5, None]
    assert chart["points"][0]["moments"] == ["peak"]
    assert chart["points"][1]["moments"] == ["low", "end"]
    link = chart["points"][1]["explorer"]
    assert link.startswith(reverse("feedback-list") + "?touchpoint=ship&from=")
    # the explorer accepts the link and shows the feedback
    assert viewer_client.get(link).status_code == 200


def test_period_selector_custom_range_and_errors(scoped, shop, manager_client):
    journey, _tps = shop
    url = reverse("journey-map", args=[journey.pk])
    page = manager_client.get(url, {"from": "2026-01-01", "to": "2026-01-31"}).content.decode()
    assert "2026-01-01 – 2026-01-31" in page and "curve-empty" in page
    assert "to=2026-02-01" in page or "echarts" not in page
    page = manager_client.get(url, {"from": "2026-02-01", "to": "2026-01-01"}).content.decode()
    assert 'role="alert"' in page
    assert reverse("journey-edit", args=[journey.pk]) in page


@pytest.mark.parametrize("query", [{"from": "2024-02-30"}, {"to": "9999-12-31"},
                                   {"from": "2026-01-01", "to": "2026-13-01"}])
def test_impossible_dates_are_said_not_a_500(scoped, shop, manager_client, query):
    journey, _tps = shop
    response = manager_client.get(reverse("journey-map", args=[journey.pk]), query,
                                  HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in page
    assert "between 1970 and 2200" in page


def test_a_journey_without_touchpoints_says_what_to_do(scoped, manager_client):
    journey = journey_create(organization=scoped.org, name="空旅程")
    page = manager_client.get(reverse("journey-map", args=[journey.pk])).content.decode()
    assert "map-empty" in page and reverse("journey-edit", args=[journey.pk]) in page
    assert manager_client.get(reverse("journey-map", args=[999999])).status_code == 404


def test_channel_and_segment_filters_apply_to_the_curve_and_the_links(scoped, shop, viewer_client):
    journey, _tps = shop
    now = timezone.now()
    add_feedback(scoped, now, channel="store", touchpoint="pay", label="positive", score=0.8)
    add_feedback(scoped, now, channel="app", touchpoint="pay", label="negative", score=-0.4)
    url = reverse("journey-map", args=[journey.pk])
    page = viewer_client.get(url, {"period": "30", "channel": "store"}).content.decode()
    chart = _chart(page)
    assert chart["points"][0]["sentiment"] == 0.8
    assert "channel=store" in chart["points"][0]["explorer"]
    assert "?period=90&amp;channel=store" in page
    page = viewer_client.get(url, {"period": "30", "channel": "fax"}).content.decode()
    assert _chart(page)["points"][0]["sentiment"] == 0.2 and 'role="alert"' in page
    page = viewer_client.get(url, {"period": "30", "segment": "企业"}).content.decode()
    assert "curve-empty" in page
