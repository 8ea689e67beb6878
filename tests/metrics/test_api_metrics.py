"""Metrics API: exact summary shape with the previous period, time series, breakdown, key
drivers; defaults; 400 naming the parameter; scope metrics:read."""

import pytest
from django.urls import reverse

from tests.metrics.conftest import add_feedback, at

pytestmark = pytest.mark.django_db

SUMMARY_SHAPE = {
    "nps": {"value", "promoters", "passives", "detractors", "responses"},
    "csat": {"value", "mean", "responses"}, "ces": {"value", "easy_share", "responses"},
    "churn": {"rate", "churned", "active_at_start"},
    "first_response_time": {"median_seconds", "p90_seconds", "mean_seconds", "interactions"},
    "resolution_time": {"median_seconds", "p90_seconds", "mean_seconds", "interactions"},
}


@pytest.fixture
def reader(api_client):
    return api_client(scopes=["metrics:read"])


@pytest.fixture
def data(scoped, shop):
    add_feedback(scoped, at(2026, 3, 10, 12), nps=10, touchpoint="ship", topics=[("物流配送", "delight")])
    add_feedback(scoped, at(2026, 3, 11, 12), nps=2, touchpoint="sign", topics=[("包装", "pain")])
    add_feedback(scoped, at(2026, 2, 20, 12), nps=0, touchpoint="ship")  # previous period
    return scoped


def test_summary_shape_and_previous_period(reader, data):
    response = reader.get(reverse("api-metrics-summary"),
                          {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    for figure, keys in SUMMARY_SHAPE.items():
        assert keys <= set(body[figure]), figure
        assert keys <= set(body[figure]["previous"]), figure
    assert body["nps"]["value"] == 0.0 and body["nps"]["responses"] == 2
    # previous period of equal length: 2026-01-30 → 2026-03-01
    assert body["nps"]["previous"]["value"] == -100.0 and body["nps"]["change"] == 100.0
    assert body["previous_period"] == {"from": "2026-01-30T00:00:00+08:00",
                                       "to": "2026-03-01T00:00:00+08:00"}
    assert body["csat"]["value"] is None and body["csat"]["change"] is None


def test_filters_and_datetimes(reader, data):
    response = reader.get(reverse("api-metrics-summary"), {
        "from": "2026-03-10T00:00:00", "to": "2026-03-11T00:00:00+08:00", "touchpoint": "ship"})
    assert response.json()["nps"]["responses"] == 1


def test_timeseries_points(reader, data):
    response = reader.get(reverse("api-metrics-timeseries"), {
        "metric": "nps", "interval": "week", "from": "2026-03-02", "to": "2026-03-16"})
    assert response.json() == {"metric": "nps", "interval": "week", "points": [
        {"period": "2026-03-02", "value": None, "promoters": 0, "passives": 0, "detractors": 0,
         "responses": 0},
        {"period": "2026-03-09", "value": 0.0, "promoters": 1, "passives": 0, "detractors": 1,
         "responses": 2}]}


def test_default_range_is_the_last_days(reader, scoped):
    response = reader.get(reverse("api-metrics-timeseries"), {"metric": "csat"})
    assert response.status_code == 200 and len(response.json()["points"]) == 30
    response = reader.get(reverse("api-metrics-timeseries"), {"metric": "csat", "interval": "month"})
    assert len(response.json()["points"]) in (12, 13)


def test_breakdown_and_key_drivers(reader, data):
    response = reader.get(reverse("api-metrics-breakdown"), {
        "metric": "nps", "by": "touchpoint", "from": "2026-03-01", "to": "2026-04-01"})
    items = response.json()["items"]
    assert {(i["key"], i["label"], i["value"]) for i in items} == {
        ("ship", "发货", 100.0), ("sign", "签收", -100.0)}
    response = reader.get(reverse("api-metrics-key-drivers"),
                          {"from": "2026-03-01", "to": "2026-04-01"})
    drivers = response.json()
    assert [i["topic"] for i in drivers["items"]] == ["包装", "物流配送"]
    assert drivers["items"][0]["impact"] == -100.0


@pytest.mark.parametrize(("url", "params", "field"), [
    ("api-metrics-summary", {"from": "yesterday"}, "from"),
    ("api-metrics-summary", {"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ("api-metrics-summary", {"from": "1900-01-01"}, "from"),
    ("api-metrics-summary", {"channel": "fax"}, "channel"),
    ("api-metrics-summary", {"touchpoint": "nope"}, "touchpoint"),
    ("api-metrics-summary", {"journey": "x"}, "journey"),
    ("api-metrics-summary", {"topic": "无此话题"}, "topic"),
    ("api-metrics-timeseries", {}, "metric"),
    ("api-metrics-timeseries", {"metric": "nps", "interval": "hour"}, "interval"),
    ("api-metrics-timeseries", {"metric": "nps", "from": "2020-01-01"}, "interval"),
    ("api-metrics-breakdown", {"metric": "nps"}, "by"),
    ("api-metrics-breakdown", {"metric": "churn", "by": "topic"}, "by"),
])
def test_bad_parameters_are_400_naming_the_parameter(reader, scoped, url, params, field):
    response = reader.get(reverse(url), params)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()


def test_metrics_need_the_metrics_scope(api_client, viewer_client):
    writer = api_client(scopes=["feedback:write"])
    assert writer.get(reverse("api-metrics-summary")).status_code == 403
    assert viewer_client.get(reverse("api-metrics-summary")).status_code == 200
