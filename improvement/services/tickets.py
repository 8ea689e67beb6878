"""The ticket lifecycle. Every change writes a TicketEvent in the same transaction and publishes
it (notifications and webhooks go out through the outbox after commit).

States: open → in_progress → resolved → verified, and resolved/verified → reopened → … .
Department members work their own department's tickets but never verify or reopen; nobody
verifies a ticket they resolved themselves; CX managers (and keys with `manage`) reopen.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from cem.models import Membership
from improvement import sla
from improvement.access import SYSTEM, Actor
from improvement.models import Priority, Ticket, TicketEvent, TicketEvidence
from improvement.services.publish import TICKET_CREATED, TICKET_UPDATED, publish_ticket_event
from improvement.services.routing import route_department
from voice.models import Feedback

S = Ticket.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.OPEN: (S.IN_PROGRESS, S.RESOLVED),
    S.IN_PROGRESS: (S.RESOLVED, S.OPEN),
    S.REOPENED: (S.IN_PROGRESS, S.RESOLVED),
    S.RESOLVED: (S.VERIFIED, S.REOPENED),
    S.VERIFIED: (S.REOPENED,),
}
MANAGER_ONLY = (S.VERIFIED, S.REOPENED)

ERR_NOT_ALLOWED = _("You may not change this ticket.")
ERR_BAD_TRANSITION = _("A ticket cannot go from {from_status} to {to_status}.")
ERR_MANAGERS_ONLY = _("Only a CX manager can verify or reopen a ticket.")
ERR_VERIFY_OWN = _("You resolved this ticket yourself: another CX manager verifies it.")
ERR_REOPEN_CONFLICT = _("This rule already has an active ticket (#{id}) for the same scope: "
                        "continue there.")
ERR_EMPTY_COMMENT = _("Write a comment.")
ERR_TITLE = _("Give the ticket a title.")
ERR_ASSIGNEE = _("The assignee must be a member of this organization who can work tickets.")
ERR_ASSIGNEE_DEPARTMENT = _("A department member can only be assigned their department's tickets.")
ERR_PRIORITY = _("Unknown priority.")
ERR_DEPARTMENT = _("The department does not belong to this organization.")
ERR_MEMBER_DEPARTMENT = _("Department members open tickets for their own department.")
ERR_UNKNOWN_FEEDBACK = _("Unknown feedback: {ids}.")


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)


def event_record(*, ticket: Ticket, kind: str, actor: Actor, at=None, **fields) -> TicketEvent:
    """Write one history row of `ticket` (the caller holds the transaction)."""
    return TicketEvent.objects.create(
        organization_id=ticket.organization_id, ticket=ticket, kind=kind, actor=actor.user,
        actor_label=actor.label, created_at=at or timezone.now(), **fields)


def _mark_first_response(ticket: Ticket, actor: Actor, now) -> None:
    """The first human (or partner) action by someone other than the ticket's creator."""
    if ticket.first_response_at is None and actor.role != SYSTEM and (
            actor.user_id is None or actor.user_id != ticket.created_by_id):
        ticket.first_response_at = now


def _require_work(ticket: Ticket, actor: Actor) -> None:
    if not actor.can_work(ticket):
        raise ApplicationError(ERR_NOT_ALLOWED, status_code=403)


def feedback_for_evidence(*, organization, feedback_ids) -> list[int]:
    """The given ids, checked to be this organization's feedback (else 400 naming them)."""
    wanted = list(dict.fromkeys(int(i) for i in feedback_ids))
    found = set(Feedback.objects.filter(organization=organization, pk__in=wanted)
                .values_list("pk", flat=True))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ApplicationError(ERR_UNKNOWN_FEEDBACK.format(ids=", ".join(map(str, missing))),
                               field="feedback")
    return wanted


def evidence_link(*, ticket: Ticket, feedback_ids, actor: Actor, after_resolution=False) -> list[int]:
    """Link feedback to a locked or new ticket; returns the ids that were not linked before."""
    existing = set(TicketEvidence.objects.filter(ticket=ticket, feedback_id__in=feedback_ids)
                   .values_list("feedback_id", flat=True))
    new = [i for i in dict.fromkeys(feedback_ids) if i not in existing]
    TicketEvidence.objects.bulk_create(
        [TicketEvidence(organization_id=ticket.organization_id, ticket=ticket, feedback_id=i,
                        added_by=actor.user, after_resolution=after_resolution) for i in new],
        ignore_conflicts=True)
    return new


def _check_creation(organization, actor: Actor, title: str, priority: str, department) -> None:
    if not actor.can_write_tickets:
        raise ApplicationError(ERR_NOT_ALLOWED, status_code=403)
    if not title.strip():
        raise ApplicationError(ERR_TITLE, field="title")
    if priority not in Priority.values:
        raise ApplicationError(ERR_PRIORITY, field="priority")
    if department is not None and department.organization_id != organization.pk:
        raise ApplicationError(ERR_DEPARTMENT, field="department")
    if actor.is_department_member and department is not None and department.pk != actor.department_id:
        raise ApplicationError(ERR_MEMBER_DEPARTMENT, field="department")


