"""Webhooks delivered by a real Celery worker to a real local HTTP server: signatures, robot
formats, retries with back-off, immediate failure on 4xx, the delivery log, idempotency."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from improvement.access import Actor
from improvement.models import WebhookDelivery
from improvement.services.tickets import ticket_create
from improvement.services.webhooks import webhook_deliver, webhook_endpoint_create
from improvement.webhooks.formats import SIGNATURE_HEADER, dingtalk_sign, verify_generic_signature

pytestmark = pytest.mark.worker


def endpoint(tenant, receiver, fmt="generic", events=("ticket.created",), secret="s3cret"):
    with tenant.scope():
        return webhook_endpoint_create(organization=tenant.org, name=f"{fmt} hook", url=receiver.url, fmt=fmt,
                                       events=list(events), secret=secret)


def open_ticket(tenant, title="快递太慢"):
    with tenant.scope():
        return ticket_create(organization=tenant.org, actor=Actor.system(), title=title, priority="urgent",
                             department=tenant.departments["物流部"])


def delivery_settled(pk, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = WebhookDelivery.all_orgs.get(pk=pk)
        if row.status in ("succeeded", "failed"):
            return row
        time.sleep(0.05)
    return WebhookDelivery.all_orgs.get(pk=pk)


def test_generic_event_is_signed_and_logged(tenant, receiver, real_worker):
    endpoint(tenant, receiver)
    ticket = open_ticket(tenant)
    [hit] = receiver.wait_for(1)
    assert verify_generic_signature("s3cret", hit.headers[SIGNATURE_HEADER], hit.body, now=int(time.time()))
    assert hit.headers["X-OpenCEM-Event"] == "ticket.created"
    body = hit.json()
    assert body["ticket"]["id"] == ticket.pk and body["ticket"]["department"]["name"] == "物流部"
    assert body["summary"]["title"].endswith("快递太慢")
    row = delivery_settled(WebhookDelivery.all_orgs.get().pk)
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == ("succeeded", 1, 200, "")
    assert row.last_duration_ms is not None and str(row.pk) == hit.headers["X-OpenCEM-Delivery"]


def test_server_errors_are_retried_with_back_off_until_delivered(tenant, receiver, real_worker):
    receiver.replies = [(500, "oops"), (503, "busy")]
    endpoint(tenant, receiver)
    open_ticket(tenant)
    hits = receiver.wait_for(3)
    assert len(hits) == 3 and hits[0].body == hits[2].body
    row = delivery_settled(WebhookDelivery.all_orgs.get().pk)
    assert (row.status, row.attempts, row.last_status_code) == ("succeeded", 3, 200)


def test_client_errors_fail_at_once_with_the_reason(tenant, receiver, real_worker):
    receiver.replies = [(404, "no such hook")]
    endpoint(tenant, receiver)
    open_ticket(tenant)
    receiver.wait_for(1)
    row = delivery_settled(WebhookDelivery.all_orgs.get().pk)
    assert (row.status, row.attempts, row.last_status_code) == ("failed", 1, 404)
    assert "HTTP 404" in row.last_error and len(receiver.received) == 1


def test_dingtalk_robot_with_sign_and_an_errcode_retry(tenant, receiver, real_worker):
    receiver.replies = [(200, '{"errcode":130101,"errmsg":"send too fast"}')]
    endpoint(tenant, receiver, fmt="dingtalk", secret="SECding")
    open_ticket(tenant)
    first, second = receiver.wait_for(2)[:2]
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(second.path).query)
    assert query["sign"][0] == dingtalk_sign("SECding", int(query["timestamp"][0]))
    assert second.json()["msgtype"] == "markdown"
    row = delivery_settled(WebhookDelivery.all_orgs.get().pk)
    assert row.status == "succeeded" and row.attempts == 2


def test_a_delivery_is_sent_once_however_often_the_task_runs(tenant, receiver, transactional_db):
    endpoint(tenant, receiver, fmt="wecom", secret="")
    open_ticket(tenant)
    row = WebhookDelivery.all_orgs.get()
    with tenant.scope():
        assert webhook_deliver(delivery_id=row.pk) == ("succeeded", None)
        assert webhook_deliver(delivery_id=row.pk) == ("skipped", None)
    assert len(receiver.received) == 1
    assert receiver.received[0].json()["msgtype"] == "markdown"


def test_a_stale_claim_is_taken_over(tenant, receiver, transactional_db):
    endpoint(tenant, receiver)
    open_ticket(tenant)
    row = WebhookDelivery.all_orgs.get()
    WebhookDelivery.all_orgs.filter(pk=row.pk).update(status="sending", claimed_at=timezone.now())
    with tenant.scope():
        assert webhook_deliver(delivery_id=row.pk)[0] == "skipped"
        WebhookDelivery.all_orgs.filter(pk=row.pk).update(claimed_at=timezone.now() - timedelta(minutes=5))
        assert webhook_deliver(delivery_id=row.pk)[0] == "succeeded"


def test_an_address_that_turned_private_is_refused_at_send_time(tenant, receiver, settings, transactional_db):
    endpoint(tenant, receiver)
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    open_ticket(tenant)
    row = WebhookDelivery.all_orgs.get()
    with tenant.scope():
        assert webhook_deliver(delivery_id=row.pk)[0] == "failed"
    row.refresh_from_db()
    assert "SSRF" in row.last_error and not receiver.received
