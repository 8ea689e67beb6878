"""The `feedback.analyzed` webhook: one outbox row per endpoint and chunk of analyzed feedback.

Every entry path (API, survey, import) ends in the analysis service, which announces the event;
so partners hear of every feedback alike. The event key includes the analysis time, so a
redelivered task adds nothing, while a later re-analysis is a new event.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from improvement.models import WebhookEndpoint
from improvement.services.payloads import feedback_payload
from improvement.services.publish import FEEDBACK_ANALYZED, enqueue_on_commit, outbox_add
from voice.models import Feedback, Sentiment

CHUNK = 50


def _summary(rows: list[Feedback]) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        counts = {label: sum(r.sentiment_label == label for r in rows) for label in Sentiment.values}
        title = _("%(n)d feedback analyzed: %(neg)d negative, %(neu)d neutral, %(pos)d positive") % {
            "n": len(rows), "neg": counts["negative"], "neu": counts["neutral"], "pos": counts["positive"]}
        quotes = [f"「{r.text[:80]}」" for r in rows if r.sentiment_label == Sentiment.NEGATIVE and r.text][:3]
        return {"title": title, "body": "\n".join(quotes)}


def _event_key(rows: list[Feedback]) -> str:
    stamp = max(r.analyzed_at for r in rows).isoformat()
    digest = hashlib.sha256((",".join(str(r.pk) for r in rows) + stamp).encode()).hexdigest()[:32]
    return f"{FEEDBACK_ANALYZED}:{digest}"


@transaction.atomic
def webhook_enqueue_feedback_analyzed(*, organization_id: int, feedback_ids: list[int]) -> list[int]:
    """Queue the feedback.analyzed deliveries for these rows; returns the delivery ids."""
    endpoints = WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True)
    if not any(FEEDBACK_ANALYZED in e.events for e in endpoints):
        return []
    rows = list(Feedback.objects.filter(organization_id=organization_id, pk__in=feedback_ids,
                                        status=Feedback.Status.ANALYZED, analyzed_at__isnull=False)
                .select_related("touchpoint", "organization").prefetch_related("topic_links__topic")
                .order_by("pk"))
    delivery_ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        payload = {**feedback_payload(organization=chunk[0].organization, rows=chunk),
                   "summary": _summary(chunk)}
        delivery_ids += outbox_add(organization_id=organization_id, name=FEEDBACK_ANALYZED,
                                   event_key=_event_key(chunk), payload=payload)
    enqueue_on_commit(organization_id=organization_id, delivery_ids=delivery_ids)
    return delivery_ids
