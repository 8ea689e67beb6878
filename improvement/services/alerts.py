"""Opening tickets from alert rules: one active ticket per rule and scope, bursts add evidence.

`ticket_open_for_alert` is safe against duplicate and concurrent evaluations (ACCEPTANCE R3,
R4): it locks the active ticket of (rule, scope) if there is one; otherwise it inserts one, and
the partial unique constraint `ticket_one_active_per_rule_scope` turns a racing second insert
into "add evidence to the winner's ticket". Within the rule's cooldown after its last ticket
was resolved, a new burst is linked to that ticket instead of opening another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from improvement import sla
from improvement.access import Actor
from improvement.models import AlertRule, Ticket, TicketEvent
from improvement.services.publish import TICKET_CREATED, TICKET_UPDATED, publish_ticket_event
from improvement.services.routing import route_department
from improvement.services.tickets import event_record, evidence_link

#: Evidence linked when a ticket opens (the most recent feedback of the burst).
MAX_OPENING_EVIDENCE = 50


@dataclass(frozen=True)
class AlertScope:
    """What a firing is about; `key` identifies it for the one-active-ticket rule."""

    key: str
    title: str
    description: str = ""
    touchpoint: object = None
    topic: object = None
    channel: str = ""
    trigger: dict = field(default_factory=dict)


def _active(rule: AlertRule, key: str) -> Ticket | None:
    return (Ticket.objects.select_for_update(of=("self",))
            .filter(organization_id=rule.organization_id, rule=rule, scope_key=key,
                    status__in=Ticket.ACTIVE).first())


def _in_cooldown(rule: AlertRule, key: str, now) -> Ticket | None:
    if not rule.cooldown_minutes:
        return None
    since = now - timedelta(minutes=rule.cooldown_minutes)
    return (Ticket.objects.select_for_update(of=("self",))
            .filter(organization_id=rule.organization_id, rule=rule, scope_key=key,
                    resolved_at__gte=since).order_by("-resolved_at").first())


def _add_burst(ticket: Ticket, feedback_ids: list[int], scope: AlertScope, actor: Actor) -> None:
    new = evidence_link(ticket=ticket, feedback_ids=feedback_ids, actor=actor,
                        after_resolution=not ticket.is_active)
    if new:
        event = event_record(ticket=ticket, kind=TicketEvent.Kind.EVIDENCE, actor=actor,
                             data={"feedback_ids": new, "trigger": scope.trigger})
        publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)


def _create(rule: AlertRule, scope: AlertScope, now) -> Ticket:
    department = route_department(organization=rule.organization, rule=rule,
                                  touchpoint=scope.touchpoint, topic=scope.topic)
    response_due, due = sla.due_times(organization=rule.organization, priority=rule.priority, start=now)
    return Ticket.objects.create(
        organization=rule.organization, title=scope.title[:200], description=scope.description,
        source=Ticket.Source.RULE, rule=rule, scope_key=scope.key, priority=rule.priority,
        department=department, touchpoint=scope.touchpoint, topic=scope.topic, channel=scope.channel,
        trigger=scope.trigger, created_at=now, first_response_due_at=response_due, due_at=due)


@transaction.atomic
def ticket_open_for_alert(*, rule: AlertRule, scope: AlertScope, feedback_ids: list[int],
                          may_open: bool = True) -> tuple[Ticket | None, bool]:
    """Open the (rule, scope) ticket or add the feedback to it; returns (ticket, created).

    With `may_open=False` only an existing ticket (active, or in cooldown) gets the evidence.
    """
    actor, now = Actor.system(label=rule.name[:150]), timezone.now()
    ticket = _active(rule, scope.key) or _in_cooldown(rule, scope.key, now)
    if ticket is None and may_open:
        try:
            with transaction.atomic():
                ticket = _create(rule, scope, now)
        except IntegrityError:
            ticket = _active(rule, scope.key)  # NOTE: a concurrent evaluation opened it first.
        else:
            linked = evidence_link(ticket=ticket, feedback_ids=feedback_ids[:MAX_OPENING_EVIDENCE], actor=actor)
            event = event_record(ticket=ticket, kind=TicketEvent.Kind.CREATED, actor=actor, at=now,
                                 to_status=ticket.status, data={"trigger": scope.trigger,
                                                                "evidence": len(linked)})
            publish_ticket_event(ticket=ticket, event=event, name=TICKET_CREATED)
            AlertRule.objects.filter(pk=rule.pk).update(last_fired_at=now)
            return ticket, True
    if ticket is not None:
        _add_burst(ticket, feedback_ids, scope, actor)
    return ticket, False
