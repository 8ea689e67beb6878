"""SLA escalation and the notification mail: overdue tickets are escalated once per breach to the
department lead and the CX managers, in the app, by mail and by the ticket.overdue webhook."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from improvement.access import Actor
from improvement.models import Notification, Ticket, TicketEvent, WebhookDelivery, WebhookEndpoint
from improvement.services.escalation import tickets_escalate_overdue
from improvement.services.notifications import notification_emails_send, notification_mark_read
from improvement.services.tickets import ticket_comment, ticket_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(tenant):
    department = tenant.departments["物流部"]
    department.lead = tenant.users["member"]
    department.save()
    for label in ("member", "manager", "admin"):
        user = tenant.users[label]
        user.email = f"{label}@alpha.example"
        user.save()
    return tenant.users["member"]


def urgent_ticket(tenant):
    with tenant.scope():
        return ticket_create(organization=tenant.org, actor=Actor.system(), title="12315 投诉", priority="urgent",
                             department=tenant.departments["物流部"])


def escalate(tenant, at):
    with time_machine.travel(at), tenant.scope():
        return tickets_escalate_overdue(organization_id=tenant.org.pk)


def test_each_breach_is_escalated_once_to_the_lead_and_the_managers(tenant, lead):
    WebhookEndpoint.all_orgs.create(organization=tenant.org, name="robot", url="https://x.invalid/",
                                    format="wecom", events=["ticket.overdue"])
    ticket = urgent_ticket(tenant)
    assert escalate(tenant, timezone.now() + timedelta(minutes=30)) == 0
    assert escalate(tenant, timezone.now() + timedelta(minutes=61)) == 1
    assert escalate(tenant, timezone.now() + timedelta(minutes=62)) == 0
    overdue = Notification.all_orgs.filter(event="ticket.overdue")
    assert {n.recipient.username for n in overdue} == {"alpha-member", "alpha-manager", "alpha-admin"}
    assert all(n.email_status == "pending" for n in overdue)
    assert WebhookDelivery.all_orgs.filter(event="ticket.overdue").count() == 1
    assert escalate(tenant, timezone.now() + timedelta(hours=9)) == 1
    escalations = TicketEvent.all_orgs.filter(ticket=ticket, kind="escalated")
    assert [e.data["which"] for e in escalations] == ["first_response", "resolution"]
    ticket.refresh_from_db()
    assert ticket.response_escalated_at and ticket.resolution_escalated_at


def test_a_first_response_in_time_avoids_the_first_escalation(tenant, lead):
    ticket = urgent_ticket(tenant)
    with tenant.scope():
        ticket_comment(ticket=ticket, actor=Actor.from_membership(
            ticket.department.memberships.get(user=lead)), text="已联系客户")
    assert escalate(tenant, timezone.now() + timedelta(minutes=90)) == 0


def test_closed_tickets_are_never_escalated(tenant, lead):
    ticket = urgent_ticket(tenant)
    Ticket.all_orgs.filter(pk=ticket.pk).update(status="resolved", resolved_at=timezone.now())
    assert escalate(tenant, timezone.now() + timedelta(days=3)) == 0


def test_mail_goes_once_and_people_without_an_address_are_skipped(tenant, lead):
    tenant.users["manager"].email = ""
    tenant.users["manager"].save()
    urgent_ticket(tenant)
    escalate(tenant, timezone.now() + timedelta(minutes=61))
    ids = list(Notification.all_orgs.filter(email_status="pending").values_list("pk", flat=True))
    with tenant.scope():
        assert notification_emails_send(notification_ids=ids) == []
        assert notification_emails_send(notification_ids=ids) == []
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["admin@alpha.example", "member@alpha.example", "member@alpha.example"]
    assert any("12315" in m.subject for m in mail.outbox)
    assert Notification.all_orgs.filter(recipient=tenant.users["manager"], email_status="none").exists()


def test_a_failing_mail_server_leaves_the_mail_pending(tenant, lead, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 8149, 1
    urgent_ticket(tenant)
    ids = list(Notification.all_orgs.filter(email_status="pending").values_list("pk", flat=True))
    with tenant.scope():
        assert notification_emails_send(notification_ids=ids) == ids
    assert set(Notification.all_orgs.filter(pk__in=ids).values_list("email_status", flat=True)) == {"pending"}


def test_mark_read(tenant, lead):
    urgent_ticket(tenant)
    with tenant.scope():
        assert notification_mark_read(organization=tenant.org, user=lead) == 1
        assert notification_mark_read(organization=tenant.org, user=lead) == 0
