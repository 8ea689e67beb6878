"""Metrics at scale (PostgreSQL): 1,000,000 feedback rows in one organization and 50,000 in
each of nine others, ~200,000 interactions; builds the daily rollups, then times summary,
time series and breakdowns through the selectors and the API, next to a plain GROUP BY over
the raw table (and to the selectors forced onto the raw path) in the same run.

    createdb -h 127.0.0.1 -U postgres opencem_metrics_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencem_metrics_bench \\
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/metrics_rollups.py [--rows 1000000]

Options: --rows (the big organization; the others get rows/20), --runs (timed runs per query,
at least 30), --keep (leave the data; by default the script deletes it at the end).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import secrets
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-metrics"
SEGMENTS = ("会员", "普通", "企业", "新客")
CHANNELS = ("app", "web", "call_center", "survey", "ecommerce_review", "store")
TOPICS = ("物流配送", "客服态度", "产品质量", "价格", "包装", "退换货", "支付", "会员权益",
          "门店服务", "售后维修", "配送时效", "优惠活动")
STAGES = ("浏览选购", "下单支付", "物流配送", "签收使用", "售后服务")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SCORES = {"positive": 0.731, "neutral": 0.012, "negative": -0.684}


def setup_django():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (see the docstring).")
    os.environ.update({"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40),
                       "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "cem.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _copy(cursor, table: str, columns: tuple[str, ...], rows, not_null=()) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    buffer.seek(0)
    force = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv{force})",
                       buffer)


def _organization(index: int):
    from cem.models import Organization

    return Organization.objects.create(
        slug=f"{SLUG}-{index}", name=f"压测{index}",
        business_hours={"weekly": {d: [["09:00", "18:00"]] for d in WEEKDAYS}, "holidays": []})


def _reference(org):
    from journeys.models import Journey, Stage, Touchpoint
    from voice.models import Topic

    journey = Journey.all_orgs.create(organization=org, name="电商购物")
    touchpoints = []
    for s, name in enumerate(STAGES):
        stage = Stage.all_orgs.create(organization=org, journey=journey, name=name, position=s)
        touchpoints += [Touchpoint.all_orgs.create(organization=org, stage=stage, key=f"tp{s}{t}",
                                                   name=f"{name}{t}", position=t).pk
                        for t in range(3)]
    topics = [Topic.all_orgs.create(organization=org, name=name).pk for name in TOPICS]
    return touchpoints, topics


def _moment(rng, start: datetime) -> datetime:
    """A moment in the year after `start`, busier on weekdays and in the daytime (UTC+8)."""
    while True:
        day = rng.randrange(365)
        if (start + timedelta(days=day)).weekday() < 5 or rng.random() < 0.7:
            break
    hour = min(23, max(0, int(rng.gauss(13, 4.5))))
    return start + timedelta(days=day, hours=hour - 8, seconds=rng.randrange(3600))


def load_feedback(org, rows: int, touchpoints, topics, start, rng) -> float:
    """COPY the feedback rows and ~1.3 topic links each; returns the seconds the COPY took."""
    from django.db import connection

    columns = ("organization_id", "channel", "source", "touchpoint_id", "segment", "text", "nps",
               "csat", "ces", "occurred_at", "received_at", "metadata", "status",
               "failure_reason", "attempts", "sentiment_corrected", "topics_corrected",
               "model_version", "sentiment_label", "sentiment_score")
    now = datetime.now(UTC).isoformat()
    links_per_row = []
    took = 0.0
    with connection.cursor() as cursor:
        for offset in range(0, rows, 100_000):
            chunk = []
            for _ in range(offset, min(rows, offset + 100_000)):
                nps = min(10, max(0, int(rng.gauss(7.2, 2.6)))) if rng.random() < 0.7 else None
                label = ("negative" if nps is not None and nps <= 5 else
                         rng.choice(("positive", "positive", "neutral", "negative")))
                chunk.append([
                    org.pk, rng.choice(CHANNELS), "import",
                    rng.choice(touchpoints) if rng.random() < 0.9 else None,
                    rng.choice(SEGMENTS), "", nps,
                    rng.randint(1, 5) if rng.random() < 0.5 else None,
                    rng.randint(1, 7) if rng.random() < 0.3 else None,
                    _moment(rng, start).isoformat(), now, "{}", "analyzed", "", 1, "f", "f",
                    "bench", label, SCORES[label]])
                links_per_row.append(rng.choices((0, 1, 2, 3), weights=(2, 4, 3, 1))[0])
            started = time.perf_counter()
            _copy(cursor, "voice_feedback", columns, chunk,
                  not_null=("segment", "text", "failure_reason", "model_version"))
            took += time.perf_counter() - started
        cursor.execute("SELECT id FROM voice_feedback WHERE organization_id = %s ORDER BY id",
                       [org.pk])
        ids = [row[0] for row in cursor.fetchall()]
        links = []
        for fid, n in zip(ids, links_per_row, strict=True):
            for topic_id in rng.sample(topics, n):
                links.append([org.pk, fid, topic_id, rng.choice(("pain", "delight", "neutral")),
                              "", "f"])
        started = time.perf_counter()
        _copy(cursor, "voice_feedbacktopic", ("organization_id", "feedback_id", "topic_id",
                                              "polarity", "clause", "corrected"), links,
              not_null=("clause",))
        took += time.perf_counter() - started
    return took


def load_interactions(org, count: int, touchpoints, start, rng) -> None:
    from django.db import connection

    columns = ("organization_id", "external_id", "channel", "touchpoint_id", "segment", "agent",
               "team", "opened_at", "reopened_at", "first_response_at", "resolved_at",
               "created_at", "updated_at")
    now = datetime.now(UTC).isoformat()
    rows = []
    for i in range(count):
        opened = _moment(rng, start)
        responded = opened + timedelta(seconds=int(rng.lognormvariate(7, 1.2)))
        resolved = responded + timedelta(seconds=int(rng.lognormvariate(10, 1.0)))
        reopened = resolved + timedelta(hours=rng.randint(1, 48)) if rng.random() < 0.05 else None
        rows.append([org.pk, f"I{i}", rng.choice(("call_center", "app", "web")),
                     rng.choice(touchpoints) if rng.random() < 0.9 else None,
                     rng.choice(SEGMENTS), "", "", opened.isoformat(),
                     reopened.isoformat() if reopened else None,
                     responded.isoformat() if rng.random() < 0.92 else None,
                     resolved.isoformat() if rng.random() < 0.8 else None, now, now])
    with connection.cursor() as cursor:
        _copy(cursor, "voice_interaction", columns, rows, not_null=("segment", "agent", "team"))


def load_customers(org, count: int, start, rng) -> None:
    from voice.models import Customer

    customers = []
    for i in range(count):
        since = start - timedelta(days=rng.randrange(400))
        churned = since + timedelta(days=rng.randrange(30, 800)) if rng.random() < 0.2 else None
        churned = churned if churned and churned < datetime.now(UTC) else None
        customers.append(Customer(organization=org, external_id=f"C{i}",
                                  segment=rng.choice(SEGMENTS), since=since,
                                  status="churned" if churned else "active", churned_at=churned))
    Customer.all_orgs.bulk_create(customers, batch_size=5000)


def load(rows: int) -> list:
    from django.db import connection

    rng = random.Random(20261123)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=365)
    orgs, copy_seconds, total = [], 0.0, 0
    for index in range(10):
        org = _organization(index)
        n = rows if index == 0 else max(1, rows // 20)
        touchpoints, topics = _reference(org)
        copy_seconds += load_feedback(org, n, touchpoints, topics, start, rng)
        load_interactions(org, 110_000 * rows // 1_000_000 if index == 0 else
                          10_000 * rows // 1_000_000, touchpoints, start, rng)
        load_customers(org, 20_000 if index == 0 else 2_000, start, rng)
        total += n
        orgs.append(org)
        print(f"  organization {org.slug}: {n:,} feedback", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE voice_feedback; ANALYZE voice_feedbacktopic; "
                       "ANALYZE voice_interaction; ANALYZE voice_customer")
    print(f"COPY of {total:,} feedback rows and their topic links (dirty-day triggers on): "
          f"{copy_seconds:.1f} s")
    return orgs


def build(orgs) -> None:
    from django.db import connection

    from metrics.models import FeedbackDayCell, TopicDayCell
    from metrics.rollups.build import rollup_rebuild

    times = []
    for org in orgs:
        started = time.perf_counter()
        rollup_rebuild(organization_id=org.pk)
        times.append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metrics_feedbackdaycell; ANALYZE metrics_feedbackdaytotal; "
                       "ANALYZE metrics_topicdaycell; ANALYZE metrics_topicdaytotal")
    big = orgs[0]
    print(f"rollup build: {times[0]:.1f} s for the big organization, {sum(times):.1f} s for all "
          f"ten; cells of the big one: {FeedbackDayCell.all_orgs.filter(organization=big).count():,}"
          f" feedback, {TopicDayCell.all_orgs.filter(organization=big).count():,} topic")


def timed(label: str, func, runs: int) -> None:
    func()  # warm up once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    print(f"  {label:<52} p50 {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms",
          flush=True)


@contextmanager
def raw_path():
    with mock.patch("metrics.aggregate.rollups_ready", return_value=False):
        yield


PLAIN_SUMMARY = """
SELECT count(*), count(nps), sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END),
       sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END), count(csat), sum(csat), count(ces), sum(ces)
