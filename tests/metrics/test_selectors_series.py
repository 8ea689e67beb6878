"""Time series, breakdowns and key drivers against hand-computed fixtures."""

import zoneinfo

import pytest

from cem.errors import ApplicationError
from metrics.selectors import key_drivers, metric_breakdown, metric_timeseries
from tests.metrics.conftest import add_customer, add_feedback, add_interaction, at

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def _points(result):
    return [(p["period"], p["value"], p["responses"]) for p in result["points"]]


def test_days_are_the_organizations_days(scoped):
    # 23:30 and 00:30 Shanghai time are the same UTC day (15:30, 16:30 UTC on 03-01)
    add_feedback(scoped, at(2026, 3, 1, 23, 30), nps=10)
    add_feedback(scoped, at(2026, 3, 2, 0, 30), nps=0)
    series = metric_timeseries(organization=scoped.org, metric="nps", interval="day",
                               start=at(2026, 3, 1), end=at(2026, 3, 4))
    assert _points(series) == [("2026-03-01", 100.0, 1), ("2026-03-02", -100.0, 1),
                               ("2026-03-03", None, 0)]
    assert series["metric"] == "nps" and series["interval"] == "day"


def test_a_range_starting_at_local_midnight_excludes_the_evening_before(scoped):
    add_feedback(scoped, at(2026, 3, 1, 23, 59, 59), nps=10)
    add_feedback(scoped, at(2026, 3, 2, 0, 0), nps=0)
    series = metric_timeseries(organization=scoped.org, metric="nps", interval="day",
                               start=at(2026, 3, 2), end=at(2026, 3, 3))
    assert _points(series) == [("2026-03-02", -100.0, 1)]


def test_part_day_ranges_are_exact(scoped):
    add_feedback(scoped, at(2026, 3, 2, 8), nps=10)
    add_feedback(scoped, at(2026, 3, 2, 13), nps=0)
    add_feedback(scoped, at(2026, 3, 3, 13), nps=0)
    series = metric_timeseries(organization=scoped.org, metric="nps", interval="day",
                               start=at(2026, 3, 2, 12), end=at(2026, 3, 3, 12))
    assert _points(series) == [("2026-03-02", -100.0, 1), ("2026-03-03", None, 0)]


def test_weeks_start_on_monday_and_months_on_the_first(scoped):
    add_feedback(scoped, at(2026, 3, 1, 12), csat=5)   # Sunday → week of Mon 02-23
    add_feedback(scoped, at(2026, 3, 2, 12), csat=1)   # Monday → week of 03-02
    add_feedback(scoped, at(2026, 3, 8, 12), csat=4)   # Sunday → week of 03-02
    add_feedback(scoped, at(2026, 4, 1, 0, 10), csat=2)
    weeks = metric_timeseries(organization=scoped.org, metric="csat", interval="week",
                              start=at(2026, 3, 1), end=at(2026, 3, 16))
    assert _points(weeks) == [("2026-02-23", 100.0, 1), ("2026-03-02", 50.0, 2),
                              ("2026-03-09", None, 0)]
    months = metric_timeseries(organization=scoped.org, metric="csat", interval="month",
                               start=at(2026, 2, 1), end=at(2026, 5, 1))
    assert _points(months) == [("2026-02-01", None, 0), ("2026-03-01", 66.7, 3),
                               ("2026-04-01", 0.0, 1)]


def test_another_time_zone_moves_the_day(scoped):
    scoped.org.timezone = "UTC"
    scoped.org.save(update_fields=["timezone"])
    add_feedback(scoped, at(2026, 3, 2, 0, 30), nps=0)  # = 03-01 16:30 UTC
    series = metric_timeseries(organization=scoped.org, metric="nps", interval="day",
                               start=at(2026, 3, 1, tz=UTC), end=at(2026, 3, 3, tz=UTC))
    assert _points(series) == [("2026-03-01", -100.0, 1), ("2026-03-02", None, 0)]


def test_churn_and_durations_over_time(scoped):
    add_customer(scoped, "A", since=at(2026, 1, 1), churned_at=at(2026, 3, 3, 10))
    add_customer(scoped, "B", since=at(2026, 1, 1))
    add_customer(scoped, "C", since=at(2026, 3, 2, 12), churned_at=at(2026, 3, 3, 12))
    churn = metric_timeseries(organization=scoped.org, metric="churn", interval="day",
                              start=at(2026, 3, 2), end=at(2026, 3, 5))
    # 03-02: A, B active, nobody churns; 03-03: A, B, C active, A and C churn; 03-04: B
    assert _points(churn) == [("2026-03-02", 0.0, 2), ("2026-03-03", 66.67, 3),
                              ("2026-03-04", 0.0, 1)]
    add_interaction(scoped, "I1", at(2026, 3, 2, 9), first_response_at=at(2026, 3, 2, 9, 1))
    add_interaction(scoped, "I2", at(2026, 3, 2, 10), first_response_at=at(2026, 3, 2, 10, 3))
    frt = metric_timeseries(organization=scoped.org, metric="frt", interval="day",
                            start=at(2026, 3, 2), end=at(2026, 3, 4))
    assert _points(frt) == [("2026-03-02", 120.0, 2), ("2026-03-03", None, 0)]


