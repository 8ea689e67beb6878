"""The processing path: hand stored feedback to the analysis workers, after commit, never blocking.

NOTE: publishing happens in `transaction.on_commit`; when the broker is down the publish fails
fast (bounded retry policy in settings) and is logged. The rows stay `pending` and the sweep
(`voice.sweep_pending_feedback`) re-enqueues them, so nothing is lost and no request hangs.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

#: Feedback ids per analysis task.
ANALYSIS_BATCH_SIZE = 200


def _publish(organization_id: int, feedback_ids: list[int]) -> None:
    from voice.tasks import analyze_feedback_batch

    for start in range(0, len(feedback_ids), ANALYSIS_BATCH_SIZE):
        chunk = feedback_ids[start:start + ANALYSIS_BATCH_SIZE]
        try:
            analyze_feedback_batch.delay(organization_id, chunk)
        except Exception:  # noqa: BLE001 (broker down: the sweep re-enqueues pending rows)
            logger.warning("broker unavailable; %d feedback rows left pending for the sweep",
                           len(feedback_ids) - start)
            return


def enqueue_analysis_on_commit(*, organization_id: int, feedback_ids: list[int]) -> None:
    """Enqueue analysis of these rows once the current transaction commits (nothing if it rolls back)."""
    if feedback_ids:
        transaction.on_commit(partial(_publish, organization_id, list(feedback_ids)))
