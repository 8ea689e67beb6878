"""Effect verification (效果验收): the metric on the ticket's scope over two equal windows, the
EFFECT_WINDOW_DAYS before the ticket was opened and the same length after it was resolved.

Negative share and CSAT (proportions): two-proportion z-test. NPS: seeded bootstrap interval.
CES, first response and resolution times: the numbers, without a test. The result is stored on
the ticket at resolution (provisional while the after window runs) and recomputed when the
after window completes (final; a TicketEvent tells the CX managers).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cem.errors import ApplicationError
from improvement import stats
from improvement.access import Actor
from improvement.models import AlertRule, Ticket, TicketEvent
from improvement.services.publish import TICKET_UPDATED, publish_ticket_event
from improvement.services.tickets import event_record
from metrics import definitions
from metrics.selectors import metric_value

HIGHER_IS_BETTER = {"nps": True, "csat": True, "ces": True, "negative_share": False, "frt": False,
                    "resolution": False}
#: Responses each window needs before a test is run.
MIN_RESPONSES = 10
#: A provisional result older than this is recomputed by the periodic task.
REFRESH_AFTER = timedelta(hours=1)


def effect_scope(ticket: Ticket) -> tuple[str, dict]:
    """(metric, metrics filters) the ticket is judged on."""
    rule = ticket.rule
    if rule is not None and rule.kind == AlertRule.Kind.METRIC_THRESHOLD:
        filters = {"touchpoint": rule.touchpoint.key if rule.touchpoint_id else None,
                   "channel": rule.channel or None}
        return rule.metric, {k: v for k, v in filters.items() if v}
    if ticket.touchpoint_id:
        return "negative_share", {"touchpoint": ticket.touchpoint.key}
    if ticket.topic_id:
        return "negative_share", {"topic": ticket.topic.name}
    return "negative_share", ({"channel": ticket.channel} if ticket.channel else {})


def _window(organization, metric: str, start, end, filters: dict) -> dict:
    """The metric over [start, end); an empty window (the after window at resolution) has no data."""
    if end <= start:
        return {"value": None, "responses": 0, "start": start.isoformat(), "end": end.isoformat()}
    value = metric_value(organization=organization, metric=metric, start=start, end=end,
                         filters=filters or None)
    return {**value, "start": start.isoformat(), "end": end.isoformat()}


def _nps(promoters: int, passives: int, detractors: int) -> float:
    """The NPS formula of metrics.definitions (one definition), for the bootstrap."""
    return definitions.nps(promoters=promoters, passives=passives, detractors=detractors)["value"]


def _test(metric: str, before: dict, after: dict) -> dict:
    higher = HIGHER_IS_BETTER[metric]
    if min(before.get("responses") or 0, after.get("responses") or 0) < MIN_RESPONSES:
        return {"method": None, "verdict": "insufficient_data"}
    if metric in ("negative_share", "csat"):
        key = "negatives" if metric == "negative_share" else "satisfied"
        result = stats.two_proportion_z_test(before[key], before["responses"], after[key], after["responses"])
        return {"method": "two_proportion_z_test", **result,
                "verdict": stats.verdict_from_p(result["difference"], result["p_value"],
                                                higher_is_better=higher)}
    if metric == "nps":
        counts = [[w["promoters"], w["passives"], w["detractors"]] for w in (before, after)]
        result = stats.bootstrap_difference(counts[0], counts[1], _nps)
        return {"method": "bootstrap", **result,
                "verdict": stats.verdict_from_interval(result["ci_low"], result["ci_high"],
                                                       higher_is_better=higher)}
    return {"method": None, "verdict": "not_tested"}


def effect_compute(*, ticket: Ticket, now=None) -> dict:
    """The before/after comparison for a resolved ticket (see the module docstring)."""
    now = now or timezone.now()
    metric, filters = effect_scope(ticket)
    span = timedelta(days=settings.EFFECT_WINDOW_DAYS)
    after_end = ticket.resolved_at + span
    try:
        before = _window(ticket.organization, metric, ticket.created_at - span, ticket.created_at, filters)
        after = _window(ticket.organization, metric, ticket.resolved_at, min(now, after_end), filters)
    except ApplicationError as exc:
        # NOTE: the touchpoint or topic of the scope was deleted meanwhile: say so, do not crash.
        return {"metric": metric, "filters": filters, "verdict": "scope_gone", "error": str(exc.message),
                "final": True, "computed_at": now.isoformat()}
    return {"metric": metric, "filters": filters, "window_days": settings.EFFECT_WINDOW_DAYS,
            "before": before, "after": after, **_test(metric, before, after),
            "final": now >= after_end, "after_complete_at": after_end.isoformat(),
            "computed_at": now.isoformat(), "resolved_at": ticket.resolved_at.isoformat()}


def effect_schedule(*, ticket: Ticket) -> None:
    """Compute the effect of a resolved ticket after commit."""
    from improvement.services.publish import safe_delay
    from improvement.tasks import compute_ticket_effect

    transaction.on_commit(partial(safe_delay, compute_ticket_effect, ticket.organization_id, ticket.pk))


@transaction.atomic
def ticket_effect_refresh(*, organization_id: int, ticket_id: int, now=None) -> dict | None:
    """Store the effect of a resolved/verified ticket; idempotent (a final result is kept)."""
    ticket = (Ticket.objects.select_for_update(of=("self",))
              .select_related("organization", "rule__touchpoint", "touchpoint", "topic")
              .filter(organization_id=organization_id, pk=ticket_id,
                      status__in=(Ticket.Status.RESOLVED, Ticket.Status.VERIFIED),
                      resolved_at__isnull=False, effect_final=False).first())
    if ticket is None:
        return None
    effect = effect_compute(ticket=ticket, now=now)
    ticket.effect, ticket.effect_final = effect, effect["final"]
    ticket.save(update_fields=["effect", "effect_final", "updated_at"])
    if effect["final"]:
        event = event_record(ticket=ticket, kind=TicketEvent.Kind.EFFECT, actor=Actor.system(),
                             data={"verdict": effect["verdict"], "metric": effect["metric"]})
        publish_ticket_event(ticket=ticket, event=event, name=TICKET_UPDATED)
    return effect


def tickets_effect_due(*, organization_id: int, now=None) -> list[int]:
    """Resolved tickets whose effect is missing, stale, or whose after window has completed."""
    now = now or timezone.now()
    span = timedelta(days=settings.EFFECT_WINDOW_DAYS)
    rows = Ticket.objects.filter(organization_id=organization_id, effect_final=False,
                                 resolved_at__isnull=False,
                                 status__in=(Ticket.Status.RESOLVED, Ticket.Status.VERIFIED))
    due = Q(resolved_at__lte=now - span) | Q(updated_at__lte=now - REFRESH_AFTER) | Q(effect={})
    return list(rows.filter(due).values_list("pk", flat=True)[:500])
