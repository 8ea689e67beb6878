"""Idempotency-Key (ACCEPTANCE I1–I5) and the per-key rate limit (I8)."""

import threading

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from voice.api import views as voice_views
from voice.models import Feedback, IdempotencyRecord

pytestmark = pytest.mark.django_db
BATCH = {"items": [{"external_id": f"k-{i}", "channel": "app", "text": "配送很快，好评",
                    "nps": 9} for i in range(3)]}


def rows(org):
    return Feedback.all_orgs.filter(organization=org).count()


def test_replay_returns_the_first_response_and_stores_nothing(tenant, writer):
    """I1"""
    first = writer.post(reverse("api-feedback-batch"), BATCH, format="json",
                        HTTP_IDEMPOTENCY_KEY="K-1")
    second = writer.post(reverse("api-feedback-batch"), BATCH, format="json",
                         HTTP_IDEMPOTENCY_KEY="K-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert rows(tenant.org) == 3


def test_same_key_other_body_is_422_problem_and_writes_nothing(tenant, writer):
    """I2"""
    writer.post(reverse("api-feedback"), {"channel": "app", "text": "一"}, format="json",
                HTTP_IDEMPOTENCY_KEY="K-2")
    response = writer.post(reverse("api-feedback"), {"channel": "app", "text": "二"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="K-2")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert rows(tenant.org) == 1


def test_keys_are_per_tenant(tenant, other_tenant, api_client):
    """I4"""
    mine = api_client(scopes=["feedback:write"])
    theirs = api_client(scopes=["feedback:write"], org=other_tenant.org)
    a = mine.post(reverse("api-feedback"), {"channel": "app", "text": "好"}, format="json",
                  HTTP_IDEMPOTENCY_KEY="shared")
    b = theirs.post(reverse("api-feedback"), {"channel": "app", "text": "好"}, format="json",
                    HTTP_IDEMPOTENCY_KEY="shared")
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]
    assert rows(tenant.org) == rows(other_tenant.org) == 1


def test_expired_key_is_new_but_natural_key_still_dedupes(tenant, writer):
    """I5"""
    item = {"external_id": "nat-1", "channel": "app", "text": "好"}
    first = writer.post(reverse("api-feedback"), item, format="json", HTTP_IDEMPOTENCY_KEY="K-5")
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=24, seconds=1)):
        again = writer.post(reverse("api-feedback"), {**item, "text": "好"}, format="json",
                            HTTP_IDEMPOTENCY_KEY="K-5")
        other = writer.post(reverse("api-feedback"), {**item, "text": "不同的正文"}, format="json",
                            HTTP_IDEMPOTENCY_KEY="K-5-b")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] == other.json()["id"]
    assert rows(tenant.org) == 1


def test_a_failed_request_frees_its_key(tenant, writer):
    bad = writer.post(reverse("api-feedback"), {"channel": "fax", "text": "x"}, format="json",
                      HTTP_IDEMPOTENCY_KEY="K-6")
    assert bad.status_code == 400
    assert not IdempotencyRecord.all_orgs.filter(key="K-6").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_store_once(tenant, monkeypatch):
    """I3: the first request is held inside the view; the second gets 409 + Retry-After."""
    entered, release = threading.Event(), threading.Event()
    real_ingest = voice_views.feedback_ingest_many

    def held_ingest(**kwargs):
        entered.set()
        release.wait(10)
        return real_ingest(**kwargs)

    monkeypatch.setattr(voice_views, "feedback_ingest_many", held_ingest)
    results = {}

    def post(name):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {tenant.raw_key}")
        results[name] = client.post(reverse("api-feedback-batch"), BATCH, format="json",
                                    HTTP_IDEMPOTENCY_KEY="K-3")

    def post_in_thread(name):
        try:
            post(name)
        finally:
            connection.close()

    first = threading.Thread(target=post_in_thread, args=("first",))
    first.start()
    assert entered.wait(10)
    monkeypatch.setattr(voice_views, "feedback_ingest_many", real_ingest)
    post("second")
    release.set()
    first.join(15)
    assert results["first"].status_code == 201
    assert results["second"].status_code == 409
    assert results["second"]["Retry-After"].isdigit()
    assert rows(tenant.org) == 3


def test_rate_limit_per_key_is_429_and_other_tenants_are_unaffected(tenant, other_tenant, api_client):
    """I8"""
    mine = api_client(scopes=["feedback:read"])
    theirs = api_client(scopes=["feedback:read"], org=other_tenant.org)
    with override_settings(API_KEY_RATE_LIMIT="5/min"):
        statuses = [mine.get(reverse("api-feedback")).status_code for _ in range(7)]
        other = theirs.get(reverse("api-feedback"))
        limited = mine.get(reverse("api-feedback"))
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    assert int(limited["Retry-After"]) > 0
    assert other.status_code == 200
