"""Keyword snapshots for word clouds, computed in the workers (never in a request).

For each window (30 and 90 days) one snapshot per organization, per touchpoint and per topic
with feedback in it: jieba content words weighted by TF-IDF (voice.nlp.wordcloud).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from voice.models import Feedback, FeedbackTopic, KeywordSnapshot
from voice.nlp.wordcloud import keywords, tokens

WINDOWS = (30, 90)
#: Newest rows read per organization (the cloud of the busiest tenants is a sample).
MAX_ROWS = 20_000
WORDS_KEPT = 80

Scope = KeywordSnapshot.Scope


def _read(organization_id: int, since) -> tuple[list[tuple], dict[int, list[int]]]:
    """(rows (id, text, touchpoint id, occurred_at), feedback id → topic ids)."""
    rows = list(Feedback.all_orgs.filter(organization_id=organization_id, occurred_at__gte=since)
                .exclude(text="").order_by("-occurred_at", "-id")
                .values_list("pk", "text", "touchpoint_id", "occurred_at")[:MAX_ROWS])
    topics: dict[int, list[int]] = defaultdict(list)
    links = (FeedbackTopic.all_orgs.filter(organization_id=organization_id,
                                           feedback__occurred_at__gte=since)
             .values_list("feedback_id", "topic_id"))
    for feedback_id, topic_id in links.iterator(chunk_size=5000):
        topics[feedback_id].append(topic_id)
    return rows, topics


def keyword_snapshots_refresh(*, organization_id: int, windows=WINDOWS) -> int:
    """Recompute every keyword snapshot of the organization; returns how many are stored.

    Idempotent: snapshots are upserted by (scope, window); scopes without feedback in the
    window lose their snapshot (the dashboard then falls back to topic names).
    """
    now = timezone.now()
    rows, topics_of = _read(organization_id, now - timedelta(days=max(windows)))
    words = {pk: tokens(text) for pk, text, _tp, _at in rows}
    snapshots = []
    for days in windows:
        since = now - timedelta(days=days)
        groups: dict[tuple[str, int], list[int]] = defaultdict(list)
        for pk, _text, touchpoint_id, occurred_at in rows:
            if occurred_at < since:
                continue
            groups[(Scope.ORGANIZATION, 0)].append(pk)
            if touchpoint_id:
                groups[(Scope.TOUCHPOINT, touchpoint_id)].append(pk)
            for topic_id in topics_of.get(pk, ()):
                groups[(Scope.TOPIC, topic_id)].append(pk)
        snapshots += [KeywordSnapshot(
            organization_id=organization_id, scope_kind=kind, scope_id=scope_id, window_days=days,
            words=keywords((words[pk] for pk in ids), limit=WORDS_KEPT),
            feedback_count=len(ids), computed_at=now) for (kind, scope_id), ids in groups.items()]
    with transaction.atomic():
        KeywordSnapshot.all_orgs.filter(organization_id=organization_id).exclude(
            computed_at=now).delete()
        KeywordSnapshot.all_orgs.bulk_create(
            snapshots, update_conflicts=True,
            unique_fields=["organization", "scope_kind", "scope_id", "window_days"],
            update_fields=["words", "feedback_count", "computed_at"])
    return len(snapshots)
