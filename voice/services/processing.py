"""The processing path: hand stored feedback to the analysis workers, after commit, never blocking.

NOTE: publishing happens in `transaction.on_commit`, by default from the process's publisher
thread (voice.services.publisher), so the request does not wait for it; when the broker is down
the publish fails fast (bounded retry policy in settings) and is logged. The rows stay `pending` and the sweep
(`voice.sweep_pending_feedback`) re-enqueues them, so nothing is lost and no request hangs.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from voice.services.publisher import background_publisher

logger = logging.getLogger(__name__)

#: Feedback ids per analysis task.
ANALYSIS_BATCH_SIZE = 200
#: Rows one sweep re-enqueues per organization (the next sweep takes the rest).
SWEEP_LIMIT = 50_000
#: While the broker holds more messages than this, queued work is still draining: no sweep.
SWEEP_BACKLOG_MESSAGES = 50


def _publish(organization_id: int, feedback_ids: list[int]) -> int:
    """Publish analysis tasks in batches; returns how many ids were handed over."""
    from voice.tasks import analyze_feedback_batch

    for start in range(0, len(feedback_ids), ANALYSIS_BATCH_SIZE):
        chunk = feedback_ids[start:start + ANALYSIS_BATCH_SIZE]
        try:
            analyze_feedback_batch.delay(organization_id, chunk)
        except Exception:  # noqa: BLE001 (broker down: the sweep re-enqueues pending rows)
            logger.warning("broker unavailable; %d feedback rows left pending for the sweep",
                           len(feedback_ids) - start)
            return start
    return len(feedback_ids)


def enqueue_analysis_on_commit(*, organization_id: int, feedback_ids: list[int]) -> None:
    """Enqueue analysis of these rows once the current transaction commits (nothing if it rolls
    back): published right away, or by the process's publisher thread when
    `settings.ANALYSIS_PUBLISH_FROM_THREAD` is on (see voice.services.publisher)."""
    from django.conf import settings

    if not feedback_ids:
        return
    if settings.ANALYSIS_PUBLISH_FROM_THREAD:
        hand_over = background_publisher(_publish).submit
    else:
        hand_over = _publish
    transaction.on_commit(partial(hand_over, organization_id, list(feedback_ids)))


def broker_backlog() -> int | None:
    """Messages waiting in the default queue, or None when the broker cannot be asked."""
    from cem.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            declared = conn.default_channel.queue_declare(
                queue=app.conf.task_default_queue, passive=True)
            return declared.message_count
    except Exception:  # noqa: BLE001 (no answer: the caller decides)
        return None


def stale_pending_cutoff():
    from django.conf import settings

    return timezone.now() - timedelta(seconds=settings.PENDING_SWEEP_AFTER_SECONDS)


def organizations_with_stale_pending() -> list[int]:
    """Organization ids that hold feedback pending for longer than the sweep threshold."""
    from voice.models import Feedback

    # tenancy-exempt: the beat sweep walks every organization and only enqueues per-org tasks.
    return list(Feedback.all_orgs.filter(status=Feedback.Status.PENDING,
                                         received_at__lt=stale_pending_cutoff())
                .order_by().values_list("organization_id", flat=True).distinct())


def feedback_sweep_pending(*, organization_id: int) -> int:
    """Re-enqueue this organization's rows pending past the threshold; returns how many.

    Harmless when a row is also still queued: analysis skips rows no longer pending.
    """
    from voice.models import Feedback

    ids = list(Feedback.all_orgs.filter(organization_id=organization_id,
                                        status=Feedback.Status.PENDING,
                                        received_at__lt=stale_pending_cutoff())
               .order_by("pk").values_list("pk", flat=True)[:SWEEP_LIMIT])
    published = _publish(organization_id, ids)
    if ids:
        logger.info("sweep: re-enqueued %d of %d pending rows of organization %s",
                    published, len(ids), organization_id)
    return published
