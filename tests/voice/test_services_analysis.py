"""The analysis service: idempotent batches, score-only rows, clause polarity of topics, a row
that breaks the model isolated as failed, corrections that survive re-analysis, retry of failed."""

import pytest
from django.utils import timezone

from cem import events
from voice.models import Feedback, FeedbackAnalysis, FeedbackCorrection, Topic
from voice.nlp.types import TextAnalysis
from voice.services import analysis
from voice.services import models as analyzer_models
from voice.services.corrections import feedback_correct
from voice.services.ingest import feedback_ingest_many

pytestmark = pytest.mark.django_db


def _ingest(org, *items):
    rows = [{"channel": "app", "occurred_at": timezone.now(), "metadata": {}, "text": "", **item}
            for item in items]
    return [r.feedback for r in feedback_ingest_many(organization=org, items=rows, source="api")]


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant.scope():
        yield


@pytest.fixture
def announced():
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe(events.FEEDBACK_ANALYZED, handler)
    yield seen
    events._handlers[events.FEEDBACK_ANALYZED].remove(handler)


@pytest.fixture
def taxonomy(tenant):
    for name, keywords in (("物流配送", ["物流", "快递"]), ("产品质量", ["质量"])):
        Topic.all_orgs.get_or_create(organization=tenant.org, name=name,
                                     defaults={"keywords": keywords})


def test_batch_analyzes_pending_rows_once(tenant, taxonomy, announced):
    text, score_only = _ingest(tenant.org, {"text": "物流很快，但是质量太差"}, {"nps": 10})
    ids = [text.pk, score_only.pk]
    done = analysis.feedback_analyze_batch(organization_id=tenant.org.pk, feedback_ids=ids)
    assert sorted(done) == sorted(ids)
    assert analysis.feedback_analyze_batch(organization_id=tenant.org.pk, feedback_ids=ids) == []
    assert FeedbackAnalysis.all_orgs.filter(feedback_id__in=ids).count() == 2
    text.refresh_from_db()
    score_only.refresh_from_db()
    assert text.status == score_only.status == Feedback.Status.ANALYZED
    topics = {link.topic.name: link.polarity for link in text.topic_links.all()}
    assert topics == {"物流配送": "delight", "产品质量": "pain"}
    assert score_only.sentiment_label == "positive" and score_only.sentiment_score == 1.0
    assert announced[-1] == {"organization_id": tenant.org.pk, "feedback_ids": sorted(ids)}


class _BreaksOnWord:
    """A model that cannot handle one input (a dependency's bug), for fault isolation."""

    version = "breaks-on-word"

    def analyze_many(self, texts, topics):
        if any("坏" in t for t in texts):
            raise ValueError("cannot score this text")
        return [TextAnalysis("positive", 0.5, [], {"source": "text"}) for _ in texts]


def test_a_row_that_breaks_the_model_fails_alone(tenant, monkeypatch):
    monkeypatch.setattr(analysis, "analyzer_for_organization", lambda **kw: _BreaksOnWord())
    good, bad = _ingest(tenant.org, {"text": "很好"}, {"text": "坏数据"})
    analysis.feedback_analyze_batch(organization_id=tenant.org.pk, feedback_ids=[good.pk, bad.pk])
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == "analyzed" and bad.status == "failed"
    assert "cannot score this text" in bad.failure_reason
    assert analysis.feedback_retry_failed(organization=tenant.org) == 1
    bad.refresh_from_db()
    assert bad.status == "pending" and bad.failure_reason == ""


def test_corrections_survive_reanalysis(tenant, taxonomy):
    (row,) = _ingest(tenant.org, {"text": "物流很快，但是质量太差"})
    analysis.feedback_analyze_batch(organization_id=tenant.org.pk, feedback_ids=[row.pk])
    feedback_correct(organization=tenant.org, feedback=row, actor=tenant.users["manager"],
                     label="negative", topics=[{"name": "产品质量", "polarity": "pain"}])
    Feedback.all_orgs.filter(pk=row.pk).update(status="pending")
    analysis.feedback_analyze_batch(organization_id=tenant.org.pk, feedback_ids=[row.pk])
    row.refresh_from_db()
    assert row.sentiment_label == "negative" and row.sentiment_corrected
    assert [(link.topic.name, link.polarity) for link in row.topic_links.all()] == [("产品质量", "pain")]
    correction = FeedbackCorrection.all_orgs.get(feedback=row)
    assert correction.previous_topics and correction.topics == [{"name": "产品质量", "polarity": "pain"}]


def test_default_analyzer_is_loaded_once_per_process(tenant):
    first = analyzer_models.analyzer_for_organization(organization_id=tenant.org.pk)
    assert analyzer_models.analyzer_for_organization(organization_id=tenant.org.pk) is first


def test_a_worker_batch_takes_other_pending_rows_of_its_organization(tenant, other_tenant):
    """Single posts each publish a message: the first task scores what is pending (coalesce),
    the others then find their rows done. Another tenant's rows are never taken."""
    first, second, third = _ingest(tenant.org, {"text": "很好"}, {"text": "太差了"}, {"text": "一般"})
    with other_tenant.scope():
        foreign, = _ingest(other_tenant.org, {"text": "不错"})
    assert analysis.feedback_analyze_batch(organization_id=tenant.org.pk,
                                           feedback_ids=[first.pk]) == [first.pk]
    done = analysis.feedback_analyze_batch(organization_id=tenant.org.pk,
                                           feedback_ids=[second.pk], coalesce=True)
    assert sorted(done) == sorted([second.pk, third.pk])
    assert analysis.feedback_analyze_batch(organization_id=tenant.org.pk,
                                           feedback_ids=[third.pk], coalesce=True) == []
    assert Feedback.all_orgs.get(pk=foreign.pk).status == Feedback.Status.PENDING
    assert FeedbackAnalysis.all_orgs.filter(feedback_id=third.pk).count() == 1
