"""Reads of the voice app; every function takes `organization=` and filters by it."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from voice.models import Feedback, FeedbackTopic


def feedback_list(*, organization, filters: dict | None = None) -> QuerySet[Feedback]:
    """Feedback of the organization, newest first, with what list pages and the API touch.

    `filters`: channel, touchpoint (key), status, sentiment, topic (name), customer
    (external_id), external_id, from / to (aware datetimes; from inclusive, to exclusive), q.
    """
    filters = filters or {}
    qs = (Feedback.objects.filter(organization=organization)
          .select_related("touchpoint", "customer")
          .prefetch_related(Prefetch("topic_links",
                                     queryset=FeedbackTopic.objects.select_related("topic"))))
    simple = {"channel": "channel", "status": "status", "sentiment": "sentiment_label",
              "touchpoint": "touchpoint__key", "customer": "customer__external_id",
              "external_id": "external_id", "from": "occurred_at__gte", "to": "occurred_at__lt",
              "q": "text__icontains"}
    for name, lookup in simple.items():
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{lookup: filters[name]})
    if filters.get("topic"):
        qs = qs.filter(topic_links__topic__name=filters["topic"]).distinct()
    return qs


def feedback_get(*, organization, feedback_id: int) -> Feedback:
    """Raises Feedback.DoesNotExist for unknown ids and other organizations' ids alike."""
    return feedback_list(organization=organization).get(pk=feedback_id)
