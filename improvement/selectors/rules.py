"""Reads of alert rules."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from improvement.models import AlertRule, Ticket


def alert_rule_list(*, organization, filters: dict | None = None) -> QuerySet[AlertRule]:
    """Rules newest first with their objects and active-ticket count; filters kind, enabled."""
    filters = filters or {}
    qs = (AlertRule.objects.filter(organization=organization)
          .select_related("topic", "department", "touchpoint")
          .annotate(active_tickets=Count("tickets", filter=Q(tickets__status__in=Ticket.ACTIVE),
                                         distinct=True)))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("enabled") is not None:
        qs = qs.filter(is_enabled=filters["enabled"])
    return qs.order_by("-created_at", "-id")


def alert_rule_get(*, organization, rule_id: int) -> AlertRule:
    """Raises AlertRule.DoesNotExist for unknown ids and other organizations' ids alike."""
    return alert_rule_list(organization=organization).get(pk=rule_id)


def organizations_with_metric_rules() -> list[int]:
    """Organization ids with an enabled metric rule (for the beat fan-out)."""
    # tenancy-exempt: the beat job walks every organization and only enqueues per-org tasks.
    return list(AlertRule.all_orgs.filter(kind=AlertRule.Kind.METRIC_THRESHOLD, is_enabled=True)
                .order_by().values_list("organization_id", flat=True).distinct())