def test_bad_interval_and_too_many_points(scoped):
    with pytest.raises(ApplicationError) as error:
        metric_timeseries(organization=scoped.org, metric="nps", interval="hour",
                          start=at(2026, 3, 1), end=at(2026, 3, 2))
    assert error.value.field == "interval"
    with pytest.raises(ApplicationError) as error:
        metric_timeseries(organization=scoped.org, metric="nps", interval="day",
                          start=at(2020, 1, 1), end=at(2026, 1, 1))
    assert error.value.field == "interval"


def test_breakdown_by_channel_segment_and_touchpoint(scoped, shop):
    add_feedback(scoped, at(2026, 3, 2, 9), nps=10, channel="app", touchpoint="pay", segment="会员")
    add_feedback(scoped, at(2026, 3, 2, 9), nps=0, channel="app", touchpoint="ship")
    add_feedback(scoped, at(2026, 3, 2, 9), nps=9, channel="web", touchpoint="ship")
    kwargs = {"organization": scoped.org, "metric": "nps", "start": at(2026, 3, 1),
              "end": at(2026, 4, 1)}
    channels = metric_breakdown(by="channel", **kwargs)["items"]
    assert [(i["key"], i["value"], i["responses"]) for i in channels] == [
        ("app", 0.0, 2), ("web", 100.0, 1)]
    assert channels[0]["label"]
    segments = metric_breakdown(by="segment", **kwargs)["items"]
    assert [(i["key"], i["responses"]) for i in segments] == [(None, 2), ("会员", 1)]
    touchpoints = metric_breakdown(by="touchpoint", **kwargs)["items"]
    assert [(i["key"], i["label"], i["value"]) for i in touchpoints] == [
        ("ship", "发货", 0.0), ("pay", "支付", 100.0)]


def test_breakdown_by_topic_and_refused_combinations(scoped):
    add_feedback(scoped, at(2026, 3, 2, 9), nps=0, topics=[("物流配送", "pain")])
    add_feedback(scoped, at(2026, 3, 2, 9), nps=10, topics=[("物流配送", "delight"),
                                                           ("包装", "delight")])
    kwargs = {"organization": scoped.org, "start": at(2026, 3, 1), "end": at(2026, 4, 1)}
    items = metric_breakdown(metric="nps", by="topic", **kwargs)["items"]
    assert [(i["key"], i["value"], i["responses"]) for i in items] == [
        ("物流配送", 0.0, 2), ("包装", 100.0, 1)]
    for metric, by in (("churn", "channel"), ("frt", "topic"), ("nps", "colour")):
        with pytest.raises(ApplicationError) as error:
            metric_breakdown(metric=metric, by=by, **kwargs)
        assert error.value.field == "by"


def test_key_drivers_rank_topics_by_how_much_they_pull_nps(scoped):
    t, when = scoped, at(2026, 3, 2, 9)
    # 10 responses: 4 promoters, 2 passives, 4 detractors → NPS 0
    for _ in range(3):
        add_feedback(t, when, nps=2, topics=[("物流配送", "pain")])
    add_feedback(t, when, nps=5)
    for _ in range(2):
        add_feedback(t, when, nps=10, topics=[("客服态度", "delight")])
    for _ in range(2):
        add_feedback(t, when, nps=9)
    for _ in range(2):
        add_feedback(t, when, nps=8)
    drivers = key_drivers(organization=t.org, start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert drivers["nps"]["value"] == 0.0
    first, second = drivers["items"]
    # 物流配送: with −100 (3), without 4 p 2 pa 1 d → 3 / 7 = 42.86 → impact −42.9
    assert (first["topic"], first["nps_with"], first["nps_without"], first["impact"]) == (
        "物流配送", -100.0, 42.9, -42.9)
    assert (first["pain"], first["delight"], first["mentions"]) == (3, 0, 3)
    # 客服态度: with 100 (2), without 2 p 2 pa 4 d → −25 → impact +25
    assert (second["topic"], second["impact"], second["share"]) == ("客服态度", 25.0, 20.0)
