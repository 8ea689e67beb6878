"""The emotion curve of a journey against hand-computed fixtures: per touchpoint figures in
journey order, nulls without data, top pain / delight topics, the peak-end moments, the period
bounds, filters, and the API (shape, 404 for another organization, 400 for a bad filter)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cem.errors import ApplicationError
from journeys.models import Journey, Touchpoint
from journeys.services import journey_create
from metrics.selectors.emotion import journey_emotion_curve
from tests.metrics.conftest import add_feedback, at

pytestmark = pytest.mark.django_db

START, END = at(2026, 3, 1), at(2026, 4, 1)


def _fixture(tenant):
    # pay: sentiment (0.5 + 0.3) / 2 = 0.4; NPS: one promoter, one detractor → 0; 2 feedback
    add_feedback(tenant, at(2026, 3, 2, 9), touchpoint="pay", nps=10, label="positive", score=0.5,
                 topics=[("支付结算", "delight")])
    add_feedback(tenant, at(2026, 3, 3, 9), touchpoint="pay", nps=3, label="positive", score=0.3,
                 topics=[("支付结算", "pain"), ("价格优惠", "delight")])
    # ship: sentiment (−0.8 − 0.4 + 0.0) / 3 = −0.4; CSAT 1 of 3 satisfied → 33.3 %
    for score, csat, topics in ((-0.8, 1, [("物流配送", "pain"), ("产品质量", "pain")]),
                                (-0.4, 2, [("物流配送", "pain")]),
                                (0.0, 5, [("产品质量", "pain"), ("服务态度", "delight")])):
        add_feedback(tenant, at(2026, 3, 10, 9), touchpoint="ship", csat=csat, label="negative",
                     score=score, topics=topics)
    # sign: no data in the period (one item before it, one at its exclusive end)
    add_feedback(tenant, at(2026, 2, 28, 23, 59), touchpoint="sign", nps=10, label="positive",
                 score=0.9)
    add_feedback(tenant, END, touchpoint="sign", nps=10, label="positive", score=0.9)


def test_figures_per_touchpoint_in_journey_order(scoped, shop):
    journey, _tps = shop
    _fixture(scoped)
    curve = journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                                  end=END)
    pay, ship, sign = curve["points"]
    assert [p["touchpoint"]["key"] for p in curve["points"]] == ["pay", "ship", "sign"]
    assert (pay["stage"]["name"], ship["stage"]["name"]) == ("下单支付", "物流配送")
    assert (pay["volume"], pay["sentiment"], pay["nps"], pay["nps_responses"]) == (2, 0.4, 0.0, 2)
    assert (pay["csat"], pay["csat_responses"]) == (None, 0)
    assert (ship["volume"], ship["sentiment"], ship["csat"], ship["nps"]) == (3, -0.4, 33.3, None)
    assert (sign["volume"], sign["sentiment"], sign["nps"], sign["csat"]) == (0, None, None, None)
    assert sign["pain"] == [] and sign["delight"] == [] and sign["moments"] == []
    assert ship["pain"] == [{"topic": "产品质量", "mentions": 2}, {"topic": "物流配送", "mentions": 2}]
    assert ship["delight"] == [{"topic": "服务态度", "mentions": 1}]
    assert pay["pain"] == [{"topic": "支付结算", "mentions": 1}]
    assert pay["delight"] == [{"topic": "价格优惠", "mentions": 1}, {"topic": "支付结算", "mentions": 1}]


def test_peak_low_and_end_follow_the_peak_end_rule(scoped, shop):
    journey, _tps = shop
    _fixture(scoped)
    curve = journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                                  end=END)
    assert curve["peak"] == {"index": 0, "touchpoint": "pay", "name": "支付", "sentiment": 0.4}
    assert curve["low"] == {"index": 1, "touchpoint": "ship", "name": "发货", "sentiment": -0.4}
    # the end is the last touchpoint WITH data: 签收 has none in the period
    assert curve["end"]["touchpoint"] == "ship"
    assert curve["points"][0]["moments"] == ["peak"]
    assert curve["points"][1]["moments"] == ["low", "end"]


def test_top_three_topics_only_and_ties_by_name(scoped, shop):
    journey, _tps = shop
    for name, n in (("丁", 1), ("丙", 2), ("乙", 3), ("甲", 3)):
        for _ in range(n):
            add_feedback(scoped, at(2026, 3, 5), touchpoint="pay", label="negative", score=-0.5,
                         topics=[(name, "pain")])
    curve = journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                                  end=END)
    assert [t["topic"] for t in curve["points"][0]["pain"]] == sorted(["乙", "甲"]) + ["丙"]


def test_an_empty_period_has_nulls_and_no_moments(scoped, shop):
    journey, _tps = shop
    curve = journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                                  end=END)
    assert [p["sentiment"] for p in curve["points"]] == [None, None, None]
    assert [p["volume"] for p in curve["points"]] == [0, 0, 0]
    assert curve["peak"] is curve["low"] is curve["end"] is None


def test_channel_filter_and_a_deleted_touchpoint(scoped, shop):
    journey, tps = shop
    _fixture(scoped)
    add_feedback(scoped, at(2026, 3, 2), channel="store", touchpoint="pay", label="negative",
                 score=-1.0)
    curve = journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                                  end=END, filters={"channel": "store"})
    assert [p["volume"] for p in curve["points"]] == [1, 0, 0]
    assert curve["peak"]["sentiment"] == curve["low"]["sentiment"] == -1.0
    Touchpoint.all_orgs.filter(pk=tps["ship"].pk).delete()
    curve = journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                                  end=END)
    assert [p["touchpoint"]["key"] for p in curve["points"]] == ["pay", "sign"]


def test_bad_filters_ranges_and_other_organizations(scoped, shop, other_tenant):
    journey, _tps = shop
    with pytest.raises(ApplicationError):
        journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                              end=END, filters={"topic": "物流配送"})
    with pytest.raises(ApplicationError):
        journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=END, end=START)
    with other_tenant.scope(), pytest.raises(Journey.DoesNotExist):
        journey_emotion_curve(organization=other_tenant.org, journey_id=journey.pk, start=START,
                              end=END)


def test_api_returns_the_curve(scoped, shop, manager_client, api_client):
    journey, _tps = shop
    _fixture(scoped)
    url = f"/api/v1/journeys/{journey.pk}/emotion-curve/"
    body = manager_client.get(url, {"from": "2026-03-01", "to": "2026-04-01"}).json()
    assert [p["sentiment"] for p in body["points"]] == [0.4, -0.4, None]
    assert body["peak"]["touchpoint"] == "pay" and body["end"]["touchpoint"] == "ship"
    assert body["points"][1]["pain"][0] == {"topic": "产品质量", "mentions": 2}
    assert body["period"]["from"].startswith("2026-03-01T00:00:00+08:00")
    keyed = api_client(scopes=["metrics:read"])
    assert keyed.get(url, {"from": "2026-03-01", "to": "2026-04-01"}).status_code == 200
    assert api_client(scopes=["feedback:write"]).get(url).status_code == 403
    assert manager_client.get(url, {"channel": "fax"}).status_code == 400
    assert manager_client.get(url, {"topic": "x"}).status_code == 200  # not a curve parameter
    assert manager_client.get("/api/v1/journeys/999999/emotion-curve/").status_code == 404


def test_query_count_does_not_grow_with_touchpoints(scoped):
    def build(name, n):
        return journey_create(organization=scoped.org, name=name, stages=[
            {"name": f"阶段{i}", "touchpoints": [{"key": f"{name}-{i}-{j}", "name": "触点"}
                                                for j in range(2)]} for i in range(n)])

    small, large = build("s", 1), build("l", 8)
    for i in range(8):
        add_feedback(scoped, at(2026, 3, 5), touchpoint=f"l-{i}-0", label="neutral", score=0.0,
                     topics=[("物流配送", "pain")])
    counts = []
    for journey in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            journey_emotion_curve(organization=scoped.org, journey_id=journey.pk, start=START,
                                  end=END)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
