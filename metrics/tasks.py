"""Celery tasks of the metrics app: keep the daily rollups exact (ids in, idempotent)."""

import logging

from cem.tasks import fanout_task, org_task

logger = logging.getLogger(__name__)


@org_task(name="metrics.recompute_rollups")
def recompute_rollups(organization_id: int) -> None:
    """Recompute the organization's dirty days (builds everything the first time); re-enqueues
    itself while markers remain (a big import marks many days)."""
    from metrics.handlers import clear_queued, enqueue_recompute
    from metrics.rollups.build import TASK_BUDGET_SECONDS, rollup_recompute_dirty

    clear_queued(organization_id)
    remaining = rollup_recompute_dirty(organization_id=organization_id,
                                       budget_seconds=TASK_BUDGET_SECONDS)
    if remaining:
        enqueue_recompute(organization_id)


@org_task(name="metrics.rebuild_rollups")
def rebuild_rollups(organization_id: int) -> None:
    """Rebuild every cell of the organization from its raw rows (safe to run any time): all
    its days are marked dirty (read raw meanwhile) and recomputed by `recompute_rollups`."""
    from metrics.handlers import enqueue_recompute
    from metrics.rollups.build import rollup_reset

    rollup_reset(organization_id=organization_id)
    enqueue_recompute(organization_id)


@fanout_task(name="metrics.sweep_rollups")
def sweep_rollups() -> None:
    """Beat: enqueue a recompute for every organization with dirty days or no rollups yet
    (a lost message or a broker outage delays freshness, never exactness)."""
    from metrics.rollups.build import organizations_needing_recompute

    for organization_id in organizations_needing_recompute():
        recompute_rollups.delay(organization_id)
