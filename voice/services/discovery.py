"""Topic discovery: cluster recent negative feedback that matches no topic, suggest topics.

A run is requested (button, API, weekly beat) and executed by a worker; a CX manager then
accepts a suggestion (it joins the taxonomy, origin=discovered) or dismisses it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from cem.errors import ApplicationError
from cem.models import Organization
from cem.services.audit import audit_record
from voice import audit_actions as actions
from voice.models import Feedback, FeedbackTopic, Sentiment, Topic, TopicDiscoveryRun, TopicSuggestion
from voice.nlp.discovery import EXAMPLES, MIN_TEXTS, cluster_texts
from voice.services.topics import topic_create

logger = logging.getLogger(__name__)

WINDOW_DAYS = 30
#: newest unmatched negative rows clustered per run
MAX_ROWS = 5000
QUOTE_CHARS = 140
ERR_SUGGESTION_DECIDED = gettext_noop("This suggestion was already accepted or dismissed.")
#: a run unfinished this long after it was queued or started has lost its worker (the task's
#: hard time limit is 5 minutes): asking again fails it and queues a new one
STALLED_AFTER = timedelta(minutes=10)
ERR_STALLED = "Stalled: no worker finished this run within 10 minutes; a new run was queued."

Status = TopicDiscoveryRun.Status


@transaction.atomic
def discovery_run_request(*, organization, actor=None) -> TopicDiscoveryRun:
    """Queue a discovery run (or return the one already queued or running) and enqueue its
    task on commit. A run that stalled (its worker was lost, or the broker lost its task) is
    marked failed, so it cannot block discovery for good, and a new one is queued."""
    # NOTE: lock the organization: two requests at once (double click, beat) queue one run.
    # FOR NO KEY UPDATE, so the tenant's inserts (foreign-key checks) never wait for it.
    Organization.objects.select_for_update(no_key=True).filter(pk=organization.pk).first()
    active = (TopicDiscoveryRun.all_orgs
              .filter(organization=organization, status__in=[Status.QUEUED, Status.RUNNING])
              .first())
    if active is not None:
        since = active.started_at or active.created_at
        if since >= timezone.now() - STALLED_AFTER:
            return active
        TopicDiscoveryRun.all_orgs.filter(pk=active.pk).update(
            status=Status.FAILED, error=ERR_STALLED, finished_at=timezone.now())
    run = TopicDiscoveryRun.all_orgs.create(organization=organization, window_days=WINDOW_DAYS,
                                            requested_by=actor if getattr(actor, "pk", None) else None)
    from voice.tasks_topics import discover_topics

    transaction.on_commit(partial(discover_topics.delay, organization.pk, run.pk))
    return run


def unmatched_negative_feedback(*, organization_id: int, days: int = WINDOW_DAYS,
                                limit: int = MAX_ROWS) -> list[tuple[int, str]]:
    """(id, text) of recent negative feedback with a text and no topic link, newest first."""
    linked = FeedbackTopic.all_orgs.filter(organization_id=organization_id,
                                           feedback_id=OuterRef("pk"))
    return list(Feedback.all_orgs.filter(
        organization_id=organization_id, sentiment_label=Sentiment.NEGATIVE,
        occurred_at__gte=timezone.now() - timedelta(days=days),
    ).exclude(text="").filter(~Exists(linked)).order_by("-occurred_at", "-id")
        .values_list("pk", "text")[:limit])


def discovery_run_execute(*, organization_id: int, run_id: int) -> TopicDiscoveryRun | None:
    """Run a queued discovery; None when it is not queued any more (idempotent). Pending
    suggestions of earlier runs are replaced by this run's."""
    claimed = TopicDiscoveryRun.all_orgs.filter(
        organization_id=organization_id, pk=run_id, status=Status.QUEUED,
    ).update(status=Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    run = TopicDiscoveryRun.all_orgs.get(pk=run_id)
    try:
        rows = unmatched_negative_feedback(organization_id=organization_id, days=run.window_days)
        clusters = cluster_texts([text for _pk, text in rows]) if len(rows) >= MIN_TEXTS else []
    except Exception as exc:  # noqa: BLE001 (the page shows why; a new run can be requested)
        logger.exception("topic discovery %s failed", run_id)
        TopicDiscoveryRun.all_orgs.filter(pk=run_id).update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now())
        return None
    with transaction.atomic():
        TopicSuggestion.all_orgs.filter(organization_id=organization_id,
                                        status=TopicSuggestion.Status.PENDING).delete()
        TopicSuggestion.all_orgs.bulk_create([TopicSuggestion(
            organization_id=organization_id, run=run, terms=cluster.terms, size=cluster.size,
            examples=[{"id": rows[i][0], "text": rows[i][1][:QUOTE_CHARS]}
                      for i in cluster.members[:EXAMPLES]]) for cluster in clusters])
        run.status = Status.DONE if len(rows) >= MIN_TEXTS else Status.SKIPPED
        run.feedback_count, run.suggestion_count = len(rows), len(clusters)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "feedback_count", "suggestion_count", "finished_at"])
    return run


def _decide(suggestion: TopicSuggestion) -> None:
    if suggestion.status != TopicSuggestion.Status.PENDING:
        raise ApplicationError(ERR_SUGGESTION_DECIDED, field="suggestion", status_code=409)


@transaction.atomic
def topic_suggestion_accept(*, organization, suggestion: TopicSuggestion, actor,
                            name: str | None = None) -> Topic:
    """Turn a pending suggestion into a topic (origin=discovered, its terms as keywords)."""
    suggestion = TopicSuggestion.all_orgs.select_for_update().get(
        organization=organization, pk=suggestion.pk)
    _decide(suggestion)
    topic = topic_create(organization=organization, actor=actor,
                         name=name if name is not None else suggestion.default_name,
                         keywords=suggestion.terms, origin=Topic.Origin.DISCOVERED)
    suggestion.status, suggestion.topic = TopicSuggestion.Status.ACCEPTED, topic
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "topic", "decided_at"])
    audit_record(organization=organization, actor=actor, action=actions.TOPIC_SUGGESTION_ACCEPTED,
                 target=topic, details={"terms": suggestion.terms, "size": suggestion.size})
    return topic


@transaction.atomic
def topic_suggestion_dismiss(*, organization, suggestion: TopicSuggestion, actor) -> None:
    suggestion = TopicSuggestion.all_orgs.select_for_update().get(
        organization=organization, pk=suggestion.pk)
    _decide(suggestion)
    suggestion.status, suggestion.decided_at = TopicSuggestion.Status.DISMISSED, timezone.now()
    suggestion.save(update_fields=["status", "decided_at"])
    audit_record(organization=organization, actor=actor,
                 action=actions.TOPIC_SUGGESTION_DISMISSED, target=suggestion,
                 target_label="、".join(suggestion.terms[:4]), details={"terms": suggestion.terms})
