"""The import task and the invitation email on a real Celery worker (queueing, JSON arguments,
re-enqueueing itself chunk after chunk)."""

import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from voice.models import Feedback, ImportJob, SurveyInvitation
from voice.services import csv_import
from voice.services.surveys import survey_invitation_create, survey_link_create

pytestmark = pytest.mark.worker


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_upload_is_imported_by_the_worker(tenant, manager_client, real_worker, monkeypatch):
    monkeypatch.setattr(csv_import, "CHUNK_ROWS", 4)
    monkeypatch.setattr(csv_import, "CHUNKS_PER_TASK", 2)
    lines = ["channel,text,nps,external_id"] + [f"app,第{i}条反馈,{i % 11},E{i}" for i in range(20)]
    content = ("\r\n".join(lines) + "\r\n").encode("gbk")
    response = manager_client.post(reverse("import-job-list"),
                                   {"file": SimpleUploadedFile("历史.csv", content)})
    assert response.status_code == 302
    job = ImportJob.all_orgs.get(organization=tenant.org)
    status_url = reverse("import-job-status", args=[job.pk])
    assert _wait_for(lambda: manager_client.get(status_url).json()["finished"]), \
        manager_client.get(status_url).json()
    status = manager_client.get(status_url).json()
    assert (status["status"], status["accepted_rows"], status["processed_rows"]) == ("done", 20, 20)
    assert Feedback.all_orgs.filter(organization=tenant.org, source="import").count() == 20


def test_invitation_email_is_sent_by_the_worker(tenant, touchpoint, real_worker):
    with tenant.scope():
        link = survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="csat",
                                  title="送货满意度")
        invitation = survey_invitation_create(organization=tenant.org, link=link,
                                              customer_external_id="C-1", send_email=True,
                                              email="kehu@example.test",
                                              base_url="https://cem.example.test")
    assert _wait_for(lambda: SurveyInvitation.all_orgs.get(pk=invitation.pk).sent_at is not None)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kehu@example.test"] and "送货满意度" in message.body
    assert f"https://cem.example.test/s/{link.token}/?i={invitation.token}" in message.body
