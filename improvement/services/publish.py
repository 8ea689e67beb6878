"""The outbox of ticket events: in-app notifications (maybe mailed) and webhook deliveries are
written in the transaction of the change; workers send them after commit.

Who hears what (the actor never notifies themselves):
- ticket.created: the department's members and lead (mail when urgent/high, else the lead);
  an unrouted ticket goes to the CX managers.
- ticket.updated: the assignee; a resolution and a completed effect check tell the CX managers
  (to verify); a reopening tells the assignee and the lead by mail too; an assignment mails
  the new assignee.
- ticket.overdue: the department lead and the CX managers, in the app and by mail.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.urls import reverse

from cem.models import Membership
from improvement.models import Notification, Priority, Ticket, TicketEvent, WebhookDelivery
from improvement.models import WebhookEndpoint as Endpoint
from improvement.services.payloads import ticket_payload, ticket_summary

TICKET_CREATED = Endpoint.Event.TICKET_CREATED
TICKET_UPDATED = Endpoint.Event.TICKET_UPDATED
TICKET_OVERDUE = Endpoint.Event.TICKET_OVERDUE
FEEDBACK_ANALYZED = Endpoint.Event.FEEDBACK_ANALYZED

_R = Membership.Role


def _managers(organization_id: int) -> set[int]:
    return set(Membership.objects.filter(organization_id=organization_id,
                                         role__in=(_R.ADMIN, _R.CX_MANAGER))
               .values_list("user_id", flat=True))


def _department_people(ticket: Ticket) -> tuple[set[int], set[int]]:
    """(members of the ticket's department, its lead) as user ids."""
    if ticket.department_id is None:
        return set(), set()
    members = set(Membership.objects.filter(organization_id=ticket.organization_id,
                                            department_id=ticket.department_id)
                  .values_list("user_id", flat=True))
    lead = {ticket.department.lead_id} if ticket.department.lead_id else set()
    return members, lead


def recipients(*, ticket: Ticket, event: TicketEvent, name: str) -> tuple[set[int], set[int]]:
    """(user ids notified in the app, user ids also mailed) for one event; see the module doc."""
    members, lead = _department_people(ticket)
    assignee = {ticket.assignee_id} if ticket.assignee_id else set()
    if name == TICKET_CREATED:
        if ticket.department_id is None:
            managers = _managers(ticket.organization_id)
            return managers, managers
        urgent = ticket.priority in (Priority.URGENT, Priority.HIGH)
        return members | lead, (members | lead) if urgent else lead
    if name == TICKET_OVERDUE:
        people = lead | _managers(ticket.organization_id)
        return people, people
    if event.kind == TicketEvent.Kind.STATUS and event.to_status == Ticket.Status.RESOLVED:
        return _managers(ticket.organization_id) | assignee, set()
    if event.kind == TicketEvent.Kind.STATUS and event.to_status == Ticket.Status.REOPENED:
        return assignee | lead, assignee | lead
    if event.kind == TicketEvent.Kind.EFFECT:
        return _managers(ticket.organization_id) | assignee, set()
    if event.kind == TicketEvent.Kind.ASSIGNED:
        return assignee, assignee
    return assignee, set()


def _notify(ticket: Ticket, event: TicketEvent, name: str, event_key: str, summary: dict) -> list[int]:
    in_app, mailed = recipients(ticket=ticket, event=event, name=name)
    in_app.discard(event.actor_id)
    url = reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})
    Notification.objects.bulk_create([
        Notification(organization_id=ticket.organization_id, recipient_id=user_id, ticket=ticket,
                     event=name, event_key=event_key, title=summary["title"][:300],
                     body=summary["body"], url=url,
                     email_status=(Notification.EmailStatus.PENDING if user_id in mailed
                                   else Notification.EmailStatus.NONE))
        for user_id in sorted(in_app)], ignore_conflicts=True)
    if not mailed & in_app:
        return []
    return list(Notification.objects.filter(organization_id=ticket.organization_id,
                                            event_key=event_key,
                                            email_status=Notification.EmailStatus.PENDING)
                .values_list("pk", flat=True))


def outbox_add(*, organization_id: int, name: str, event_key: str, payload: dict) -> list[int]:
    """A pending delivery per active endpoint subscribed to `name`; returns their ids."""
    endpoints = [e for e in Endpoint.objects.filter(organization_id=organization_id, is_active=True)
                 if name in e.events]
    if not endpoints:
        return []
    WebhookDelivery.objects.bulk_create([
        WebhookDelivery(organization_id=organization_id, endpoint=endpoint, event=name,
                        event_key=event_key, payload=payload) for endpoint in endpoints],
        ignore_conflicts=True)
    return list(WebhookDelivery.objects.filter(
        organization_id=organization_id, event_key=event_key,
        status=WebhookDelivery.Status.PENDING).values_list("pk", flat=True))


def enqueue_on_commit(*, organization_id: int, delivery_ids=(), notification_ids=()) -> None:
    """Hand the outbox rows to the workers once the transaction commits."""
    from improvement.tasks import deliver_webhook, send_notification_emails

    for delivery_id in delivery_ids:
        transaction.on_commit(partial(safe_delay, deliver_webhook, organization_id, delivery_id))
    if notification_ids:
        transaction.on_commit(partial(safe_delay, send_notification_emails, organization_id,
                                      list(notification_ids)))


def safe_delay(task, *args) -> None:
    """Publish; when the broker is down the rows stay pending and the outbox sweep resends."""
    import logging

    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 (broker down: the periodic outbox sweep covers it)
        logging.getLogger(__name__).warning("broker unavailable: %s left for the sweep", task.name)


def publish_ticket_event(*, ticket: Ticket, event: TicketEvent, name: str) -> None:
    """Notify the people concerned and queue webhooks for one ticket event (same transaction)."""
    event_key = f"{name}:{event.pk}"
    summary = ticket_summary(ticket=ticket, event=event, name=name)
    notification_ids = _notify(ticket, event, name, event_key, summary)
    payload = {**ticket_payload(ticket=ticket, event=event, name=name), "summary": summary}
    delivery_ids = outbox_add(organization_id=ticket.organization_id, name=name,
                              event_key=event_key, payload=payload)
    enqueue_on_commit(organization_id=ticket.organization_id, delivery_ids=delivery_ids,
                      notification_ids=notification_ids)
