"""The feedback page: the text highlighted by its analysis, topics with polarity and clause,
customer, touchpoint, metadata; failed rows can be re-run; CX managers correct, with history."""

import pytest
from django.urls import reverse

from tests.voice.helpers import analyze, make_feedback
from tests.voice.test_highlight import EXPLANATION, TEXT
from voice.models import Feedback, FeedbackCorrection, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyzed(tenant, touchpoint):
    row = make_feedback(tenant, text=TEXT, touchpoint="delivery", nps=4,
                        customer={"external_id": "C-88", "segment": "会员"},
                        metadata={"order": "SO-1"})[0]
    Topic.all_orgs.create(organization=tenant.org, name="新品推荐")
    return analyze(row, label="negative", score=-0.42, explanation=EXPLANATION, version="m-2",
                   topics=[("产品质量", "pain", "但是质量太差"), ("物流配送", "delight", "物流很快")])


def test_shows_the_analysis(analyzed, manager_client):
    page = manager_client.get(reverse("feedback-detail", args=[analyzed.pk])).content.decode()
    assert '<span class="hl-pos hl-word"' in page and '<span class="hl-neg hl-word"' in page
    for expected in ("-0.420", "m-2", "产品质量", "chip-pain", "但是质量太差", "chip-delight", "C-88",
                     "会员", "送货上门", "SO-1", "NPS 4", "修正分析结果", "contrast: 但是"):
        assert expected in page, expected


def test_viewer_reads_without_the_correction_form(analyzed, viewer_client):
    response = viewer_client.get(reverse("feedback-detail", args=[analyzed.pk]))
    assert response.status_code == 200 and "修正分析结果" not in response.content.decode()
    url = reverse("feedback-correct", args=[analyzed.pk])
    assert viewer_client.post(url, {"label": "positive"}).status_code == 403


def test_unknown_feedback_is_404(manager_client):
    assert manager_client.get(reverse("feedback-detail", args=[987654])).status_code == 404


def test_correction_saves_and_shows_in_the_history(analyzed, tenant, manager_client):
    url = reverse("feedback-correct", args=[analyzed.pk])
    form = {"label": "positive", "current_0": "remove", "current_1": "delight",
            "add_topic_0": "新品推荐", "add_polarity_0": "delight"}
    response = manager_client.post(url, form)
    assert response.status_code == 302
    analyzed.refresh_from_db()
    assert analyzed.sentiment_label == "positive" and analyzed.sentiment_corrected
    assert {(link.topic.name, link.polarity) for link in analyzed.topic_links.all()} == {
        ("物流配送", "delight"), ("新品推荐", "delight")}
    correction = FeedbackCorrection.all_orgs.get(feedback=analyzed)
    assert correction.actor == tenant.users["manager"] and correction.previous_label == "negative"
    page = manager_client.get(reverse("feedback-detail", args=[analyzed.pk])).content.decode()
    assert "修正记录" in page and tenant.users["manager"].username in page and "负面" in page


def test_label_only_correction_leaves_topics_alone(analyzed, manager_client):
    form = {"label": "neutral", "current_0": "pain", "current_1": "delight"}
    manager_client.post(reverse("feedback-correct", args=[analyzed.pk]), form)
    correction = FeedbackCorrection.all_orgs.get(feedback=analyzed)
    assert correction.label == "neutral" and correction.topics is None


def test_empty_correction_is_refused_with_a_message(analyzed, manager_client):
    form = {"label": "", "current_0": "pain", "current_1": "delight"}
    response = manager_client.post(reverse("feedback-correct", args=[analyzed.pk]), form)
    assert response.status_code == 400 and "请选择要修正的情感或话题" in response.content.decode()
    assert not FeedbackCorrection.all_orgs.exists()


def test_failed_row_shows_its_reason_and_can_be_rerun(tenant, manager_client, viewer_client):
    row = make_feedback(tenant)[0]
    Feedback.all_orgs.filter(pk=row.pk).update(status="failed", failure_reason="模型超时 <b>x</b>")
    url = reverse("feedback-detail", args=[row.pk])
    page = manager_client.get(url).content.decode()
    assert "模型超时 &lt;b&gt;x&lt;/b&gt;" in page and "重新分析" in page
    assert "重新分析" not in viewer_client.get(url).content.decode()
    assert viewer_client.post(reverse("feedback-retry", args=[row.pk])).status_code == 403
    assert manager_client.post(reverse("feedback-retry", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.status == "pending" and row.failure_reason == ""
    manager_client.post(reverse("feedback-retry", args=[row.pk]))  # not failed any more: harmless
    assert Feedback.all_orgs.get(pk=row.pk).status == "pending"


def test_retry_all_failed(tenant, manager_client):
    rows = make_feedback(tenant, 3)
    Feedback.all_orgs.filter(pk__in=[r.pk for r in rows[:2]]).update(status="failed",
                                                                    failure_reason="x")
    page = manager_client.get(reverse("feedback-list")).content.decode()
    assert "重新分析 2 条失败反馈" in page
    response = manager_client.post(reverse("feedback-retry-failed"))
    assert response.status_code == 302 and "status=failed" in response["Location"]
    assert not Feedback.all_orgs.filter(status="failed").exists()
