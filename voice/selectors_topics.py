"""Reads of the taxonomy and the text-analytics results; every function takes `organization=`."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from voice.models import (
    KeywordSnapshot,
    ReanalysisJob,
    Topic,
    TopicDiscoveryRun,
    TopicSuggestion,
)

#: The window of the per-topic counts on the topics page.
COUNT_WINDOW_DAYS = 30


def topic_list_with_counts(*, organization, q: str = "", active: bool | None = None,
                           days: int = COUNT_WINDOW_DAYS) -> QuerySet[Topic]:
    """Topics by name with `pain_count` / `delight_count` / `mention_count`: links of feedback
    that occurred in the last `days` days. `q` searches names and keywords."""
    since = timezone.now() - timedelta(days=days)
    recent = Q(feedback_links__feedback__occurred_at__gte=since)
    topics = (Topic.objects.filter(organization=organization).select_related("department")
              .annotate(pain_count=Count("feedback_links", filter=recent & Q(
                            feedback_links__polarity="pain")),
                        delight_count=Count("feedback_links", filter=recent & Q(
                            feedback_links__polarity="delight")),
                        mention_count=Count("feedback_links", filter=recent))
              .order_by("name"))
    q = (q or "").strip()
    if q:
        topics = topics.filter(Q(name__icontains=q) | Q(keywords__icontains=q))
    if active is not None:
        topics = topics.filter(is_active=active)
    return topics


def topic_get(*, organization, topic_id: int) -> Topic:
    """Raises Topic.DoesNotExist for unknown ids and other organizations' ids alike."""
    return Topic.objects.filter(organization=organization).select_related("department").get(
        pk=topic_id)


def keyword_cloud(*, organization, touchpoint=None, topic=None, window_days: int = 30,
                  limit: int = 60) -> dict | None:
    """The stored keywords of one scope: {"words": [{word, weight, count}], "computed_at",
    "feedback_count", "window_days"}; None until a worker computed them. `touchpoint` and
    `topic` are instances or ids (touchpoint wins when both are given)."""
    if touchpoint is not None:
        kind, scope_id = KeywordSnapshot.Scope.TOUCHPOINT, getattr(touchpoint, "pk", touchpoint)
    elif topic is not None:
        kind, scope_id = KeywordSnapshot.Scope.TOPIC, getattr(topic, "pk", topic)
    else:
        kind, scope_id = KeywordSnapshot.Scope.ORGANIZATION, 0
    snapshot = (KeywordSnapshot.objects.filter(organization=organization, scope_kind=kind,
                                               scope_id=scope_id, window_days=window_days)
                .first())
    if snapshot is None:
        return None
    return {"words": snapshot.words[:limit], "computed_at": snapshot.computed_at,
            "feedback_count": snapshot.feedback_count, "window_days": snapshot.window_days}


def discovery_run_latest(*, organization) -> TopicDiscoveryRun | None:
    return TopicDiscoveryRun.objects.filter(organization=organization).first()


def topic_suggestion_list(*, organization, status: str | None = TopicSuggestion.Status.PENDING
                          ) -> QuerySet[TopicSuggestion]:
    rows = TopicSuggestion.objects.filter(organization=organization).select_related("run")
    return rows.filter(status=status) if status else rows


def topic_suggestion_get(*, organization, suggestion_id: int) -> TopicSuggestion:
    """Raises TopicSuggestion.DoesNotExist for unknown ids and other organizations' ids alike."""
    return topic_suggestion_list(organization=organization, status=None).get(pk=suggestion_id)


def reanalysis_job_list(*, organization) -> QuerySet[ReanalysisJob]:
    return ReanalysisJob.objects.filter(organization=organization).select_related("requested_by")


def reanalysis_job_get(*, organization, job_id: int) -> ReanalysisJob:
    """Raises ReanalysisJob.DoesNotExist for unknown ids and other organizations' ids alike."""
    return reanalysis_job_list(organization=organization).get(pk=job_id)


def reanalysis_job_active(*, organization) -> ReanalysisJob | None:
    return reanalysis_job_list(organization=organization).filter(
        status__in=[ReanalysisJob.Status.QUEUED, ReanalysisJob.Status.RUNNING]).first()
