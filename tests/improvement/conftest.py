"""Fixtures of the improvement tests: topics, a touchpoint, analyzed feedback made quickly."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from improvement.access import Actor
from journeys.models import Journey, Stage, Touchpoint
from voice.models import Feedback, FeedbackTopic, Topic
from voice.services.ingest import feedback_ingest_many


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


@pytest.fixture
def topic(tenant):
    # NOTE: every organization starts with the default taxonomy; this narrows its keywords.
    return Topic.all_orgs.update_or_create(
        organization=tenant.org, name="物流配送",
        defaults={"keywords": ["快递", "物流"], "department": tenant.departments["物流部"]})[0]


@pytest.fixture
def quality_topic(tenant):
    return Topic.all_orgs.update_or_create(
        organization=tenant.org, name="产品质量",
        defaults={"keywords": ["质量"], "department": tenant.departments["质量部"]})[0]


@pytest.fixture
def touchpoint(tenant):
    journey = Journey.all_orgs.create(organization=tenant.org, name="电商购物")
    stage = Stage.all_orgs.create(organization=tenant.org, journey=journey, name="物流配送")
    return Touchpoint.all_orgs.create(organization=tenant.org, stage=stage, key="delivery",
                                      name="送货上门")


@pytest.fixture
def manager(tenant):
    from cem.models import Membership

    return Actor.from_membership(Membership.all_orgs.get(organization=tenant.org, user=tenant.users["manager"]))


@pytest.fixture
def member(tenant):
    from cem.models import Membership

    return Actor.from_membership(Membership.all_orgs.get(organization=tenant.org, user=tenant.users["member"]))


def make_feedback(tenant, n=1, *, text="快递太慢了，差评", label="negative", topics=(), touchpoint=None,
                  channel="app", nps=None, occurred_at=None, analyzed=True) -> list[Feedback]:
    """Store `n` feedback rows (analyzed with `label` and `topics` unless analyzed=False)."""
    occurred_at = occurred_at or timezone.now() - timedelta(minutes=5)
    items = [{"channel": channel, "text": text, "nps": nps, "occurred_at": occurred_at,
              "touchpoint": touchpoint.key if touchpoint else None} for _ in range(n)]
    with tenant.scope():
        rows = [r.feedback for r in feedback_ingest_many(organization=tenant.org, items=items, source="api")]
    if analyzed:
        Feedback.all_orgs.filter(pk__in=[r.pk for r in rows]).update(
            status="analyzed", sentiment_label=label, sentiment_score=-0.8 if label == "negative" else 0.6,
            analyzed_at=timezone.now())
        for row in rows:
            for topic in topics:
                FeedbackTopic.all_orgs.create(organization=tenant.org, feedback=row, topic=topic,
                                              polarity="pain" if label == "negative" else "delight")
    return list(Feedback.all_orgs.filter(pk__in=[r.pk for r in rows]).order_by("pk"))


@pytest.fixture
def receiver(settings):
    """A local webhook receiver; the SSRF policy allows 127.0.0.1 for the test only."""
    from tests.improvement.receiver import Receiver, start

    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    # NOTE: short real back-off (countdown messages), so retries are exercised end to end.
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.2
    settings.WEBHOOK_RETRY_MAX_SECONDS = 0.5
    box = Receiver()
    server = start(box)
    yield box
    server.shutdown()
    server.server_close()
