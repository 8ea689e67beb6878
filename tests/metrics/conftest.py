"""Helpers for hand-computed metric fixtures: feedback stored through the ingest service, with
the analysis results (label, score, topics) set as the analysis worker would set them."""

import zoneinfo
from datetime import datetime

import pytest

from journeys.models import Journey, Stage, Touchpoint
from voice.models import Feedback, FeedbackTopic, Topic
from voice.services.customers import customer_upsert
from voice.services.ingest import feedback_ingest_many
from voice.services.interactions import interaction_upsert_many

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args, tz=SHANGHAI) -> datetime:
    return datetime(*args, tzinfo=tz)


@pytest.fixture
def scoped(tenant):
    with tenant.scope():
        yield tenant


@pytest.fixture
def shop(tenant):
    """A journey 电商购物 with stages 下单支付 (pay) and 物流配送 (ship, sign)."""
    org = tenant.org
    journey = Journey.all_orgs.create(organization=org, name="电商购物")
    order = Stage.all_orgs.create(organization=org, journey=journey, name="下单支付", position=0)
    delivery = Stage.all_orgs.create(organization=org, journey=journey, name="物流配送", position=1)
    tps = {
        "pay": Touchpoint.all_orgs.create(organization=org, stage=order, key="pay", name="支付"),
        "ship": Touchpoint.all_orgs.create(organization=org, stage=delivery, key="ship",
                                           name="发货", position=0),
        "sign": Touchpoint.all_orgs.create(organization=org, stage=delivery, key="sign",
                                           name="签收", position=1),
    }
    return journey, tps


def topic(tenant, name: str) -> Topic:
    return Topic.all_orgs.get_or_create(organization=tenant.org, name=name)[0]


def add_feedback(tenant, when: datetime, *, channel="app", touchpoint=None, segment="",
                 nps=None, csat=None, ces=None, text="", label=None, score=None,
                 topics=()) -> Feedback:
    """One feedback through the ingest service; label/score/topics as the analysis sets them."""
    item = {"channel": channel, "occurred_at": when, "metadata": {}, "text": text,
            "nps": nps, "csat": csat, "ces": ces}
    if touchpoint:
        item["touchpoint"] = touchpoint
    if segment:
        item["customer"] = {"external_id": f"c-{segment}", "segment": segment}
    feedback = feedback_ingest_many(organization=tenant.org, items=[item], source="api")[0].feedback
    if label is not None:
        Feedback.all_orgs.filter(pk=feedback.pk).update(
            status=Feedback.Status.ANALYZED, sentiment_label=label, sentiment_score=score)
    for name, polarity in topics:
        FeedbackTopic.all_orgs.create(organization=tenant.org, feedback=feedback,
                                      topic=topic(tenant, name), polarity=polarity)
    return feedback


def add_interaction(tenant, external_id, opened_at, **fields):
    item = {"external_id": external_id, "channel": fields.pop("channel", "call_center"),
            "opened_at": opened_at, **fields}
    return interaction_upsert_many(organization=tenant.org, items=[item])[0][0]


def add_customer(tenant, external_id, *, since=None, churned_at=None, segment=""):
    data = {"external_id": external_id, "segment": segment, "since": since}
    if churned_at:
        data.update(status="churned", churned_at=churned_at)
    return customer_upsert(organization=tenant.org, data=data)[0]
