"""Celery tasks of the voice app: ids in, one service call, idempotent."""

import logging
import random

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from cem.tasks import fanout_task, org_task

# NOTE: the worker registers tasks of the modules autodiscovery imports; keep these imported.
from voice import tasks_import, tasks_topics  # noqa: F401,E402
from voice.nlp.types import TransientAnalysisError

logger = logging.getLogger(__name__)

# NOTE: a batch cut off by the soft time limit rolled back; its rows are retried like any
# passing failure, then marked failed with the reason.
RETRYABLE = (OperationalError, InterfaceError, TransientAnalysisError, SoftTimeLimitExceeded)
#: Seconds: retry n waits a random time in [0, factor * 2**n] (full jitter), at most 300 s.
RETRY_BACKOFF_FACTOR = 2.0
RETRY_BACKOFF_MAX = 300.0


@org_task(name="voice.analyze_feedback_batch", bind=True, autoretry_for=(), max_retries=5)
def analyze_feedback_batch(self, organization_id: int, feedback_ids: list[int]) -> None:
    """Analyze these feedback rows; rows no longer pending are skipped (idempotent).

    A transient failure retries with exponential back-off and jitter; after `max_retries` the
    rows still pending become `failed` with the reason, visible and re-runnable.
    """
    from voice.services.analysis import ERR_GAVE_UP, feedback_analyze_batch, feedback_mark_failed

    try:
        feedback_analyze_batch(organization_id=organization_id, feedback_ids=feedback_ids,
                               coalesce=True)
    except RETRYABLE as exc:
        if self.request.retries >= self.max_retries:
            feedback_mark_failed(organization_id=organization_id, feedback_ids=feedback_ids,
                                 reason=ERR_GAVE_UP.format(retries=self.request.retries,
                                                           error=f"{type(exc).__name__}: {exc}"))
            return
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc
    # NOTE: rows locked elsewhere were skipped (SKIP LOCKED). Usually a sibling is scoring them,
    # but the connection of a worker child killed mid-batch keeps its locks until PostgreSQL
    # drops it, then rolls back: look again with back-off rather than leave them to the sweep.
    if self.request.retries < self.max_retries and still_pending(organization_id, feedback_ids):
        raise self.retry(countdown=retry_countdown(self.request.retries))


def still_pending(organization_id: int, feedback_ids: list[int]) -> bool:
    """Whether any of these rows still waits for analysis."""
    from voice.models import Feedback

    return Feedback.all_orgs.filter(organization_id=organization_id, pk__in=feedback_ids,
                                    status=Feedback.Status.PENDING).exists()


def retry_countdown(retries: int) -> float:
    """Seconds before retry n: uniform in [0, factor · 2**n] (full jitter), capped at the max."""
    return random.uniform(0, min(RETRY_BACKOFF_MAX, RETRY_BACKOFF_FACTOR * 2 ** retries))


@org_task(name="voice.sweep_pending_for_organization")
def sweep_pending_for_organization(organization_id: int) -> None:
    """Re-enqueue this organization's feedback left pending past the threshold."""
    from voice.services.processing import feedback_sweep_pending

    feedback_sweep_pending(organization_id=organization_id)


@fanout_task(name="voice.sweep_pending_feedback")
def sweep_pending_feedback() -> None:
    """Beat: for every organization with stale pending feedback, enqueue its sweep.

    Skipped while the broker still holds a backlog (that work is queued, not lost).
    """
    from voice.services.processing import (
        SWEEP_BACKLOG_MESSAGES,
        broker_backlog,
        organizations_with_stale_pending,
    )

    backlog = broker_backlog()
    if backlog is not None and backlog > SWEEP_BACKLOG_MESSAGES:
        logger.info("sweep skipped: %d messages still queued", backlog)
        return
    for organization_id in organizations_with_stale_pending():
        sweep_pending_for_organization.delay(organization_id)


@org_task(name="voice.purge_idempotency_for_organization")
def purge_idempotency_for_organization(organization_id: int) -> None:
    from voice.services.idempotency import idempotency_purge

    idempotency_purge(organization_id=organization_id)


@fanout_task(name="voice.purge_idempotency_records")
def purge_idempotency_records() -> None:
    """Beat: drop expired Idempotency-Key records, one task per organization."""
    from cem.selectors import organization_ids

    for organization_id in organization_ids():
        purge_idempotency_for_organization.delay(organization_id)


@org_task(name="voice.purge_import_files_for_organization")
def purge_import_files_for_organization(organization_id: int) -> None:
    from voice.services.import_retention import import_files_purge

    import_files_purge(organization_id=organization_id)


@fanout_task(name="voice.purge_import_files")
def purge_import_files() -> None:
    """Beat: delete uploaded import files past their retention, one task per organization."""
    from cem.selectors import organization_ids

    for organization_id in organization_ids():
        purge_import_files_for_organization.delay(organization_id)
