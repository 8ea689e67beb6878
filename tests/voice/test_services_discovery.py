"""Topic discovery on synthetic Chinese feedback with two obvious themes, and its decisions."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cem.models import AuditEvent
from voice.models import Feedback, Topic, TopicDiscoveryRun, TopicSuggestion
from voice.services import discovery
from voice.services.ingest import feedback_ingest_many

pytestmark = pytest.mark.django_db

POINTS = ["会员积分清零了，积分兑换不了", "积分莫名其妙被清零", "积分兑换礼品失败", "我的会员积分没了",
          "积分过期太快，兑换失败", "积分清零也不通知", "兑换积分老是失败", "会员积分规则太坑",
          "积分商城兑换不了东西", "积分又被清零了"]
INVOICES = ["发票开错了抬头", "电子发票一直没收到", "发票抬头错误要重开", "开发票太麻烦了",
            "发票迟迟不寄", "要发票客服说没有", "发票金额不对", "重开发票等了一周", "纸质发票丢了",
            "发票税号填错"]


def _negative(tenant, texts, *, days_ago=1):
    with tenant.scope():
        rows = [r.feedback for r in feedback_ingest_many(
            organization=tenant.org, source="api",
            items=[{"channel": "app", "text": t, "metadata": {},
                    "occurred_at": timezone.now() - timedelta(days=days_ago)} for t in texts])]
    Feedback.all_orgs.filter(pk__in=[r.pk for r in rows]).update(
        status="analyzed", sentiment_label="negative", sentiment_score=-0.7)
    return rows


def _run(tenant):
    with tenant.scope():
        run = discovery.discovery_run_request(organization=tenant.org,
                                              actor=tenant.users["manager"])
    return discovery.discovery_run_execute(organization_id=tenant.org.pk, run_id=run.pk)


def test_two_obvious_themes_give_two_suggestions_with_terms_and_quotes(tenant):
    texts = POINTS + INVOICES
    random.Random(7).shuffle(texts)
    rows = _negative(tenant, texts)
    _negative(tenant, ["积分清零太久以前的事"] * 3, days_ago=45)  # outside the 30 days
    run = _run(tenant)
    assert (run.status, run.feedback_count, run.suggestion_count) == ("done", 20, 2)
    suggestions = list(TopicSuggestion.all_orgs.filter(run=run))
    by_term = {s.terms[0]: s for s in suggestions}
    assert set(by_term) == {"积分", "发票"}
    assert by_term["积分"].size == 10 and by_term["发票"].size == 10
    texts_by_id = {r.pk: r.text for r in rows}
    for suggestion in suggestions:
        assert len(suggestion.examples) == 3
        for example in suggestion.examples:
            assert suggestion.terms[0] in texts_by_id[example["id"]]
    # idempotent: the run is done, executing it again does nothing
    assert discovery.discovery_run_execute(organization_id=tenant.org.pk, run_id=run.pk) is None


def test_feedback_that_matches_a_topic_or_is_not_negative_is_left_out(tenant):
    rows = _negative(tenant, POINTS + INVOICES)
    Feedback.all_orgs.filter(pk__in=[r.pk for r in rows[:10]]).update(sentiment_label="positive")
    with tenant.scope():
        unmatched = discovery.unmatched_negative_feedback(organization_id=tenant.org.pk)
    assert {pk for pk, _ in unmatched} == {r.pk for r in rows[10:]}


def test_too_little_feedback_is_skipped(tenant):
    _negative(tenant, POINTS[:4])
    run = _run(tenant)
    assert (run.status, run.feedback_count, run.suggestion_count) == ("skipped", 4, 0)


def test_a_second_request_joins_the_unfinished_run(tenant):
    with tenant.scope():
        first = discovery.discovery_run_request(organization=tenant.org)
        second = discovery.discovery_run_request(organization=tenant.org)
    assert first.pk == second.pk
    assert TopicDiscoveryRun.all_orgs.filter(organization=tenant.org).count() == 1


@pytest.mark.parametrize("status,stamp", [("queued", "created_at"), ("running", "started_at")])
def test_a_stalled_run_is_failed_and_a_new_one_queued(tenant, status, stamp):
    with tenant.scope():
        stalled = discovery.discovery_run_request(organization=tenant.org)
    long_ago = timezone.now() - discovery.STALLED_AFTER - timedelta(minutes=1)
    TopicDiscoveryRun.all_orgs.filter(pk=stalled.pk).update(status=status,
                                                            **{"created_at": long_ago, stamp: long_ago})
    with tenant.scope():
        fresh = discovery.discovery_run_request(organization=tenant.org)
    stalled.refresh_from_db()
    assert fresh.pk != stalled.pk and fresh.status == "queued"
    assert stalled.status == "failed" and stalled.error.startswith("Stalled") and stalled.finished_at
    # the redelivered task of the stalled run changes nothing; the new run executes
    assert discovery.discovery_run_execute(organization_id=tenant.org.pk, run_id=stalled.pk) is None
    assert discovery.discovery_run_execute(organization_id=tenant.org.pk, run_id=fresh.pk).status == "skipped"


def test_accept_makes_a_discovered_topic_and_dismiss_is_final(tenant):
    _negative(tenant, POINTS + INVOICES)
    run = _run(tenant)
    points, invoices = sorted(TopicSuggestion.all_orgs.filter(run=run), key=lambda s: s.terms[0] != "积分")
    with tenant.scope():
        topic = discovery.topic_suggestion_accept(organization=tenant.org, suggestion=points,
                                                  actor=tenant.users["manager"])
        discovery.topic_suggestion_dismiss(organization=tenant.org, suggestion=invoices,
                                           actor=tenant.users["manager"])
    assert topic.name == "".join(points.terms[:2])
    assert (topic.origin, topic.keywords) == (Topic.Origin.DISCOVERED, points.terms)
    points.refresh_from_db()
    invoices.refresh_from_db()
    assert (points.status, points.topic_id, invoices.status) == ("accepted", topic.pk, "dismissed")
    actions = set(AuditEvent.all_orgs.filter(organization=tenant.org)
                  .values_list("action", flat=True))
    assert {"topic.created", "topic_suggestion.accepted", "topic_suggestion.dismissed"} <= actions
    with pytest.raises(discovery.ApplicationError), tenant.scope():
        discovery.topic_suggestion_accept(organization=tenant.org, suggestion=invoices,
                                          actor=None, name="发票问题")
