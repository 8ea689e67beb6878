"""Partner API: feedback create, batch, natural-key dedupe, validation, limits (I6, I7, T2, R6)."""

import gzip
import json

import pytest
from django.db import transaction
from django.urls import reverse

from voice.models import Feedback
from voice.services.processing import _publish

pytestmark = pytest.mark.django_db

ITEM = {"external_id": "o-1", "channel": "app", "touchpoint": "delivery",
        "customer": {"external_id": "C-9", "segment": "会员"}, "text": "物流很快，但是质量太差",
        "nps": 6, "csat": 2, "ces": 3, "occurred_at": "2026-11-01T09:30:00+08:00",
        "metadata": {"order": "SO-1"}}


def count(tenant):
    return Feedback.all_orgs.filter(organization=tenant.org).count()


def test_create_returns_201_pending_and_stores_the_contract_fields(tenant, touchpoint, writer):
    response = writer.post(reverse("api-feedback"), ITEM, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "status": "pending"}
    detail = writer.get(reverse("api-feedback-detail", kwargs={"feedback_id": body["id"]})).json()
    assert detail["touchpoint"] == "delivery" and detail["customer"] == {
        "external_id": "C-9", "segment": "会员"}
    assert detail["occurred_at"] == "2026-11-01T09:30:00+08:00"
    assert (detail["nps"], detail["csat"], detail["ces"]) == (6, 2, 3)
    assert detail["sentiment"] is None and detail["topics"] == [] and detail["status"] == "pending"


def test_natural_key_resend_is_answered_and_stored_once(tenant, touchpoint, writer):
    first = writer.post(reverse("api-feedback"), ITEM, format="json").json()
    again = writer.post(reverse("api-feedback"), ITEM, format="json")
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    other_channel = writer.post(reverse("api-feedback"), {**ITEM, "channel": "web"}, format="json")
    assert other_channel.status_code == 201
    assert count(tenant) == 2


def test_batch_stores_all_and_dedupes_inside_the_batch(tenant, touchpoint, writer):
    items = [{**ITEM, "external_id": f"b-{i % 3}"} for i in range(5)]
    response = writer.post(reverse("api-feedback-batch"), {"items": items}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["created"] == 3 and body["duplicates"] == 2
    assert body["items"][0]["id"] == body["items"][3]["id"]
    assert count(tenant) == 3


@pytest.mark.parametrize("field,value", [
    ("nps", 11), ("csat", 0), ("ces", 8), ("channel", "fax"), ("touchpoint", "nowhere"),
    ("occurred_at", "yesterday"), ("occurred_at", "2999-01-01T00:00:00Z"), ("text", "长" * 10001),
    ("metadata", {"blob": "x" * 17000}), ("metadata", ["not", "an", "object"]),
])
def test_bad_fields_are_400_naming_the_field(tenant, touchpoint, writer, field, value):
    response = writer.post(reverse("api-feedback"), {**ITEM, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert count(tenant) == 0


def test_text_or_score_is_required(writer, touchpoint):
    response = writer.post(reverse("api-feedback"), {"channel": "app"}, format="json")
    assert response.status_code == 400 and "text" in response.json()["errors"]


def test_malformed_json_is_400(writer):
    response = writer.generic("POST", reverse("api-feedback"), "{not json",
                              content_type="application/json")
    assert response.status_code == 400


def test_mixed_batch_names_index_and_field_and_stores_nothing(tenant, touchpoint, writer):
    """I7: all-or-nothing is the documented contract."""
    items = [ITEM, {**ITEM, "external_id": "o-2"}, {**ITEM, "external_id": "o-3", "nps": 42}]
    response = writer.post(reverse("api-feedback-batch"), {"items": items}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("items[2].nps:")
    assert list(body["errors"]["items"]) == ["2"]
    assert count(tenant) == 0


def test_over_the_item_limit_is_413(tenant, writer):
    items = [{"channel": "app", "text": "好"}] * 1001
    response = writer.post(reverse("api-feedback-batch"), {"items": items}, format="json")
    assert response.status_code == 413 and count(tenant) == 0


def test_over_the_byte_limit_is_413(tenant, writer):
    body = json.dumps({"items": [{"channel": "app", "text": "x" * 9000}] * 600})
    assert len(body) > 5 * 1024 * 1024
    response = writer.generic("POST", reverse("api-feedback-batch"), body,
                              content_type="application/json")
    assert response.status_code == 413 and count(tenant) == 0


def test_gzip_body_is_measured_uncompressed(tenant, writer):
    small = gzip.compress(json.dumps({"items": [{"channel": "app", "text": "物流很快"}]}).encode())
    ok = writer.generic("POST", reverse("api-feedback-batch"), small,
                        content_type="application/json", HTTP_CONTENT_ENCODING="gzip")
    assert ok.status_code == 201
    bomb = gzip.compress(json.dumps({"items": [{"channel": "app", "text": "差" * 9000}] * 700})
                         .encode())
    assert len(bomb) < 1024 * 1024
    refused = writer.generic("POST", reverse("api-feedback-batch"), bomb,
                             content_type="application/json", HTTP_CONTENT_ENCODING="gzip")
    assert refused.status_code == 413
    assert count(tenant) == 1


def test_caller_cannot_set_status_score_or_organization(tenant, other_tenant, writer, touchpoint):
    """T2: fields the caller may not set are ignored; the row keeps the caller's tenant."""
    payload = {**ITEM, "status": "analyzed", "sentiment_score": 1.0, "organization": other_tenant.org.pk,
               "organization_id": other_tenant.org.pk, "sentiment": {"label": "positive"}}
    response = writer.post(reverse("api-feedback"), payload, format="json")
    assert response.status_code == 201
    row = Feedback.all_orgs.get(pk=response.json()["id"])
    assert (row.organization_id, row.status, row.sentiment_score) == (tenant.org.pk, "pending", None)


def test_ingest_enqueues_only_on_commit(tenant, touchpoint, writer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        writer.post(reverse("api-feedback"), ITEM, format="json")
    publishes = [c for c in callbacks if getattr(c, "func", None) is _publish]
    assert len(publishes) == 1
    assert Feedback.all_orgs.filter(organization=tenant.org, status="pending").count() == 1


def test_exception_inside_the_ingest_transaction_enqueues_nothing(tenant, touchpoint,
                                                                   django_capture_on_commit_callbacks):
    """R6: rows staged, then an error → no rows, no task."""
    from voice.services.ingest import feedback_ingest
    from voice.validation import feedback_item_clean

    data = feedback_item_clean(organization=tenant.org, raw=ITEM, touchpoints={"delivery": touchpoint})
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            feedback_ingest(organization=tenant.org, data=data, source="api")
            assert count(tenant) == 1
            raise RuntimeError("boom after staging")
    assert callbacks == [] and count(tenant) == 0