@transaction.atomic
def ticket_create(*, organization, actor: Actor, title: str, description: str = "",
                  priority: str = Priority.NORMAL, department=None, touchpoint=None, topic=None,
                  channel: str = "", feedback_ids=(), source: str = Ticket.Source.MANUAL) -> Ticket:
    """Open a ticket by hand (or from a feedback), routed when no department is given."""
    _check_creation(organization, actor, title, priority, department)
    if department is None and actor.is_department_member:
        department = Membership.objects.get(organization=organization, user=actor.user).department
    evidence = feedback_for_evidence(organization=organization, feedback_ids=feedback_ids)
    department = department or route_department(organization=organization, touchpoint=touchpoint,
                                                topic=topic)
    now = timezone.now()
    response_due, due = sla.due_times(organization=organization, priority=priority, start=now)
    ticket = Ticket.objects.create(
        organization=organization, title=title.strip()[:200], description=description, source=source,
        priority=priority, department=department, touchpoint=touchpoint, topic=topic, channel=channel,
        created_by=actor.user, created_at=now, first_response_due_at=response_due, due_at=due)
    evidence_link(ticket=ticket, feedback_ids=evidence, actor=actor)
    event = event_record(ticket=ticket, kind=TicketEvent.Kind.CREATED, actor=actor, at=now,
                         to_status=ticket.status, data={"evidence": len(evidence)})
    publish_ticket_event(ticket=ticket, event=event, name=TICKET_CREATED)
    return ticket


def _check_transition(ticket: Ticket, to_status: str, actor: Actor) -> None:
    if to_status not in TRANSITIONS.get(ticket.status, ()):
        raise ApplicationError(ERR_BAD_TRANSITION.format(
            from_status=Ticket.Status(ticket.status).label,
            to_status=Ticket.Status(to_status).label if to_status in S.values else to_status),
            field="to_status", status_code=409)
    if to_status in MANAGER_ONLY and not actor.can_manage:
        raise ApplicationError(ERR_MANAGERS_ONLY, status_code=403)
    _require_work(ticket, actor)
    if to_status == S.VERIFIED and actor.user_id and actor.user_id == ticket.resolved_by_id:
        raise ApplicationError(ERR_VERIFY_OWN, status_code=403)


def _apply_transition(ticket: Ticket, to_status: str, actor: Actor, now) -> None:
    if to_status == S.IN_PROGRESS and ticket.assignee_id is None and actor.user is not None:
        ticket.assignee = actor.user
    if to_status == S.RESOLVED:
        ticket.resolved_at, ticket.resolved_by = now, actor.user
        ticket.effect, ticket.effect_final = {}, False
    elif to_status == S.VERIFIED:
        ticket.verified_at = now
    elif to_status == S.REOPENED:
        ticket.resolved_at = ticket.resolved_by = ticket.verified_at = None
        ticket.response_escalated_at = ticket.resolution_escalated_at = None
        _, ticket.due_at = sla.due_times(organization=ticket.organization, priority=ticket.priority,
                                         start=now)
    ticket.status = to_status
    _mark_first_response(ticket, actor, now)


@transaction.atomic
def ticket_transition(*, ticket: Ticket, to_status: str, actor: Actor, comment: str | None = None
                      ) -> Ticket:
    """Move a ticket along its state machine, checking who may; writes the TicketEvent.

    Raises ApplicationError: 409 for a move the current status does not allow (or a reopen
    that would make a second active ticket of the same rule and scope), 403 for the actor.
    """
    ticket = _locked(ticket)
    _check_transition(ticket, to_status, actor)
    from_status, now = ticket.status, timezone.now()
    _apply_transition(ticket, to_status, actor, now)
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:
        other = Ticket.objects.filter(organization_id=ticket.organization_id, rule_id=ticket.rule_id,
                                      scope_key=ticket.scope_key, status__in=Ticket.ACTIVE).first()
        raise ApplicationError(ERR_REOPEN_CONFLICT.format(id=getattr(other, "pk", "?")),
                               field="to_status", status_code=409)
    event = event_record(ticket=ticket, kind=TicketEvent.Kind.STATUS, actor=actor, at=now,
                         from_status=from_status, to_status=to_status, comment=(comment or "").strip())
    publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)
    if to_status == S.RESOLVED:
        from improvement.services.effect import effect_schedule

        effect_schedule(ticket=ticket)
    return ticket


@transaction.atomic
def ticket_comment(*, ticket: Ticket, actor: Actor, text: str) -> TicketEvent:
    """Add a comment (counts as the first response when it is one)."""
    if not text or not text.strip():
        raise ApplicationError(ERR_EMPTY_COMMENT, field="text")
    ticket = _locked(ticket)
    _require_work(ticket, actor)
    now = timezone.now()
    if ticket.first_response_at is None:
        _mark_first_response(ticket, actor, now)
        ticket.save(update_fields=["first_response_at", "updated_at"])
    event = event_record(ticket=ticket, kind=TicketEvent.Kind.COMMENT, actor=actor, at=now,
                         comment=text.strip())
    publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)
    return event


