"""Event handlers (cem.events): enqueue the rollup recompute of the organization on commit.

The dirty-day markers themselves are written by database triggers in the writing
transaction; these handlers only make the recompute prompt. A burst of events enqueues one
task (a short-lived cache flag, cleared when the task starts).
"""

import logging
from functools import partial

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

QUEUED_KEY = "metrics:rollups-queued:{}"
QUEUED_TTL = 60
#: seconds to wait, so a burst of writes is recomputed once
COUNTDOWN = 5


def clear_queued(organization_id: int) -> None:
    try:
        cache.delete(QUEUED_KEY.format(organization_id))
    except Exception:  # noqa: BLE001 - cache down: the flag expires by itself (QUEUED_TTL)
        logger.warning("could not clear the rollup queued flag of organization %s", organization_id)


def enqueue_recompute(organization_id: int) -> None:
    """Enqueue the recompute unless one is already queued; a broker outage is only logged
    (the beat sweep catches up)."""
    from metrics.rollups.levels import rollups_supported
    from metrics.tasks import recompute_rollups

    if not rollups_supported():
        return
    try:
        if cache.add(QUEUED_KEY.format(organization_id), 1, QUEUED_TTL):
            recompute_rollups.apply_async((organization_id,), countdown=COUNTDOWN)
    except Exception:  # noqa: BLE001 - never fail the writer; the sweep recomputes later
        logger.warning("could not enqueue the rollup recompute of organization %s",
                       organization_id, exc_info=True)
        clear_queued(organization_id)


def on_feedback_event(*, organization_id: int, **_payload) -> None:
    transaction.on_commit(partial(enqueue_recompute, organization_id))
