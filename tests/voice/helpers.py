"""Test helpers of the voice app: feedback through the ingest service, analysis results as the
analysis service writes them."""

from django.utils import timezone

from voice.models import Feedback, FeedbackAnalysis, FeedbackTopic, Topic
from voice.services.ingest import feedback_ingest_many
from voice.validation import feedback_item_clean


def make_feedback(tenant, n=1, touchpoints=None, **overrides) -> list[Feedback]:
    """`n` feedback rows of the tenant, validated and stored like a partner's."""
    from journeys.selectors import touchpoints_by_key

    with tenant.scope():
        touchpoints = touchpoints or touchpoints_by_key(organization=tenant.org)
        items = []
        for i in range(n):
            raw = {"channel": "app", "text": f"第{i}条：送货太慢了", **overrides}
            items.append(feedback_item_clean(organization=tenant.org, raw=raw, touchpoints=touchpoints))
        results = feedback_ingest_many(organization=tenant.org, items=items, source="api")
    return [r.feedback for r in results]


def analyze(feedback, *, label="negative", score=-0.8, topics=(), explanation=None,
            version="test-1"):
    """Store an analysis result the way voice.services.analysis does."""
    org_id = feedback.organization_id
    Feedback.all_orgs.filter(pk=feedback.pk).update(
        status="analyzed", sentiment_label=label, sentiment_score=score, model_version=version,
        analyzed_at=timezone.now())
    FeedbackAnalysis.all_orgs.update_or_create(
        organization_id=org_id, feedback=feedback, model_version=version,
        defaults={"label": label, "score": score, "explanation": explanation or {}})
    for name, polarity, *rest in topics:
        topic, _ = Topic.all_orgs.get_or_create(organization_id=org_id, name=name)
        FeedbackTopic.all_orgs.get_or_create(organization_id=org_id, feedback=feedback, topic=topic,
                                             defaults={"polarity": polarity,
                                                       "clause": rest[0] if rest else ""})
    feedback.refresh_from_db()
    return feedback
