"""Uploaded import files are kept while a job may still need them, then deleted.

A finished job (done or failed) keeps its report (counters, rejected rows with their reasons)
for good; the uploaded file itself holds customers' raw texts and is only needed to run or
resume the import, so it is deleted `IMPORT_FILE_RETENTION_DAYS` after the job finished.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from voice.models import ImportJob

logger = logging.getLogger(__name__)


def import_files_purge(*, organization_id: int, now=None) -> int:
    """Delete the files of this organization's jobs finished before the retention window.

    Idempotent: a purged job has an empty `file` and is not selected again. The row is cleared
    first, the file deleted after the commit, so a crash leaves at worst an orphan file, never
    a job pointing at a missing one. Returns how many files were released.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    finished = (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    purged = 0
    ids = list(ImportJob.all_orgs.filter(organization_id=organization_id, status__in=finished,
                                         finished_at__lt=cutoff)
               .exclude(file="").values_list("pk", flat=True))
    for job_id in ids:
        with transaction.atomic():
            job = (ImportJob.all_orgs.select_for_update(skip_locked=True)
                   .filter(pk=job_id, organization_id=organization_id).exclude(file="").first())
            if job is None:
                continue
            name, storage = job.file.name, job.file.storage
            ImportJob.all_orgs.filter(pk=job.pk).update(file="")
            transaction.on_commit(lambda name=name, storage=storage: _delete(storage, name))
        purged += 1
    if purged:
        logger.info("organization %s: %d import files purged", organization_id, purged)
    return purged


def _delete(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("import file %s could not be deleted", name, exc_info=True)
