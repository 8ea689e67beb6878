#!/usr/bin/env python
"""Closed-loop figures: alert-rule evaluation per analyzed batch, and GET /api/v1/tickets/.

Run against a throwaway database (it creates an organization `bench-loop` and its rows):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencem_bench DEBUG=1 \\
        .venv/bin/python bench/improvement_loop.py [--feedback 4000] [--tickets 5000]
Prints evaluation time per 200-feedback batch (what one analysis task hands over) with 10 rules,
and the tickets list latency (p50/p95 over 50 requests of 50 rows) with N tickets in the table.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cem.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from cem import services as cem_services  # noqa: E402
from cem.models import Organization  # noqa: E402
from cem.tenancy import org_scope  # noqa: E402
from improvement.models import AlertRule, Ticket  # noqa: E402
from improvement.services.evaluation import alert_rules_evaluate_feedback  # noqa: E402
from improvement.services.rules import alert_rule_create  # noqa: E402
from voice.models import Feedback, FeedbackTopic, Topic  # noqa: E402

#: One feedback in 50 carries a severe keyword (a bad day for a busy shop).
TEXTS = ("快递太慢了，三天还没到", "客服态度很差", "包装破损，质量不行", "物流很快，很满意", "一般般") * 10
SEVERE = "客服态度很差，我要打12315投诉"


def organization() -> Organization:
    org = Organization.objects.filter(slug="bench-loop").first()
    return org or cem_services.organization_create(slug="bench-loop", name="压测公司")


def seed_rules(org, topics):
    if AlertRule.all_orgs.filter(organization=org).exists():
        return
    alert_rule_create(organization=org, data={"kind": "keyword", "keywords": ["投诉", "12315", "曝光", "律师"]})
    for i, topic in enumerate(topics * 3):
        alert_rule_create(organization=org, data={"kind": "topic_negative_count", "topic": topic,
                                                  "threshold": 50 + i, "window_minutes": 60})


def seed_feedback(org, topics, n) -> list[int]:
    now = timezone.now()
    rows = Feedback.all_orgs.bulk_create([
        Feedback(organization=org, channel="app", text=SEVERE if i % 50 == 7 else TEXTS[i % len(TEXTS)], occurred_at=now - timedelta(seconds=i),
                 status="analyzed", analyzed_at=now, sentiment_label="negative" if i % 5 < 3 else "positive",
                 sentiment_score=-0.5) for i in range(n)], batch_size=1000)
    FeedbackTopic.all_orgs.bulk_create([
        FeedbackTopic(organization=org, feedback=row, topic=topics[i % len(topics)], polarity="pain")
        for i, row in enumerate(rows)], batch_size=1000)
    analyze_tables()
    return [row.pk for row in rows]


def analyze_tables():
    """Fresh planner statistics after the bulk load, as a live database has them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def bench_evaluation(org, ids):
    timings = []
    for start in range(0, len(ids), 200):
        began = time.perf_counter()
        alert_rules_evaluate_feedback(organization_id=org.pk, feedback_ids=ids[start:start + 200])
        timings.append(time.perf_counter() - began)
    again = time.perf_counter()
    alert_rules_evaluate_feedback(organization_id=org.pk, feedback_ids=ids[:200])
    opened = Ticket.all_orgs.filter(organization=org).count()
    print(f"rule evaluation: {len(ids)} analyzed feedback (60% negative, 2% severe keywords) in batches of "
          f"200 with 10 rules: median {statistics.median(timings) * 1000:.0f} ms/batch, max "
          f"{max(timings) * 1000:.0f} ms, {len(ids) / sum(timings):.0f} feedback/s; {opened} tickets opened; "
          f"re-evaluating a batch (all matches known): {(time.perf_counter() - again) * 1000:.0f} ms")


def bench_list(org, n_tickets):
    existing = Ticket.all_orgs.filter(organization=org).count()
    now = timezone.now()
    Ticket.all_orgs.bulk_create([
        Ticket(organization=org, title=f"压测工单{i}", created_at=now - timedelta(minutes=i),
               status=("open", "in_progress", "resolved", "verified")[i % 4], priority="normal",
               due_at=now + timedelta(hours=i % 48 - 24)) for i in range(max(n_tickets - existing, 0))],
        batch_size=1000)
    analyze_tables()
    _key, raw = cem_services.api_key_create(organization=org, name="bench", scopes=["tickets:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    for params in ({}, {"overdue": "true"}, {"status": "open", "priority": "normal"}):
        timings = []
        for _ in range(50):
            began = time.perf_counter()
            assert client.get("/api/v1/tickets/", params, HTTP_HOST="localhost").status_code == 200
            timings.append(time.perf_counter() - began)
        timings.sort()
        print(f"GET /api/v1/tickets/ {params or ''} with {n_tickets} tickets: p50 {timings[24] * 1000:.1f} ms, "
              f"p95 {timings[47] * 1000:.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--feedback", type=int, default=4000)
    parser.add_argument("--tickets", type=int, default=5000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    org = organization()
    with org_scope(org):
        topics = [Topic.all_orgs.get_or_create(organization=org, name=name)[0] for name in ("物流配送", "客服服务", "产品质量")]
        seed_rules(org, topics)
        bench_evaluation(org, seed_feedback(org, topics, args.feedback))
        bench_list(org, args.tickets)


if __name__ == "__main__":
    main()
