"""The feedback explorer on a million rows (PostgreSQL): keyset pages, filters, search, capped
totals, department visibility and the CSV export, timed through the real selectors and page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencem_voice \\
    .venv/bin/python bench/explorer_keyset.py [--rows 1000000] [--repeat 5]

The first run loads the rows with COPY into the organization `bench-explorer` (about a minute);
later runs reuse them.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-explorer"
TOPICS = (("物流配送", "物流部"), ("客服态度", "客服中心"), ("产品质量", "质量部"), ("价格", None),
          ("包装", "物流部"), ("退换货", "客服中心"), ("支付", None), ("会员权益", None))
TEXTS = ("快递太慢了，等了五天才到。", "客服态度很好，问题很快解决了。", "包装破损，商品有划痕。",
         "价格实惠，质量也不错，会回购。", "退款流程太复杂，打了三次电话。", "门店店员很热情。",
         "App 经常闪退，支付失败了两次。", "会员积分兑换很方便。")


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


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, "
                       f"FORCE_NOT_NULL (segment, text, failure_reason, model_version))"
                       if table == "voice_feedback" else
                       f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, "
                       f"FORCE_NOT_NULL (clause))", buffer)


def _reference_data(org):
    from cem import services
    from journeys.models import Journey, Stage, Touchpoint
    from voice.models import Customer, Topic

    departments = {d.name: d for d in org_departments(org)}
    for name in ("物流部", "客服中心", "质量部"):
        if name not in departments:
            departments[name] = services.department_create(organization=org, name=name)
    journey = Journey.all_orgs.create(organization=org, name="网购")
    stage = Stage.all_orgs.create(organization=org, journey=journey, name="全程")
    touchpoints = [Touchpoint.all_orgs.create(
        organization=org, stage=stage, key=f"tp{i}", name=f"触点{i}",
        department=departments["物流部"] if i < 2 else None) for i in range(10)]
    topics = [Topic.all_orgs.create(organization=org, name=name,
                                    department=departments.get(dept) if dept else None)
              for name, dept in TOPICS]
    Customer.all_orgs.bulk_create([Customer(organization=org, external_id=f"C{i}",
                                            segment=("会员", "普通", "企业")[i % 3])
                                   for i in range(50_000)], batch_size=5000)
    customers = list(Customer.all_orgs.filter(organization=org).values_list("pk", flat=True))
    return touchpoints, topics, customers


def org_departments(org):
    from cem.models import Department

    return Department.all_orgs.filter(organization=org)


def load(org, rows: int) -> None:
    """COPY `rows` feedback rows (a year, ten touchpoints, eight topics on ~40 % of them)."""
    from django.db import connection

    touchpoints, _topics, customers = _reference_data(org)
    rng = random.Random(7)
    start = datetime.now(UTC) - timedelta(days=365)
    now = datetime.now(UTC).isoformat()
    labels = ("positive", "neutral", "negative")
    columns = ("organization_id", "external_id", "channel", "source", "touchpoint_id",
               "customer_id", "segment", "text", "nps", "occurred_at", "received_at", "metadata",
               "status", "failure_reason", "attempts", "sentiment_corrected", "topics_corrected",
               "model_version", "sentiment_label", "sentiment_score")
    with connection.cursor() as cursor:
        for offset in range(0, rows, 100_000):
            chunk = []
            for i in range(offset, min(rows, offset + 100_000)):
                label = labels[rng.randrange(3)]
                chunk.append([org.pk, f"E{i}", "app", "api", touchpoints[i % 10].pk,
                              customers[i % len(customers)], ("会员", "普通", "企业")[i % 3],
                              TEXTS[i % len(TEXTS)] + f" #{i}", i % 11,
                              (start + timedelta(seconds=i * 365 * 86400 // rows)).isoformat(),
                              now, "{}", "analyzed", "", 1, "f", "f", "bench",
                              label, {"positive": 0.7, "neutral": 0.0, "negative": -0.7}[label]])
            _copy(cursor, "voice_feedback", columns, chunk)
            print(f"  loaded {min(rows, offset + 100_000):,} rows", flush=True)
    load_links(org)


def load_links(org) -> None:
    """Topic links on two rows in five, pain and delight alternating."""
    from django.db import connection

    from voice.models import Topic

    topics = list(Topic.all_orgs.filter(organization=org).order_by("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM voice_feedback WHERE organization_id = %s", [org.pk])
        ids = [row[0] for row in cursor.fetchall()]
        links = [[org.pk, fid, topics[fid % len(topics)].pk, ("pain", "delight")[fid % 2], "", "f"]
                 for fid in ids if fid % 5 < 2]
        _copy(cursor, "voice_feedbacktopic",
              ("organization_id", "feedback_id", "topic_id", "polarity", "clause", "corrected"), links)
        cursor.execute("ANALYZE voice_feedback; ANALYZE voice_feedbacktopic; ANALYZE voice_customer")


def timed(label: str, func, repeat: int) -> None:
    func()  # warm the caches once
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        runs.append((time.perf_counter() - started) * 1000)
    print(f"{label:<58} median {statistics.median(runs):8.1f} ms   max {max(runs):8.1f} ms   "
          f"{result}")


def scenarios(org, repeat: int) -> None:
    from cem.models import Membership
    from voice import selectors
    from voice.keyset import capped_count, cursor_for, keyset_page

    def page(filters=None, before=None, visible_to=None):
        qs = selectors.feedback_list(organization=org, filters=filters or {}, visible_to=visible_to)
        result = keyset_page(qs, before=before, size=50)
        return f"{len(result.rows)} rows"

    middle = selectors.feedback_list(organization=org).order_by("-occurred_at", "-pk")[500_000:500_001]
    deep = cursor_for(middle[0]) if middle else None
    month = datetime.now(UTC) - timedelta(days=30)
    member = Membership(organization=org, role=Membership.Role.DEPARTMENT_MEMBER,
                        department=org_departments(org).get(name="物流部"))
    timed("first page, no filter", lambda: page(), repeat)
    timed("page in the middle (cursor at row 500,000)", lambda: page(before=deep), repeat)
    timed("touchpoint + negative + last 30 days (drill-down)", lambda: page(
        {"touchpoint": "tp3", "sentiment": "negative", "from": month}), repeat)
    timed("topic 物流配送 + pain", lambda: page({"topic": "物流配送", "polarity": "pain"}), repeat)
    timed("segment 企业 + channel app", lambda: page({"segment": "企业", "channel": "app"}), repeat)
    timed("q=退款 (common word)", lambda: page({"q": "退款"}), repeat)
    timed("q=#999999 (rare text)", lambda: page({"q": "#999999"}), repeat)
    timed("q=退款流程太 (phrase on 1 row in 8)", lambda: page({"q": "退款流程太"}), repeat)
    timed("department member (touchpoints or topics of 物流部)", lambda: page(visible_to=member),
          repeat)
    timed("capped total (cap 1,000), no filter", lambda: capped_count(
        selectors.feedback_list(organization=org)), repeat)
    timed("capped total, touchpoint + negative", lambda: capped_count(selectors.feedback_list(
        organization=org, filters={"touchpoint": "tp3", "sentiment": "negative"})), repeat)


def export_rate(org) -> None:
    from voice import selectors
    from voice.exports import feedback_csv_stream

    qs = selectors.feedback_list(organization=org, filters={
        "from": datetime.now(UTC) - timedelta(days=37)})
    started, size, lines = time.perf_counter(), 0, 0
    for chunk in feedback_csv_stream(organization=org, queryset=qs):
        size += len(chunk.encode())
        lines += chunk.count("\n")
    elapsed = time.perf_counter() - started
    print(f"CSV export of {lines - 1:,} rows: {elapsed:.1f} s = {(lines - 1) / elapsed:,.0f} rows/s, "
          f"{size / 1e6:.1f} MB")


def page_render(org, repeat: int) -> None:
    from django.test import Client

    from cem import services
    from cem.models import Membership

    user = services.user_get_or_create(username="bench-explorer-manager", password="x" * 12)
    services.membership_set(organization=org, user=user, role=Membership.Role.CX_MANAGER)
    client = Client()
    client.force_login(user)
    for label, url in (("GET /feedback/ (whole page, rendered)", "/feedback/"),
                       ("GET /feedback/?touchpoint=tp3&sentiment=negative",
                        "/feedback/?touchpoint=tp3&sentiment=negative")):
        timed(label, lambda url=url: client.get(url).status_code, repeat)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from cem import services
    from cem.models import Organization
    from cem.tenancy import org_scope
    from voice.models import Feedback, FeedbackTopic

    org = Organization.objects.filter(slug=SLUG).first()
    if org is None:
        org = services.organization_create(slug=SLUG, name="浏览压测")
        with org_scope(org):
            print(f"loading {args.rows:,} rows …", flush=True)
            load(org, args.rows)
    with org_scope(org):
        if not FeedbackTopic.all_orgs.filter(organization=org).exists():
            load_links(org)
        total = Feedback.all_orgs.filter(organization=org).count()
        print(f"organization {SLUG}: {total:,} feedback rows")
        scenarios(org, args.repeat)
        page_render(org, args.repeat)
        export_rate(org)


if __name__ == "__main__":
    main()
