"""Import pages: upload with clear errors at once, template files, the job page and its JSON
status, the rejected rows as CSV, resume; managers only."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from voice.models import ImportJob
from voice.services.csv_import import import_job_process

pytestmark = pytest.mark.django_db

GOOD = "channel,text,nps,metadata_order\r\napp,很好,10,SO-1\r\napp,太差了,99,SO-2\r\n".encode("gbk")


def _process(tenant, job):
    with tenant.scope():
        import_job_process(organization_id=tenant.org.pk, job_id=job.pk)


def _upload(client, name, content):
    return client.post(reverse("import-job-list"), {"file": SimpleUploadedFile(name, content)})


def test_upload_then_report(tenant, manager_client):
    response = _upload(manager_client, "历史反馈.csv", GOOD)
    job = ImportJob.all_orgs.get(organization=tenant.org)
    assert response.status_code == 302 and response["Location"] == reverse("import-job-detail",
                                                                           args=[job.pk])
    page = manager_client.get(response["Location"]).content.decode()
    assert "历史反馈.csv" in page and "排队中" in page and 'role="progressbar"' in page
    status_url = reverse("import-job-status", args=[job.pk])
    assert manager_client.get(status_url).json()["status"] == "queued"
    _process(tenant, job)
    status = manager_client.get(status_url).json()
    assert status["finished"] and status["percent"] == 100
    assert (status["accepted_rows"], status["rejected_rows"]) == (1, 1)
    assert status["errors"][0]["row"] == 3 and status["errors"][0]["reason"].startswith("nps:")
    rejected = manager_client.get(reverse("import-job-rejected", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rejected_row", "rejected_reason", "channel"]
    assert rows[1][0] == "3" and rows[1][2:] == ["app", "太差了", "99", "SO-2"]
    listing = manager_client.get(reverse("import-job-list")).content.decode()
    assert "历史反馈.csv" in listing and "已完成" in listing


def test_a_fixed_rejected_file_can_be_uploaded_again(tenant, manager_client):
    _upload(manager_client, "a.csv", GOOD)
    job = ImportJob.all_orgs.get()
    _process(tenant, job)
    fixed = manager_client.get(reverse("import-job-rejected", args=[job.pk])).content.replace(
        b",99,", b",1,")
    assert _upload(manager_client, "fixed.csv", fixed).status_code == 302


def test_bad_file_is_refused_on_the_upload_page(manager_client):
    response = _upload(manager_client, "a.csv", b"channel,stars\r\napp,5\r\n")
    assert response.status_code == 400
    assert "未知的列：stars" in response.content.decode()
    assert not ImportJob.all_orgs.exists()
    assert manager_client.post(reverse("import-job-list")).status_code == 400


def test_templates_download(manager_client):
    template = manager_client.get(reverse("import-template-csv"))
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("external_id,channel,touchpoint") and "metadata_order_no" in header
    workbook = openpyxl.load_workbook(io.BytesIO(manager_client.get(
        reverse("import-template-xlsx")).content))
    assert workbook.active["B1"].value == "channel" and workbook.active.max_row == 3


def test_the_template_itself_imports_cleanly(tenant, manager_client):
    content = manager_client.get(reverse("import-template-csv")).content
    _upload(manager_client, "template.csv", content)
    job = ImportJob.all_orgs.get()
    _process(tenant, job)
    job.refresh_from_db()
    assert (job.accepted_rows, job.rejected_rows) == (2, 0), job.errors


def test_resume_button(tenant, manager_client):
    _upload(manager_client, "a.csv", GOOD)
    job = ImportJob.all_orgs.get()
    page = manager_client.get(reverse("import-job-detail", args=[job.pk])).content.decode()
    assert 'id="job-resume"' in page and 'id="job-resume" hidden' not in page
    response = manager_client.post(reverse("import-job-resume", args=[job.pk]))
    assert response.status_code == 302
    _process(tenant, job)
    manager_client.post(reverse("import-job-resume", args=[job.pk]))
    page = manager_client.get(reverse("import-job-detail", args=[job.pk])).content.decode()
    assert "此导入并未卡住" in page


@pytest.mark.parametrize("who", ["viewer_client", "member_client"])
def test_only_managers_import(who, request):
    client = request.getfixturevalue(who)
    assert client.get(reverse("import-job-list")).status_code == 403
    assert _upload(client, "a.csv", GOOD).status_code == 403


def test_oversized_upload_is_refused_before_it_is_read(manager_client, monkeypatch):
    from voice.views import imports

    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1024)
    monkeypatch.setattr(imports, "UPLOAD_OVERHEAD_BYTES", 0)
    response = _upload(manager_client, "big.csv", b"channel,text\r\n" + b"app,x\r\n" * 400)
    assert response.status_code == 413 and "MB" in response.content.decode()
    assert not ImportJob.all_orgs.exists()
