"""Upload checks (clear errors at once), GBK and Excel files, chunked resumable imports that
never store a row twice, and resuming a stuck job."""

import io
from datetime import datetime, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from cem.errors import ApplicationError
from voice.models import Feedback, ImportJob
from voice.services import csv_import
from voice.services.csv_import import (
    import_job_create,
    import_job_process,
    import_job_resume,
    inspect_upload,
)

pytestmark = pytest.mark.django_db


def upload(name, content):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name,content,message", [
    ("data.xls", b"x", ".xlsx"),
    ("data.csv", b"", "empty"),
    ("data.csv", "\ufeffchannel,text,stars\r\napp,x,5\r\n".encode(), "stars"),
    ("data.csv", b"channel,text,text\r\n", "twice"),
    ("data.csv", b"text,nps\r\nx,1\r\n", "channel"),
    ("data.csv", b"channel,segment\r\napp,x\r\n", "text column"),
    ("data.csv", b"channel,text\r\n\xff\xfe\xfa\xff\xff", "neither UTF-8 nor GBK"),
    ("data.xlsx", b"PK not really a zip", "cannot be read"),
])
def test_bad_uploads_are_refused_at_once_with_the_reason(tenant, name, content, message):
    with tenant.scope(), translation.override("en"), pytest.raises(ApplicationError) as refused:
        import_job_create(organization=tenant.org, uploaded=upload(name, content))
    with translation.override("en"):
        assert message in str(refused.value.message) and refused.value.field == "file"
    assert not ImportJob.all_orgs.exists()


def test_too_big_files_are_refused(tenant, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_FILE_BYTES", 10)
    with pytest.raises(ApplicationError, match="MB"), translation.override("en"):
        inspect_upload(upload("a.csv", "channel,text\r\napp,hello\r\n"))


def test_header_quirks_are_accepted():
    fmt, encoding, columns = inspect_upload(upload("a.csv", "\ufeff Channel ;TEXT;metadata_x\r\n"))
    assert (fmt, encoding, columns) == ("csv", "utf-8-sig", ["channel", "text", "metadata_x"])


def test_gbk_csv_with_blank_lines(tenant):
    content = "channel,text,nps\r\napp,物流太慢了,3\r\n,,\r\n\r\n呼叫中心,客服很好,9.0\r\n".encode("gbk")
    with tenant.scope():
        job = import_job_create(organization=tenant.org, uploaded=upload("历史.csv", content))
        assert job.encoding == "gb18030"
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.accepted_rows, job.rejected_rows) == ("done", 2, 2, 0)
    texts = set(Feedback.all_orgs.values_list("text", "channel", "nps"))
    assert texts == {("物流太慢了", "app", 3), ("客服很好", "call_center", 9)}


def test_excel_with_date_cells_and_numbers(tenant):
    content = xlsx([["channel", "text", "csat", "occurred_at", "external_id", None],
                    ["app", "很满意", 5, datetime(2026, 10, 1, 8, 0), 1001, None],
                    [None, None, None, None, None, None],
                    ["web", "一般", "3.0", "2026/10/02", 1002, None]])
    with tenant.scope():
        job = import_job_create(organization=tenant.org, uploaded=upload("历史.xlsx", content))
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.accepted_rows == 2, job.errors
    first = Feedback.all_orgs.get(external_id="1001")
    assert first.csat == 5 and timezone.localtime(first.occurred_at, tenant.org.tzinfo).hour == 8


def test_chunks_resume_and_never_store_twice(tenant, monkeypatch):
    monkeypatch.setattr(csv_import, "CHUNK_ROWS", 3)
    monkeypatch.setattr(csv_import, "CHUNKS_PER_TASK", 2)
    lines = ["channel,text,nps"] + [f"app,第{i}条,{i + 2}" for i in range(10)]
    with tenant.scope():
        job = import_job_create(organization=tenant.org,
                                uploaded=upload("a.csv", "\r\n".join(lines) + "\r\n"))
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)
        job.refresh_from_db()
        assert (job.status, job.processed_rows) == ("running", 6)
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)  # redelivered: a no-op
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows) == ("done", 10, 10)
    assert job.accepted_rows == 9 and job.rejected_rows == 1 and job.errors == [
        {"row": 11, "reason": job.errors[0]["reason"]}]
    assert Feedback.all_orgs.count() == 9


def test_unreadable_file_fails_the_job_with_a_reason(tenant):
    with tenant.scope():
        job = import_job_create(organization=tenant.org, uploaded=upload("a.csv", "channel,text\r\n"))
        job.file.delete(save=False)
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.failure_reason


def test_resume_only_for_stuck_jobs(tenant):
    with tenant.scope():
        job = import_job_create(organization=tenant.org,
                                uploaded=upload("a.csv", "channel,text\r\napp,x\r\n"))
        import_job_resume(job=job)  # queued: resumable
        ImportJob.all_orgs.filter(pk=job.pk).update(status="running")
        job.refresh_from_db()
        with pytest.raises(ApplicationError):
            import_job_resume(job=job)  # running and recently active
        ImportJob.all_orgs.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
        job.refresh_from_db()
        import_job_resume(job=job)  # running without progress: resumable
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)
        job.refresh_from_db()
        assert job.status == "done"
        with pytest.raises(ApplicationError):
            import_job_resume(job=job)
