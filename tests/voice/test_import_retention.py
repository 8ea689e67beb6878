"""Uploaded import files are deleted after the retention window; reports and running jobs stay."""

import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from voice.models import ImportJob
from voice.services.import_retention import import_files_purge
from voice.tasks import purge_import_files

pytestmark = pytest.mark.django_db(transaction=True)


def _job(org, *, status, finished_days_ago=None, name="old.csv"):
    job = ImportJob(organization=org, original_name=name, format="csv", status=status,
                    accepted_rows=3, errors=[{"row": 2, "reason": "bad nps"}])
    if finished_days_ago is not None:
        job.finished_at = timezone.now() - timedelta(days=finished_days_ago)
    job.file.save(name, ContentFile("channel,text\r\napp,很好\r\n".encode()), save=False)
    job.save()
    return job


def test_files_of_old_finished_jobs_are_deleted_and_the_report_stays(tenant, other_tenant, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    old_done = _job(tenant.org, status="done", finished_days_ago=31)
    old_failed = _job(tenant.org, status="failed", finished_days_ago=40)
    recent = _job(tenant.org, status="done", finished_days_ago=2)
    running = _job(tenant.org, status="running")
    other_org_old = _job(other_tenant.org, status="done", finished_days_ago=90)
    paths = {job.pk: job.file.name for job in (old_done, old_failed, recent, running, other_org_old)}

    assert import_files_purge(organization_id=tenant.org.pk) == 2

    for job in (old_done, old_failed):
        job.refresh_from_db()
        assert job.file.name == "" and not default_storage.exists(paths[job.pk])
        assert job.accepted_rows == 3 and job.errors == [{"row": 2, "reason": "bad nps"}]
    for job in (recent, running, other_org_old):
        job.refresh_from_db()
        assert job.file.name == paths[job.pk] and default_storage.exists(paths[job.pk])
    # idempotent: nothing left to purge
    assert import_files_purge(organization_id=tenant.org.pk) == 0


def test_the_retention_window_is_a_setting(tenant, settings):
    job = _job(tenant.org, status="done", finished_days_ago=8)
    settings.IMPORT_FILE_RETENTION_DAYS = 10
    assert import_files_purge(organization_id=tenant.org.pk) == 0
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    assert import_files_purge(organization_id=tenant.org.pk) == 1
    job.refresh_from_db()
    assert job.file.name == ""


def test_a_file_already_gone_does_not_stop_the_purge(tenant, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 1
    job = _job(tenant.org, status="done", finished_days_ago=5)
    default_storage.delete(job.file.name)
    assert import_files_purge(organization_id=tenant.org.pk) == 1
    job.refresh_from_db()
    assert job.file.name == ""


@pytest.mark.worker
def test_the_beat_task_purges_every_organization_on_a_real_worker(tenant, other_tenant, settings,
                                                                 real_worker):
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    jobs = [_job(tenant.org, status="done", finished_days_ago=60),
            _job(other_tenant.org, status="done", finished_days_ago=60)]
    purge_import_files.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and ImportJob.all_orgs.exclude(file="").exists():
        time.sleep(0.2)
    assert [ImportJob.all_orgs.get(pk=j.pk).file.name for j in jobs] == ["", ""]
