"""ACCEPTANCE C3: for random feedback sets (days, time zones, touchpoints, channels, segments,
scores, topics) the rollup path answers exactly what the raw GROUP BY answers — after the
rollup task ran, and before it ran on the days changed since."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.models import DirtyDay
from metrics.rollups.build import rollup_rebuild, rollup_recompute_dirty
from metrics.rollups.read import rollups_ready
from metrics.selectors import key_drivers, metric_breakdown, metric_summary, metric_timeseries
from tests.metrics.conftest import topic
from voice.models import Feedback, FeedbackTopic, Interaction

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="rollups: PostgreSQL")]

ZONES = ["Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]
TOPICS = ["物流配送", "价格", "客服态度"]
SENTIMENTS = {"positive": 0.8125, "neutral": 0.0, "negative": -0.6180339}

feedback_items = st.fixed_dictionaries({
    "day": st.integers(0, 10), "hour": st.integers(0, 23), "minute": st.integers(0, 59),
    "channel": st.sampled_from(["app", "web", "call_center"]),
    "touchpoint": st.sampled_from([None, "pay", "ship", "sign"]),
    "segment": st.sampled_from(["", "vip", "new"]),
    "nps": st.none() | st.integers(0, 10), "csat": st.none() | st.integers(1, 5),
    "ces": st.none() | st.integers(1, 7),
    "label": st.none() | st.sampled_from(sorted(SENTIMENTS)),
    "topics": st.lists(st.tuples(st.sampled_from(TOPICS),
                                 st.sampled_from(["pain", "delight", "neutral"])),
                       max_size=3, unique_by=lambda t: t[0]),
})
FILTERS = st.sampled_from([None, "journey", "touchpoint", "channel", "segment", "topic"])
queries = st.fixed_dictionaries({
    "day": st.integers(0, 8), "hour": st.sampled_from([0, 0, 7, 23]),
    "hours": st.sampled_from([1, 24, 24 * 3 + 13, 24 * 7 + 5, 24 * 8, 24 * 21]),
    "filter": FILTERS,
})
#: range shapes every example checks: part days at both ends, whole days only, a short span
SHAPES = ({"day": 2, "hour": 7, "hours": 24 * 3 + 13}, {"day": 0, "hour": 0, "hours": 24 * 11},
          {"day": 4, "hour": 23, "hours": 24 * 2 + 2})
interaction_items = st.fixed_dictionaries({
    "day": st.integers(0, 10), "hour": st.integers(0, 23), "minute": st.integers(0, 59),
    "channel": st.sampled_from(["call_center", "app"]),
    "touchpoint": st.sampled_from([None, "pay", "ship"]), "segment": st.sampled_from(["", "vip"]),
    "response": st.none() | st.integers(0, 3 * 86400),
    "resolution": st.none() | st.integers(0, 6 * 86400),
    "reopened": st.none() | st.integers(-3600, 7 * 86400),
})
CALENDARS = [{}, {"weekly": {d: [["09:00", "12:00"], ["13:30", "18:00"]]
                             for d in ("mon", "tue", "wed", "thu", "fri")},
                  "holidays": ["2026-03-04"]}]
BASE = datetime(2026, 3, 1)  # the United States switch to summer time on 2026-03-08


def _moment(tz, day, hour, minute=0):
    return (BASE + timedelta(days=day, hours=hour, minutes=minute)).replace(tzinfo=tz)


def _store(tenant, tps, items, tz):
    rows = [Feedback(organization=tenant.org, channel=i["channel"], segment=i["segment"],
                     touchpoint=tps.get(i["touchpoint"]), nps=i["nps"], csat=i["csat"],
                     ces=i["ces"], occurred_at=_moment(tz, i["day"], i["hour"], i["minute"]),
                     sentiment_label=i["label"],
                     sentiment_score=SENTIMENTS[i["label"]] if i["label"] else None)
            for i in items]
    Feedback.all_orgs.bulk_create(rows)
    FeedbackTopic.all_orgs.bulk_create(
        FeedbackTopic(organization=tenant.org, feedback=row, topic=topic(tenant, name),
                      polarity=polarity)
        for row, item in zip(rows, items, strict=True) for name, polarity in item["topics"])
    return rows


def _store_interactions(tenant, tps, items, tz, tag):
    rows = []
    for n, i in enumerate(items):
        opened = _moment(tz, i["day"], i["hour"], i["minute"])
        reopened = opened + timedelta(seconds=i["reopened"]) if i["reopened"] else None
        rows.append(Interaction(
            organization=tenant.org, external_id=f"{tag}-{n}", channel=i["channel"],
            touchpoint=tps.get(i["touchpoint"]), segment=i["segment"], opened_at=opened,
            reopened_at=reopened if reopened and reopened > opened else None,
            first_response_at=opened + timedelta(seconds=i["response"], microseconds=n)
            if i["response"] is not None else None,
            resolved_at=opened + timedelta(seconds=i["resolution"])
            if i["resolution"] is not None else None))
    return Interaction.all_orgs.bulk_create(rows)


@contextmanager
def _raw_only():
    with mock.patch("metrics.aggregate.rollups_ready", return_value=False), \
            mock.patch("metrics.durations.interaction_rollups_ready", return_value=False):
        yield


def _answers(tenant, journey, query, tz):
    start = _moment(tz, query["day"], query["hour"])
    end = start + timedelta(hours=query["hours"])
    filters = {"journey": journey.pk, "touchpoint": "ship", "channel": "app", "segment": "vip",
               "topic": "价格"}
    chosen = {query["filter"]: filters[query["filter"]]} if query["filter"] else {}
    org = tenant.org
    out = {"summary": metric_summary(organization=org, start=start, end=end, filters=chosen),
           "drivers": key_drivers(organization=org, start=start, end=end, filters=chosen)}
    for metric, interval in (("nps", "day"), ("csat", "week"), ("sentiment", "day"),
                             ("frt", "day"), ("resolution", "week")):
        out[f"series-{metric}"] = metric_timeseries(organization=org, metric=metric,
                                                    interval=interval, start=start, end=end,
                                                    filters=chosen)
    for by in ("touchpoint", "channel", "segment", "topic"):
        out[f"by-{by}"] = metric_breakdown(organization=org, metric="nps", by=by, start=start,
                                           end=end, filters=chosen)
    for by in ("touchpoint", "channel", "segment"):
        out[f"frt-by-{by}"] = metric_breakdown(organization=org, metric="frt", by=by,
                                               start=start, end=end, filters=chosen)
    return out


def _assert_exact(tenant, journey, queries, tz):
    assert rollups_ready(tenant.org)
    for query in queries:
        from_rollups = _answers(tenant, journey, query, tz)
        with _raw_only():
            from_raw = _answers(tenant, journey, query, tz)
        assert from_rollups == from_raw, query


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(zone=st.sampled_from(ZONES), items=st.lists(feedback_items, min_size=5, max_size=30),
       later=st.lists(feedback_items, max_size=6), rescore=st.lists(st.integers(0, 29), max_size=4),
       delete=st.lists(st.integers(0, 29), max_size=3), query=queries,
       shape_filters=st.lists(FILTERS, min_size=len(SHAPES), max_size=len(SHAPES)),
       interactions=st.lists(interaction_items, max_size=25),
       later_interactions=st.lists(interaction_items, max_size=4),
       calendar=st.sampled_from(CALENDARS))
def test_rollups_equal_the_raw_group_by(scoped, shop, zone, items, later, rescore, delete, query,
                                        shape_filters, interactions, later_interactions,
                                        calendar):
    journey, tps = shop
    tps = {key: tp for key, tp in tps.items()}
    org = scoped.org
    Feedback.all_orgs.filter(organization=org).delete()
    Interaction.all_orgs.filter(organization=org).delete()
    org.timezone, org.business_hours = zone, calendar
    org.save()
    tz = ZoneInfo(zone)
    query = [query, *({**shape, "filter": f} for shape, f in zip(SHAPES, shape_filters,
                                                                 strict=True))]
    rows = _store(scoped, tps, items, tz)
    stored = _store_interactions(scoped, tps, interactions, tz, "a")
    rollup_rebuild(organization_id=org.pk)
    _assert_exact(scoped, journey, query, tz)

    # changes after the build: their days are dirty and still answered exactly
    _store(scoped, tps, later, tz)
    _store_interactions(scoped, tps, later_interactions, tz, "b")
    if stored:
        Interaction.all_orgs.filter(pk=stored[0].pk).update(resolved_at=None)
    for index in rescore:
        if index < len(rows):
            Feedback.all_orgs.filter(pk=rows[index].pk).update(nps=(rows[index].nps or 0) ^ 7)
    Feedback.all_orgs.filter(pk__in=[rows[i].pk for i in delete if i < len(rows)]).delete()
    _assert_exact(scoped, journey, query, tz)

    rollup_recompute_dirty(organization_id=org.pk)
    assert not DirtyDay.all_orgs.filter(organization=org).exists()
    _assert_exact(scoped, journey, query, tz)
