"""Reads of tickets: lists with the filters of the API and the workspace, one ticket with its
history and evidence. `actor` (improvement.access.Actor) decides department visibility."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from improvement.access import Actor
from improvement.models import Ticket, TicketEvent, TicketEvidence
from voice.models import FeedbackTopic

#: Board columns, in order.
BOARD_COLUMNS = (Ticket.Status.OPEN, Ticket.Status.REOPENED, Ticket.Status.IN_PROGRESS,
                 Ticket.Status.RESOLVED, Ticket.Status.VERIFIED)


def overdue_q(now=None) -> Q:
    """Active tickets past their resolution due time, or past the first-response one unanswered."""
    now = now or timezone.now()
    return Q(status__in=Ticket.ACTIVE) & (
        Q(due_at__lt=now) | Q(first_response_at__isnull=True, first_response_due_at__lt=now))


def ticket_list(*, organization, actor: Actor, filters: dict | None = None) -> QuerySet[Ticket]:
    """Tickets the actor may see, newest first. `filters`: status (value or list), department (id),
    priority, overdue (bool), rule (id), assignee (user id), source, q (title text)."""
    filters = filters or {}
    qs = (Ticket.objects.filter(organization=organization)
          .select_related("department", "assignee", "rule", "touchpoint", "topic")
          .annotate(evidence_count=Count("evidence", distinct=True)))
    if not actor.sees_all_departments:
        qs = qs.filter(department_id=actor.department_id)
    status = filters.get("status")
    if status:
        qs = qs.filter(status__in=status if isinstance(status, list | tuple) else [status])
    simple = {"department": "department_id", "priority": "priority", "rule": "rule_id",
              "assignee": "assignee_id", "source": "source", "q": "title__icontains"}
    for name, lookup in simple.items():
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{lookup: filters[name]})
    if filters.get("overdue") is True:
        qs = qs.filter(overdue_q())
    elif filters.get("overdue") is False:
        qs = qs.exclude(overdue_q())
    return qs.order_by("-created_at", "-id")


def ticket_get(*, organization, actor: Actor, ticket_id: int) -> Ticket:
    """Raises Ticket.DoesNotExist for unknown ids, other organizations and other departments."""
    return ticket_list(organization=organization, actor=actor).get(pk=ticket_id)


def ticket_events(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    return (TicketEvent.objects.filter(organization_id=ticket.organization_id, ticket=ticket)
            .select_related("actor").order_by("created_at", "id"))


def ticket_evidence(*, ticket: Ticket, limit: int | None = None) -> list[TicketEvidence]:
    """Evidence newest first, with the feedback's touchpoint and topics (quotes on the page)."""
    qs = (TicketEvidence.objects.filter(organization_id=ticket.organization_id, ticket=ticket)
          .select_related("feedback__touchpoint", "added_by")
          .prefetch_related(Prefetch("feedback__topic_links",
                                     queryset=FeedbackTopic.objects.select_related("topic")))
          .order_by("-feedback__occurred_at", "-id"))
    return list(qs[:limit] if limit else qs)


def ticket_board(*, organization, actor: Actor, filters: dict | None = None,
                 per_column: int = 50) -> dict[str, dict]:
    """{status: {"tickets": [...], "count": n}} for the board (urgent and due first)."""
    base = ticket_list(organization=organization, actor=actor,
                       filters={k: v for k, v in (filters or {}).items() if k != "status"})
    counts = dict(base.order_by().values_list("status").annotate(n=Count("id", distinct=True)))
    board = {}
    for status in BOARD_COLUMNS:
        rows = base.filter(status=status).order_by("due_at", "-created_at")
        if status in (Ticket.Status.RESOLVED, Ticket.Status.VERIFIED):
            rows = base.filter(status=status).order_by("-resolved_at", "-id")
        board[status] = {"tickets": list(rows[:per_column]), "count": counts.get(status, 0)}
    return board
