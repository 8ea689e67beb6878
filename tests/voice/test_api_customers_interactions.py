"""Partner API: customer upsert by external_id, interactions single and batch."""

import pytest
from django.urls import reverse

from voice.models import Customer, Interaction

pytestmark = pytest.mark.django_db


def test_customer_upsert_creates_then_updates(tenant, writer):
    url = reverse("api-customers")
    created = writer.post(url, {"external_id": "C-1", "segment": "新客",
                                "since": "2026-01-05T00:00:00+08:00"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "active"
    churned = writer.post(url, {"external_id": "C-1", "status": "churned",
                                "churned_at": "2026-10-01T00:00:00+08:00"}, format="json")
    assert churned.status_code == 200
    customer = Customer.all_orgs.get(organization=tenant.org, external_id="C-1")
    assert (customer.segment, customer.status) == ("新客", "churned")
    assert customer.churned_at.isoformat() == "2026-09-30T16:00:00+00:00"
    back = writer.post(url, {"external_id": "C-1", "status": "active"}, format="json").json()
    assert back["status"] == "active" and back["churned_at"] is None


@pytest.mark.parametrize("body,field", [
    ({"external_id": "C-1", "status": "gone"}, "status"),
    ({"external_id": "C-1", "since": "2026-05-01T00:00:00Z", "churned_at": "2026-01-01T00:00:00Z"},
     "churned_at"),
    ({"segment": "会员"}, "external_id"),
])
def test_customer_errors(writer, body, field):
    response = writer.post(reverse("api-customers"), body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]


def test_interaction_upsert_and_reopen(tenant, writer):
    url = reverse("api-interactions")
    first = writer.post(url, {"external_id": "T-1", "channel": "call_center",
                              "customer": {"external_id": "C-2", "segment": "会员"},
                              "agent": "客服小姐姐", "opened_at": "2026-11-01T09:00:00+08:00",
                              "first_response_at": "2026-11-01T09:03:00+08:00"}, format="json")
    assert first.status_code == 201 and first.json()["created"] is True
    update = writer.post(url, {"external_id": "T-1", "channel": "call_center",
                               "opened_at": "2026-11-01T09:00:00+08:00",
                               "resolved_at": "2026-11-01T11:00:00+08:00"}, format="json")
    assert update.status_code == 200 and update.json()["id"] == first.json()["id"]
    row = Interaction.all_orgs.get(organization=tenant.org, external_id="T-1")
    assert row.first_response_at is not None and row.resolved_at is not None
    assert row.customer.external_id == "C-2" and row.segment == "会员"


def test_interaction_times_must_follow_opening(writer):
    response = writer.post(reverse("api-interactions"), {
        "external_id": "T-2", "channel": "app", "opened_at": "2026-11-01T09:00:00+08:00",
        "resolved_at": "2026-11-01T08:00:00+08:00"}, format="json")
    assert response.status_code == 400 and "resolved_at" in response.json()["errors"]


def test_interaction_batch_is_all_or_nothing(tenant, writer):
    url = reverse("api-interactions-batch")
    good = {"external_id": "T-3", "channel": "app", "opened_at": "2026-11-01T09:00:00+08:00"}
    bad = {"external_id": "T-4", "channel": "pigeon", "opened_at": "2026-11-01T09:00:00+08:00"}
    response = writer.post(url, {"items": [good, bad]}, format="json")
    assert response.status_code == 400 and response.json()["detail"].startswith("items[1].channel")
    assert not Interaction.all_orgs.filter(organization=tenant.org).exists()
    ok = writer.post(url, {"items": [good, {**good, "agent": "二号"}]}, format="json")
    assert ok.status_code == 201 and [i["created"] for i in ok.json()] == [True, False]
    assert Interaction.all_orgs.get(organization=tenant.org).agent == "二号"
