"""ACCEPTANCE T2: fields the caller may not set (tenant, status, analysis scores, ids) are
ignored or refused with a 400, on every entry path; the stored row keeps the caller's tenant."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from voice.models import Customer, Feedback, ImportJob
from voice.services.surveys import survey_link_create

pytestmark = pytest.mark.django_db

FORGED = {"organization": 999, "organization_id": 999, "tenant_id": 999, "id": 424242,
          "status": "analyzed", "sentiment": {"label": "positive", "score": 1.0},
          "sentiment_label": "positive", "sentiment_score": 1.0, "score": 1.0,
          "model_version": "forged", "source": "demo", "failure_reason": "x", "attempts": 9,
          "received_at": "2020-01-01T00:00:00Z", "topics": [{"name": "x", "polarity": "pain"}]}


def _assert_clean(row, org):
    assert row.organization_id == org.pk and row.pk != 424242
    assert row.status == "pending" and row.sentiment_label is None and row.sentiment_score is None
    assert row.model_version == "" and row.source == "api" and row.attempts == 0
    assert not row.topic_links.exists() and row.received_at.year != 2020


def test_single_and_batch_ignore_protected_fields(tenant, other_tenant, writer):
    item = {"channel": "app", "text": "伪造字段", **FORGED}
    created = writer.post(reverse("api-feedback"), item, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    _assert_clean(Feedback.all_orgs.get(pk=created.json()["id"]), tenant.org)
    batch = writer.post(reverse("api-feedback-batch"), {"items": [item, item]}, format="json")
    assert batch.status_code == 201
    for entry in batch.json()["items"]:
        _assert_clean(Feedback.all_orgs.get(pk=entry["id"]), tenant.org)
    assert not Feedback.all_orgs.filter(organization=other_tenant.org).exists()


def test_customer_upsert_keeps_the_callers_tenant(tenant, other_tenant, writer):
    body = {"external_id": "C-T2", "organization": other_tenant.org.pk, "id": 5}
    assert writer.post(reverse("api-customers"), body, format="json").status_code == 201
    assert Customer.all_orgs.get(external_id="C-T2").organization_id == tenant.org.pk


def test_survey_answers_ignore_extra_fields(tenant, touchpoint, client):
    with tenant.scope():
        link = survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps",
                                  title="t")
    client.post(reverse("survey-public", args=[link.token]),
                {"score": "9", "status": "analyzed", "sentiment_label": "negative",
                 "channel": "web", "organization": "999", "customer": "VIP"})
    row = Feedback.all_orgs.get()
    assert (row.channel, row.status, row.sentiment_label, row.customer) == ("survey", "pending",
                                                                            None, None)
    assert row.organization_id == tenant.org.pk


def test_import_refuses_columns_it_does_not_know(manager_client):
    content = b"channel,text,status,sentiment_label,organization\r\napp,x,analyzed,positive,9\r\n"
    response = manager_client.post(reverse("import-job-list"),
                                   {"file": SimpleUploadedFile("t2.csv", content)})
    assert response.status_code == 400 and "status" in response.content.decode()
    assert not ImportJob.all_orgs.exists()


@pytest.mark.parametrize("moment", ["2000-01-01T00:00:00+16:00", "2000-01-01T00:00:00-15:00",
                                    "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_impossible_offsets_are_400_not_500(writer, moment):
    item = {"channel": "app", "text": "时区", "occurred_at": moment}
    response = writer.post(reverse("api-feedback"), item, format="json")
    assert response.status_code == 400 and "occurred_at" in response.json()["errors"]
    interaction = {"external_id": "I-tz", "channel": "app", "opened_at": moment}
    response = writer.post(reverse("api-interactions"), interaction, format="json")
    assert response.status_code == 400 and "opened_at" in response.json()["errors"]
