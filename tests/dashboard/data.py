"""Realistic Chinese feedback for the dashboard tests and the browser tests: a journey, a small
taxonomy, feedback on every channel over recent weeks (stored through the ingest service and
analyzed in-process by the real analyzer), and service contacts."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from journeys.models import Touchpoint
from journeys.services import journey_create
from voice.models import Feedback, Topic
from voice.services.analysis import feedback_analyze_batch
from voice.services.ingest import feedback_ingest_many
from voice.services.interactions import interaction_upsert_many

JOURNEY = {"name": "网购体验", "stages": [
    {"name": "浏览下单", "touchpoints": [{"key": "app-order", "name": "App 下单"}]},
    {"name": "物流配送", "touchpoints": [{"key": "delivery", "name": "送货上门"}]},
    {"name": "售后服务", "touchpoints": [{"key": "hotline", "name": "客服热线"},
                                       {"key": "returns", "name": "退换货"}]},
]}
TOPICS = {"物流配送": ["物流", "快递", "送货", "配送"], "产品质量": ["质量", "做工", "破损"],
          "服务态度": ["客服", "态度", "服务"], "价格费用": ["价格", "运费", "优惠"]}
GOOD = ["物流很快，第二天就送到了，快递员态度很好", "质量不错，做工精细，非常满意",
        "客服态度很好，耐心解答了我的问题", "价格实惠，优惠力度大，下次还来"]
BAD = ["快递太慢了，等了一个星期还没送到", "质量很差，收到就是破损的，非常失望",
       "客服态度恶劣，问题一直没解决", "运费太贵了，价格也比别家高"]
CHANNELS = ["app", "web", "call_center", "ecommerce_review", "survey"]
SEGMENTS = ["会员", "新客", "企业客户"]


def _touchpoints(organization) -> list[str]:
    keys = list(Touchpoint.all_orgs.filter(organization=organization)
                .values_list("key", flat=True))
    if not keys:
        journey_create(organization=organization, **JOURNEY)
        keys = [tp["key"] for stage in JOURNEY["stages"] for tp in stage["touchpoints"]]
    return keys


def _topics(organization) -> None:
    for name, keywords in TOPICS.items():
        Topic.all_orgs.get_or_create(organization=organization, name=name,
                                     defaults={"keywords": keywords})


def _item(rng: random.Random, index: int, now, keys: list[str], days: int) -> dict:
    # NOTE: the delivery touchpoint gets worse over time, so trends and drivers have a story.
    touchpoint = keys[index % len(keys)]
    age = rng.uniform(0, days)
    bad_odds = 0.35 + (0.35 if touchpoint == keys[min(1, len(keys) - 1)] and age < days / 2 else 0)
    bad = rng.random() < bad_odds
    text = rng.choice(BAD if bad else GOOD)
    return {"external_id": f"dash-{index}", "channel": CHANNELS[index % len(CHANNELS)],
            "touchpoint": touchpoint, "text": text, "metadata": {},
            "nps": rng.randint(0, 6) if bad else rng.randint(8, 10),
            "csat": rng.randint(1, 2) if bad else rng.randint(4, 5), "ces": None,
            "customer": {"external_id": f"dash-c{index % 40}", "segment": SEGMENTS[index % 3]},
            "occurred_at": now - timedelta(days=age)}


def build_feedback(organization, *, count: int = 120, days: int = 60, seed: int = 7) -> int:
    """Add `count` analyzed feedback items (idempotent by external id); returns how many exist."""
    _topics(organization)
    keys = _touchpoints(organization)
    rng, now = random.Random(seed), timezone.now()
    items = [_item(rng, i, now, keys, days) for i in range(count)]
    results = feedback_ingest_many(organization=organization, items=items, source="api")
    pending = [r.feedback.pk for r in results if r.feedback.status == Feedback.Status.PENDING]
    for start in range(0, len(pending), 50):
        feedback_analyze_batch(organization_id=organization.pk, feedback_ids=pending[start:start + 50])
    interaction_upsert_many(organization=organization, items=[{
        "external_id": f"dash-i{i}", "channel": "call_center",
        "opened_at": now - timedelta(days=i % days, hours=3),
        "first_response_at": now - timedelta(days=i % days, hours=3) + timedelta(minutes=5 + i * 7),
        "resolved_at": now - timedelta(days=i % days, hours=3) + timedelta(hours=2 + i % 9)}
        for i in range(30)])
    return Feedback.all_orgs.filter(organization=organization,
                                    status=Feedback.Status.ANALYZED).count()
