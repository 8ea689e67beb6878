"""SLA escalation: a ticket past its first-response or resolution due time is flagged once per
breach and escalated to its department lead and the CX managers (in-app, mail, webhook
`ticket.overdue`). Idempotent: each breach is claimed with a conditional UPDATE."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from improvement.access import Actor
from improvement.models import Ticket, TicketEvent
from improvement.services.publish import TICKET_OVERDUE, publish_ticket_event
from improvement.services.tickets import event_record

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
#: (which, due field, escalation stamp, extra condition)
BREACHES = (
    (FIRST_RESPONSE, "first_response_due_at", "response_escalated_at", {"first_response_at__isnull": True}),
    (RESOLUTION, "due_at", "resolution_escalated_at", {}),
)


def _escalate(ticket: Ticket, which: str, now) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        label = _("no first response in time") if which == FIRST_RESPONSE else _("not resolved in time")
    due = ticket.first_response_due_at if which == FIRST_RESPONSE else ticket.due_at
    event = event_record(ticket=ticket, kind=TicketEvent.Kind.ESCALATED, actor=Actor.system("SLA"),
                         at=now, comment=str(label), data={"which": which, "due_at": due.isoformat()})
    publish_ticket_event(ticket=ticket, event=event, name=TICKET_OVERDUE)


@transaction.atomic
def tickets_escalate_overdue(*, organization_id: int, now=None) -> int:
    """Escalate every newly overdue ticket of the organization; returns how many breaches."""
    now = now or timezone.now()
    escalated = 0
    for which, due_field, stamp, extra in BREACHES:
        candidates = Ticket.objects.filter(organization_id=organization_id, status__in=Ticket.ACTIVE,
                                           **{f"{due_field}__lt": now, f"{stamp}__isnull": True}, **extra)
        for ticket in candidates.select_related("department", "organization"):
            claimed = Ticket.objects.filter(pk=ticket.pk, **{f"{stamp}__isnull": True}).update(**{stamp: now})
            if claimed:
                setattr(ticket, stamp, now)
                _escalate(ticket, which, now)
                escalated += 1
    return escalated
