"""Celery tasks of the voice app: ids in, one service call, idempotent."""

from cem.tasks import org_task


@org_task(name="voice.analyze_feedback_batch")
def analyze_feedback_batch(organization_id: int, feedback_ids: list[int]) -> None:
    """Analyze these feedback rows (claim pending → analyzing; already-analyzed rows are skipped)."""
    from voice.services.analysis import feedback_analyze_batch

    feedback_analyze_batch(organization_id=organization_id, feedback_ids=feedback_ids)