def _check_assignee(ticket: Ticket, assignee) -> None:
    membership = Membership.objects.filter(organization_id=ticket.organization_id,
                                           user=assignee).first()
    if membership is None or membership.role == Membership.Role.VIEWER:
        raise ApplicationError(ERR_ASSIGNEE, field="assignee")
    if (membership.role == Membership.Role.DEPARTMENT_MEMBER
            and membership.department_id != ticket.department_id):
        raise ApplicationError(ERR_ASSIGNEE_DEPARTMENT, field="assignee")


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor: Actor, assignee) -> Ticket:
    """Give the ticket to a member (None: unassign); claiming is assigning oneself."""
    ticket = _locked(ticket)
    _require_work(ticket, actor)
    if assignee is not None:
        _check_assignee(ticket, assignee)
    if ticket.assignee_id == getattr(assignee, "pk", None):
        return ticket
    previous = ticket.assignee.username if ticket.assignee_id else ""
    now = timezone.now()
    ticket.assignee = assignee
    _mark_first_response(ticket, actor, now)
    ticket.save()
    event = event_record(ticket=ticket, kind=TicketEvent.Kind.ASSIGNED, actor=actor, at=now,
                         data={"from": previous, "to": getattr(assignee, "username", ""),
                               "to_id": getattr(assignee, "pk", None)})
    publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)
    return ticket


def ticket_claim(*, ticket: Ticket, actor: Actor) -> Ticket:
    """Assign the ticket to oneself and start work on it when it is waiting."""
    with transaction.atomic():
        ticket = ticket_assign(ticket=ticket, actor=actor, assignee=actor.user)
        if ticket.status in (S.OPEN, S.REOPENED):
            ticket = ticket_transition(ticket=ticket, to_status=S.IN_PROGRESS, actor=actor)
    return ticket


def _last_reopened_at(ticket: Ticket):
    return (TicketEvent.objects.filter(organization_id=ticket.organization_id, ticket=ticket,
                                       kind=TicketEvent.Kind.STATUS, to_status=S.REOPENED)
            .order_by("-created_at", "-id").values_list("created_at", flat=True).first())


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, actor: Actor, priority: str) -> Ticket:
    """Change the priority; the SLA due times follow the new priority from the creation time
    (the resolution due time from the last reopening, as `ticket_transition` sets it). A breach
    already escalated is escalated again if the ticket breaches its new due time."""
    if priority not in Priority.values:
        raise ApplicationError(ERR_PRIORITY, field="priority")
    ticket = _locked(ticket)
    _require_work(ticket, actor)
    if ticket.priority == priority:
        return ticket
    previous, ticket.priority = ticket.priority, priority
    ticket.first_response_due_at, ticket.due_at = sla.due_times(
        organization=ticket.organization, priority=priority, start=ticket.created_at)
    # NOTE: also once the reopened ticket was claimed (in progress): its clock runs from the reopening
    reopened_at = _last_reopened_at(ticket)
    if reopened_at is not None:
        _, ticket.due_at = sla.due_times(organization=ticket.organization, priority=priority,
                                         start=reopened_at)
    now = timezone.now()
    if ticket.first_response_due_at and ticket.first_response_due_at > now:
        ticket.response_escalated_at = None
    if ticket.due_at and ticket.due_at > now:
        ticket.resolution_escalated_at = None
    ticket.save()
    event = event_record(ticket=ticket, kind=TicketEvent.Kind.PRIORITY, actor=actor,
                         data={"from": previous, "to": priority})
    publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)
    return ticket


@transaction.atomic
def ticket_set_department(*, ticket: Ticket, actor: Actor, department) -> Ticket:
    """Re-route a ticket to another department (CX managers)."""
    if not actor.can_manage:
        raise ApplicationError(ERR_NOT_ALLOWED, status_code=403)
    if department is not None and department.organization_id != ticket.organization_id:
        raise ApplicationError(ERR_DEPARTMENT, field="department")
    ticket = _locked(ticket)
    if ticket.department_id == getattr(department, "pk", None):
        return ticket
    previous = ticket.department.name if ticket.department_id else ""
    ticket.department = department
    ticket.save()
    event = event_record(ticket=ticket, kind=TicketEvent.Kind.DEPARTMENT, actor=actor,
                         data={"from": previous, "to": getattr(department, "name", "")})
    publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)
    return ticket


@transaction.atomic
def ticket_add_evidence(*, ticket: Ticket, actor: Actor, feedback_ids) -> list[int]:
    """Link feedback as evidence by hand; returns the ids that were new."""
    ticket = _locked(ticket)
    _require_work(ticket, actor)
    ids = feedback_for_evidence(organization=ticket.organization, feedback_ids=feedback_ids)
    new = evidence_link(ticket=ticket, feedback_ids=ids, actor=actor,
                        after_resolution=not ticket.is_active)
    if new:
        event = event_record(ticket=ticket, kind=TicketEvent.Kind.EVIDENCE, actor=actor,
                             data={"feedback_ids": new})
        publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)
    return new
