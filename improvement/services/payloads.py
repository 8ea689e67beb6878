"""What ticket and feedback events say: the generic JSON payload and a short human summary
(notification title/body, group-robot message), written in the organization's default language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from improvement.models import Priority, Ticket, TicketEvent

#: Characters of feedback text carried by a feedback.analyzed payload.
TEXT_CHARS = 1000


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def ticket_data(ticket: Ticket) -> dict:
    """The ticket as webhook consumers see it (same field names as the tickets API)."""
    return {
        "id": ticket.pk, "title": ticket.title, "status": ticket.status,
        "priority": ticket.priority, "source": ticket.source, "rule": ticket.rule_id,
        "department": ({"id": ticket.department_id, "name": ticket.department.name}
                       if ticket.department_id else None),
        "assignee": ticket.assignee.username if ticket.assignee_id else None,
        "touchpoint": ticket.touchpoint.key if ticket.touchpoint_id else None,
        "topic": ticket.topic.name if ticket.topic_id else None, "channel": ticket.channel or None,
        "created_at": _iso(ticket.created_at), "first_response_due_at": _iso(ticket.first_response_due_at),
        "due_at": _iso(ticket.due_at), "resolved_at": _iso(ticket.resolved_at),
        "url": settings.PUBLIC_BASE_URL + reverse("ticket-detail", kwargs={"ticket_id": ticket.pk}),
    }


def ticket_payload(*, ticket: Ticket, event: TicketEvent, name: str) -> dict:
    return {
        "event": name, "occurred_at": _iso(event.created_at),
        "organization": {"id": ticket.organization_id, "slug": ticket.organization.slug},
        "ticket": ticket_data(ticket),
        "change": {"kind": event.kind, "from_status": event.from_status or None,
                   "to_status": event.to_status or None, "comment": event.comment,
                   "actor": event.actor_label, "data": event.data},
    }


def _change_text(event: TicketEvent) -> str:
    kind = TicketEvent.Kind
    if event.kind == kind.STATUS:
        return _("Status: %(from)s → %(to)s") % {
            "from": Ticket.Status(event.from_status).label, "to": Ticket.Status(event.to_status).label}
    if event.kind == kind.COMMENT:
        return _("New comment: %(text)s") % {"text": event.comment[:200]}
    if event.kind == kind.ASSIGNED:
        return _("Assigned to %(name)s") % {"name": event.data.get("to") or "—"}
    if event.kind == kind.EVIDENCE:
        return _("%(n)d new feedback linked as evidence") % {"n": len(event.data.get("feedback_ids", []))}
    if event.kind == kind.ESCALATED:
        return _("Overdue: %(what)s") % {"what": event.comment}
    return str(TicketEvent.Kind(event.kind).label)


def ticket_summary(*, ticket: Ticket, event: TicketEvent, name: str) -> dict:
    """{"title", "body"} in the default language, for the bell, e-mails and robots."""
    with translation.override(settings.LANGUAGE_CODE):
        heading = {
            "ticket.created": _("New ticket #%(id)d: %(title)s"),
            "ticket.overdue": _("Overdue ticket #%(id)d: %(title)s"),
        }.get(name, _("Ticket #%(id)d updated: %(title)s")) % {"id": ticket.pk, "title": ticket.title}
        lines = [
            _("Priority: %(p)s · Department: %(d)s") % {
                "p": Priority(ticket.priority).label,
                "d": ticket.department.name if ticket.department_id else _("unrouted")},
        ]
        if name != "ticket.created":
            lines.append(_change_text(event))
        elif ticket.description:
            lines.append(ticket.description[:300])
        if ticket.due_at:
            lines.append(_("Resolution due: %(due)s") % {
                "due": ticket.due_at.astimezone(ticket.organization.tzinfo).strftime("%Y-%m-%d %H:%M")})
        return {"title": heading, "body": "\n".join(str(line) for line in lines)}


def feedback_payload(*, organization, rows) -> dict:
    """feedback.analyzed: the analysis of each row (text cut at TEXT_CHARS)."""
    return {
        "event": "feedback.analyzed",
        "organization": {"id": organization.pk, "slug": organization.slug},
        "feedback": [{
            "id": row.pk, "external_id": row.external_id, "channel": row.channel,
            "touchpoint": row.touchpoint.key if row.touchpoint_id else None,
            "text": row.text[:TEXT_CHARS], "nps": row.nps, "csat": row.csat, "ces": row.ces,
            "occurred_at": _iso(row.occurred_at), "analyzed_at": _iso(row.analyzed_at),
            "sentiment": ({"label": row.sentiment_label, "score": row.sentiment_score}
                          if row.sentiment_label else None),
            "topics": [{"name": link.topic.name, "polarity": link.polarity}
                       for link in row.topic_links.all()],
        } for row in rows],
    }
