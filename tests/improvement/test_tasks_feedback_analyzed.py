"""End to end on a real worker: feedback posted to the partner API is analyzed, the analysis
announces feedback.analyzed, the alert rules run and webhooks go out; a redelivered evaluation
task opens no second ticket (ACCEPTANCE R4)."""

import threading
import time

import pytest
from celery.signals import task_postrun

from improvement.models import Ticket, WebhookDelivery
from improvement.services.rules import alert_rule_create
from improvement.services.webhooks import webhook_endpoint_create
from improvement.tasks import handle_feedback_analyzed

pytestmark = pytest.mark.worker


def wait(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_api_feedback_fires_a_keyword_rule_and_both_webhooks(tenant, receiver, api_client, real_worker):
    with tenant.scope():
        alert_rule_create(organization=tenant.org, data={"kind": "keyword", "keywords": ["12315"]})
        webhook_endpoint_create(organization=tenant.org, name="crm", url=receiver.url, fmt="generic",
                                events=["feedback.analyzed", "ticket.created"], secret="k")
    response = api_client(scopes=["feedback:write"]).post(
        "/api/v1/feedback/", {"channel": "app", "text": "三天没发货，客服不理人，我要打12315投诉"}, format="json")
    assert response.status_code == 201
    feedback_id = response.json()["id"]
    assert wait(lambda: Ticket.all_orgs.exists()), "no ticket was opened"
    hits = receiver.wait_for(2)
    events = sorted(hit.json()["event"] for hit in hits)
    assert events == ["feedback.analyzed", "ticket.created"]
    analyzed = next(hit.json() for hit in hits if hit.json()["event"] == "feedback.analyzed")
    assert analyzed["feedback"][0]["id"] == feedback_id and analyzed["feedback"][0]["sentiment"]

    done = threading.Event()

    def finished(sender=None, **kwargs):
        if sender is not None and sender.name == "improvement.handle_feedback_analyzed":
            done.set()

    task_postrun.connect(finished, weak=False)
    try:
        handle_feedback_analyzed.delay(tenant.org.pk, [feedback_id])
        assert done.wait(30), "the redelivered task did not run"
    finally:
        task_postrun.disconnect(finished)
    assert Ticket.all_orgs.count() == 1
    assert WebhookDelivery.all_orgs.count() == 2


def test_beat_fanout_reaches_every_organization(tenant, other_tenant, real_worker):
    from datetime import timedelta

    from django.utils import timezone

    from improvement.access import Actor
    from improvement.models import TicketEvent
    from improvement.services.tickets import ticket_create
    from improvement.tasks import check_overdue_tickets_all

    late = []
    for who in (tenant, other_tenant):
        with who.scope():
            ticket = ticket_create(organization=who.org, actor=Actor.system(), title="超时工单",
                                   department=who.departments["物流部"])
        Ticket.all_orgs.filter(pk=ticket.pk).update(due_at=timezone.now() - timedelta(minutes=1))
        late.append(ticket.pk)
    check_overdue_tickets_all.delay()
    assert wait(lambda: TicketEvent.all_orgs.filter(kind="escalated", ticket_id__in=late).count() == 2)
    escalated = TicketEvent.all_orgs.filter(kind="escalated")
    assert {e.organization_id for e in escalated} == {tenant.org.pk, other_tenant.org.pk}
