"""Keyword snapshots: per organization, touchpoint and topic, per window; the dashboard's cloud."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.selectors import dashboard_words
from tests.voice.helpers import analyze, make_feedback
from voice import selectors
from voice.models import Feedback, KeywordSnapshot
from voice.selectors_topics import keyword_cloud
from voice.services.keywords import keyword_snapshots_refresh

pytestmark = pytest.mark.django_db


def _rows(tenant, texts, *, touchpoint=None, days_ago=1):
    extra = {"touchpoint": touchpoint.key} if touchpoint else {}
    rows = [make_feedback(tenant, text=t, **extra)[0] for t in texts]
    Feedback.all_orgs.filter(pk__in=[r.pk for r in rows]).update(
        occurred_at=timezone.now() - timedelta(days=days_ago))
    return rows


def test_snapshots_per_scope_and_window(tenant, touchpoint):
    delivery = _rows(tenant, ["快递太慢了", "快递员态度差", "快递包装破损"], touchpoint=touchpoint)
    _rows(tenant, ["退款一直不到账", "退款流程太麻烦"])
    _rows(tenant, ["发票开错了", "发票一直没寄"], days_ago=60)
    for row in delivery:
        analyze(row, topics=[("物流配送", "pain")])
    stored = keyword_snapshots_refresh(organization_id=tenant.org.pk)
    # 30 days: organization, touchpoint, topic; 90 days: the same three
    assert stored == 6
    with tenant.scope():
        org30 = keyword_cloud(organization=tenant.org)
        org90 = keyword_cloud(organization=tenant.org, window_days=90)
        tp30 = keyword_cloud(organization=tenant.org, touchpoint=touchpoint)
        topic = selectors.topic_list(organization=tenant.org).get(name="物流配送")
        topic30 = keyword_cloud(organization=tenant.org, topic=topic)
    words30 = {w["word"]: w for w in org30["words"]}
    # NOTE: 快递员 is one word (CX dictionary), not 快递 + 员
    assert words30["快递"]["count"] == 2 and words30["快递员"]["count"] == 1
    assert words30["退款"]["count"] == 2
    assert "发票" not in words30 and "发票" in {w["word"] for w in org90["words"]}
    assert org30["feedback_count"] == 5 and org90["feedback_count"] == 7
    assert org30["words"][0]["weight"] == 1.0
    assert all(0 < w["weight"] <= 1 for w in org30["words"])
    assert "退款" not in {w["word"] for w in tp30["words"]}
    assert {w["word"] for w in topic30["words"]} == {w["word"] for w in tp30["words"]}
    assert not {"了", "太", "的"} & set(words30)


def test_refresh_is_idempotent_and_drops_scopes_without_feedback(tenant, other_tenant):
    rows = _rows(tenant, ["快递太慢了"])
    assert keyword_snapshots_refresh(organization_id=tenant.org.pk) == 2
    assert keyword_snapshots_refresh(organization_id=tenant.org.pk) == 2
    Feedback.all_orgs.filter(pk=rows[0].pk).delete()
    assert keyword_snapshots_refresh(organization_id=tenant.org.pk) == 0
    assert not KeywordSnapshot.all_orgs.filter(organization=tenant.org).exists()
    with other_tenant.scope():
        assert keyword_cloud(organization=other_tenant.org) is None


def test_dashboard_cloud_uses_keywords_and_falls_back_to_topic_names(tenant, touchpoint):
    class Period:
        end = timezone.now()
        start = end - timedelta(days=7)

    drivers = {"items": [{"topic": "物流配送", "mentions": 3}]}
    with tenant.scope():
        words = dashboard_words(organization=tenant.org, period=Period, filters={},
                                drivers=drivers)
    assert words == {"source": "topics", "words": [{"name": "物流配送", "value": 3}]}
    _rows(tenant, ["快递太慢了", "快递员态度差"], touchpoint=touchpoint)
    keyword_snapshots_refresh(organization_id=tenant.org.pk)
    with tenant.scope():
        words = dashboard_words(organization=tenant.org, period=Period, filters={},
                                drivers=drivers)
        by_touchpoint = dashboard_words(organization=tenant.org, period=Period,
                                        filters={"touchpoint": "delivery"}, drivers=drivers)
    assert words["source"] == "keywords" and words["words"][0]["name"] in ("快递", "快递员")
    assert by_touchpoint["source"] == "keywords"
