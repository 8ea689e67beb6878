"""Celery tasks of the text analytics: keyword clouds, topic discovery, re-analysis."""

import logging

from cem.tasks import fanout_task, org_task

logger = logging.getLogger(__name__)

#: Chunks one re-analysis task runs before it re-enqueues itself (keeps tasks short).
REANALYSIS_CHUNKS_PER_TASK = 25


@org_task(name="voice.refresh_keywords")
def refresh_keywords(organization_id: int) -> None:
    """Recompute the organization's keyword snapshots (idempotent: upserts)."""
    from voice.services.keywords import keyword_snapshots_refresh

    keyword_snapshots_refresh(organization_id=organization_id)


@fanout_task(name="voice.refresh_keywords_all")
def refresh_keywords_all() -> None:
    """Beat (hourly): one keyword refresh per organization that has feedback."""
    from voice.services.topics_fanout import organizations_with_feedback

    for organization_id in organizations_with_feedback():
        refresh_keywords.delay(organization_id)


@org_task(name="voice.discover_topics")
def discover_topics(organization_id: int, run_id: int) -> None:
    """Execute a queued discovery run; a run no longer queued is left alone (idempotent)."""
    from voice.services.discovery import discovery_run_execute

    discovery_run_execute(organization_id=organization_id, run_id=run_id)


@org_task(name="voice.request_topic_discovery")
def request_topic_discovery(organization_id: int) -> None:
    """Queue a discovery run (joins the unfinished one, if any)."""
    from cem.models import Organization
    from voice.services.discovery import discovery_run_request

    discovery_run_request(organization=Organization.objects.get(pk=organization_id))


@fanout_task(name="voice.discover_topics_all")
def discover_topics_all() -> None:
    """Beat (weekly): request a discovery run for every organization that has feedback."""
    from voice.services.topics_fanout import organizations_with_feedback

    for organization_id in organizations_with_feedback():
        request_topic_discovery.delay(organization_id)


@org_task(name="voice.run_reanalysis", bind=True)
def run_reanalysis(self, organization_id: int, job_id: int) -> None:
    """Re-analyze the next chunks of a job, then re-enqueue itself until the job is done.

    Idempotent and resumable: progress is committed per chunk; a finished job is a no-op.
    """
    from voice.models import ReanalysisJob
    from voice.services.reanalysis import reanalysis_job_fail, reanalysis_job_run

    try:
        job = reanalysis_job_run(organization_id=organization_id, job_id=job_id,
                                 max_chunks=REANALYSIS_CHUNKS_PER_TASK)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            reanalysis_job_fail(organization_id=organization_id, job_id=job_id,
                                error=f"{type(exc).__name__}: {exc}")
            return
        raise self.retry(exc=exc, countdown=min(300, 2 ** self.request.retries)) from exc
    if job is not None and job.status == ReanalysisJob.Status.RUNNING:
        run_reanalysis.delay(organization_id, job_id)