FROM voice_feedback WHERE organization_id = %s AND occurred_at >= %s AND occurred_at < %s"""
PLAIN_DAYS = """
SELECT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(nps),
       sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END)
FROM voice_feedback WHERE organization_id = %s AND occurred_at >= %s AND occurred_at < %s
GROUP BY 1"""
PLAIN_TOUCHPOINT = """
SELECT touchpoint_id, count(nps), sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END),
       sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END)
FROM voice_feedback WHERE organization_id = %s AND occurred_at >= %s AND occurred_at < %s
GROUP BY 1"""
PLAIN_TOPIC = """
SELECT t.topic_id, count(f.nps), sum(CASE WHEN f.nps >= 9 THEN 1 ELSE 0 END),
       sum(CASE WHEN f.nps <= 6 THEN 1 ELSE 0 END)
FROM voice_feedbacktopic t JOIN voice_feedback f ON f.id = t.feedback_id
WHERE t.organization_id = %s AND f.organization_id = %s AND f.occurred_at >= %s
  AND f.occurred_at < %s GROUP BY 1"""


def queries(org, runs: int) -> None:
    from django.db import connection
    from django.test import Client

    from cem.services import api_key_create
    from cem.tenancy import org_scope
    from metrics import selectors

    tz = org.tzinfo
    end = datetime.now(tz)
    start = datetime.combine(end.date() - timedelta(days=90), datetime.min.time(), tzinfo=tz)
    window = {"organization": org, "start": start, "end": end}
    _key, raw = api_key_create(organization=org, name="bench", scopes=["metrics:read"])
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    query = f"from={start.isoformat()}&to={end.isoformat()}".replace("+", "%2B")

    def api(path):
        def call():
            response = client.get(f"/api/v1/metrics/{path}{'&' if '?' in path else '?'}{query}")
            assert response.status_code == 200, response.content[:300]
        return call

    def plain(sql, *params):
        def call():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        return call

    print(f"90 days ({start:%Y-%m-%d %H:%M} → now, today a part day), {runs} runs each:")
    with org_scope(org):
        cases = [
            ("summary (with previous period)", lambda: selectors.metric_summary_compared(**window),
             "summary/", plain(PLAIN_SUMMARY, org.pk, start, end)),
            ("timeseries nps by day", lambda: selectors.metric_timeseries(
                metric="nps", interval="day", **window), "timeseries/?metric=nps&interval=day",
             plain(PLAIN_DAYS, org.pk, start, end)),
            ("breakdown nps by touchpoint", lambda: selectors.metric_breakdown(
                metric="nps", by="touchpoint", **window), "breakdown/?metric=nps&by=touchpoint",
             plain(PLAIN_TOUCHPOINT, org.pk, start, end)),
            ("breakdown nps by topic", lambda: selectors.metric_breakdown(
                metric="nps", by="topic", **window), "breakdown/?metric=nps&by=topic",
             plain(PLAIN_TOPIC, org.pk, org.pk, start, end)),
            ("key drivers", lambda: selectors.key_drivers(**window), "key-drivers/", None),
            ("summary, filter channel=app", lambda: selectors.metric_summary_compared(
                filters={"channel": "app"}, **window), "summary/?channel=app", None),
            ("breakdown nps by topic, filter touchpoint=tp10", lambda: selectors.metric_breakdown(
                metric="nps", by="topic", filters={"touchpoint": "tp10"}, **window),
             "breakdown/?metric=nps&by=topic&touchpoint=tp10", None),
        ]
        for label, selector, path, plain_sql in cases:
            print(f"{label}:")
            timed("selector (rollups + raw edges)", selector, runs)
            timed("API (HTTP through the test client)", api(path), runs)
            if plain_sql:
                timed("plain GROUP BY over the raw table (SQL only)", plain_sql, runs)
            with raw_path():
                timed("selector forced onto the raw path", selector, max(5, runs // 6))
        print("parts of the summary:")
        timed("first response time (interaction cells + raw edges)", lambda: selectors.metric_value(
            metric="frt", **window), runs)
        timed("churn (customer table)", lambda: selectors.metric_value(metric="churn", **window),
              runs)
        timed("nps alone (rollups)", lambda: selectors.metric_value(metric="nps", **window), runs)
        timed("timeseries frt by week", lambda: selectors.metric_timeseries(
            metric="frt", interval="week", **window), runs)


def copy_cost(org, rows: int = 200_000) -> None:
    """COPY `rows` feedback rows with and without the dirty-day trigger (rolled back)."""
    from django.db import connection, transaction

    from journeys.models import Touchpoint

    touchpoints = list(Touchpoint.all_orgs.filter(organization=org).values_list("pk", flat=True))
    for with_trigger in (True, False, True, False):
        with transaction.atomic():
            with connection.cursor() as cursor:
                if not with_trigger:
                    cursor.execute("ALTER TABLE voice_feedback DISABLE TRIGGER metrics_feedback_ins")
            rng = random.Random(5)
            start = datetime.now(UTC) - timedelta(days=365)
            columns = ("organization_id", "channel", "source", "touchpoint_id", "segment", "text",
                       "nps", "occurred_at", "received_at", "metadata", "status",
                       "failure_reason", "attempts", "sentiment_corrected", "topics_corrected",
                       "model_version")
            now = datetime.now(UTC).isoformat()
            chunk = [[org.pk, rng.choice(CHANNELS), "import", rng.choice(touchpoints),
                      rng.choice(SEGMENTS), "", rng.randint(0, 10), _moment(rng, start).isoformat(),
                      now, "{}", "pending", "", 0, "f", "f", ""] for _ in range(rows)]
            with connection.cursor() as cursor:
                started = time.perf_counter()
                _copy(cursor, "voice_feedback", columns, chunk,
                      not_null=("segment", "text", "failure_reason", "model_version"))
                took = time.perf_counter() - started
            print(f"  COPY {rows:,} feedback rows, dirty-day trigger "
                  f"{'on ' if with_trigger else 'off'}: {took:.2f} s", flush=True)
            transaction.set_rollback(True)


def drop(orgs) -> None:
    from django.db import connection

    ids = [org.pk for org in orgs]
    tables = ("metrics_dirtyday", "metrics_feedbackdaycell", "metrics_feedbackdaytotal",
              "metrics_topicdaycell", "metrics_topicdaytotal", "metrics_rollupstate",
              "voice_feedbacktopic", "voice_feedback", "voice_interaction", "voice_customer",
              "voice_topic", "journeys_touchpoint", "journeys_stage", "journeys_journey",
              "cem_apikey")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table} WHERE organization_id = ANY(%s)", [ids])  # noqa: S608
    for org in orgs:
        org.delete()
    print("bench data deleted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="leave the data in the database")
    parser.add_argument("--reuse", action="store_true",
                        help="time the queries on the data a --keep run left (no load, no build)")
    parser.add_argument("--copy-cost", action="store_true",
                        help="only time COPY with and without the trigger (on kept data)")
    args = parser.parse_args()
    setup_django()
    from cem.models import Organization

    if args.copy_cost:
        copy_cost(Organization.objects.get(slug=f"{SLUG}-0"))
        return

    stale = list(Organization.objects.filter(slug__startswith=f"{SLUG}-").order_by("slug"))
    if args.reuse and stale:
        queries(stale[0], max(30, args.runs))
        if not args.keep:
            drop(stale)
        return
    if stale:
        drop(stale)
    started = time.perf_counter()
    orgs = load(args.rows)
    print(f"data generated and loaded in {time.perf_counter() - started:.0f} s")
    build(orgs)
    try:
        queries(orgs[0], max(30, args.runs))
    finally:
        if not args.keep:
            drop(orgs)


if __name__ == "__main__":
    main()
