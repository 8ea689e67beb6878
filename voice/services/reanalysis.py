"""Re-analysis of an organization's past feedback with the current analyzer and taxonomy.

One unfinished job per organization (a DB constraint; a second request returns the first).
The task walks the feedback in id order, CHUNK rows per transaction: each chunk re-analyzes
the rows and moves the job's `done` / `last_id` in the same transaction, so a worker killed
mid-job resumes after the last committed chunk and no row is counted twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from cem.services.audit import audit_record
from voice import audit_actions as actions
from voice.models import Feedback, ReanalysisJob
from voice.services.analysis import feedback_analyze_batch
from voice.services.models import analyzer_for_organization

logger = logging.getLogger(__name__)

CHUNK = 200
#: an unfinished job without progress for this long is re-enqueued when it is requested again
STALLED_AFTER = timedelta(minutes=5)
Status = ReanalysisJob.Status
_REDO = [Feedback.Status.ANALYZED, Feedback.Status.FAILED]


def _active(organization_id: int) -> ReanalysisJob | None:
    return ReanalysisJob.all_orgs.filter(organization_id=organization_id,
                                         status__in=[Status.QUEUED, Status.RUNNING]).first()


def reanalysis_job_request(*, organization, actor=None) -> tuple[ReanalysisJob, bool]:
    """(job, created): a new queued job enqueued on commit, or the unfinished one."""
    try:
        with transaction.atomic():
            total = Feedback.all_orgs.filter(organization=organization, status__in=_REDO).count()
            job = ReanalysisJob.all_orgs.create(
                organization=organization, total=total,
                requested_by=actor if getattr(actor, "pk", None) else None)
            audit_record(organization=organization, actor=actor,
                         action=actions.REANALYSIS_REQUESTED, target=job,
                         target_label=f"#{job.pk}", details={"total": total})
            from voice.tasks_topics import run_reanalysis

            transaction.on_commit(partial(run_reanalysis.delay, organization.pk, job.pk))
            return job, True
    except IntegrityError:
        active = _active(organization.pk)
        if active is None:  # finished in between: ask again
            return reanalysis_job_request(organization=organization, actor=actor)
        if active.updated_at < timezone.now() - STALLED_AFTER:
            # NOTE: no progress for a while (broker down when it was queued, worker lost):
            # asking again re-enqueues it; chunks lock the job row, so a duplicate task is safe.
            from voice.tasks_topics import run_reanalysis

            transaction.on_commit(partial(run_reanalysis.delay, organization.pk, active.pk))
        return active, False


def _claim(organization_id: int, job_id: int) -> ReanalysisJob | None:
    """queued → running (a running job is resumed: its worker was lost)."""
    job = ReanalysisJob.all_orgs.filter(organization_id=organization_id, pk=job_id,
                                        status__in=[Status.QUEUED, Status.RUNNING]).first()
    if job is None:
        return None
    if job.status == Status.QUEUED:
        job.status, job.started_at = Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    return job


def _chunk(job: ReanalysisJob) -> bool:
    """Re-analyze the next chunk; False when there is none left."""
    with transaction.atomic():
        job = ReanalysisJob.all_orgs.select_for_update().get(pk=job.pk)
        ids = list(Feedback.all_orgs.filter(organization_id=job.organization_id, pk__gt=job.last_id,
                                            status__in=_REDO)
                   .order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return False
        # NOTE: rows another worker holds right now (pending analysis) are skipped: they are
        # analyzed with the current model anyway.
        done = feedback_analyze_batch(organization_id=job.organization_id, feedback_ids=ids,
                                      reanalyze=True)
        job.done = min(job.total, job.done + len(done)) if job.total else job.done + len(done)
        job.last_id = ids[-1]
        job.save(update_fields=["done", "last_id", "updated_at"])
    return True


def reanalysis_job_run(*, organization_id: int, job_id: int, max_chunks: int | None = None
                       ) -> ReanalysisJob | None:
    """Run (or resume) a job to the end; None when it is finished already (idempotent).
    `max_chunks` stops early (the task re-enqueues itself, so one job never holds a worker
    for long)."""
    job = _claim(organization_id, job_id)
    if job is None:
        return None
    version = analyzer_for_organization(organization_id=organization_id).version
    if job.model_version != version:
        ReanalysisJob.all_orgs.filter(pk=job.pk).update(model_version=version)
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        if not _chunk(job):
            ReanalysisJob.all_orgs.filter(pk=job.pk).update(
                status=Status.DONE, finished_at=timezone.now(), updated_at=timezone.now())
            break
        chunks += 1
    return ReanalysisJob.all_orgs.get(pk=job.pk)


def reanalysis_job_fail(*, organization_id: int, job_id: int, error: str) -> None:
    ReanalysisJob.all_orgs.filter(organization_id=organization_id, pk=job_id,
                                  status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED, error=error[:2000], finished_at=timezone.now())


def reanalysis_status(job: ReanalysisJob) -> dict:
    """The JSON the progress page polls."""
    return {"id": job.pk, "status": job.status, "status_label": str(job.get_status_display()),
            "total": job.total, "done": job.done, "percent": job.percent,
            "model_version": job.model_version, "error": job.error,
            "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at,
            "finished": job.status in (Status.DONE, Status.FAILED)}
