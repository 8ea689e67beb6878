"""The windowed metric rules, evaluated by beat: the metric over the last `window_minutes` on the
rule's scope (touchpoint, channel), compared with the threshold once `min_responses` is met.

A breach opens the (rule, scope) ticket or, while one is active or the rule cools down, adds the
window's negative feedback to it as evidence: re-running the evaluation never duplicates.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cem.errors import ApplicationError
from improvement.models import AlertRule
from improvement.services.alerts import AlertScope, ticket_open_for_alert
from metrics.selectors import metric_value
from voice.models import Feedback, Sentiment

logger = logging.getLogger(__name__)
#: Negative feedback of the window linked as evidence to a metric ticket.
MAX_EVIDENCE = 20


def metric_rule_filters(rule: AlertRule) -> dict:
    filters = {"touchpoint": rule.touchpoint.key if rule.touchpoint_id else None,
               "channel": rule.channel or None}
    return {k: v for k, v in filters.items() if v}


def breached(rule: AlertRule, value: dict) -> bool:
    """True when the window has enough responses and its value is past the threshold."""
    if value.get("value") is None or (value.get("responses") or 0) < rule.min_responses:
        return False
    return value["value"] < rule.threshold if rule.comparison == "lt" else value["value"] > rule.threshold


def _evidence(rule: AlertRule, start, end) -> list[int]:
    rows = Feedback.objects.filter(organization_id=rule.organization_id, occurred_at__gte=start,
                                   occurred_at__lt=end, sentiment_label=Sentiment.NEGATIVE)
    if rule.touchpoint_id:
        rows = rows.filter(touchpoint_id=rule.touchpoint_id)
    if rule.channel:
        rows = rows.filter(channel=rule.channel)
    return list(rows.order_by("-occurred_at", "-id").values_list("pk", flat=True)[:MAX_EVIDENCE])


def _scope(rule: AlertRule, value: dict, start, end) -> AlertScope:
    where = " · ".join(x for x in (rule.touchpoint.name if rule.touchpoint_id else "", rule.channel) if x)
    shown = round(value["value"], 1)
    trigger = {"kind": rule.kind, "metric": rule.metric, "value": value["value"],
               "responses": value.get("responses"), "comparison": rule.comparison,
               "threshold": rule.threshold, "window_minutes": rule.window_minutes,
               "window_start": start.isoformat(), "window_end": end.isoformat()}
    return AlertScope(
        key=f"tp:{rule.touchpoint_id or ''}|ch:{rule.channel}",
        title=f"{rule.metric.upper()} {shown:g}（{where or '全部'}，阈值 {rule.threshold:g}）",
        description=rule.name, touchpoint=rule.touchpoint, channel=rule.channel, trigger=trigger)


@transaction.atomic
def alert_rule_evaluate_metric(*, rule: AlertRule, now=None) -> bool:
    """Evaluate one metric rule over the window ending now; returns whether it breached."""
    now = now or timezone.now()
    start = now - timedelta(minutes=rule.window_minutes)
    value = metric_value(organization=rule.organization, metric=rule.metric, start=start, end=now,
                         filters=metric_rule_filters(rule) or None)
    AlertRule.objects.filter(pk=rule.pk).update(last_evaluated_at=now)
    if not breached(rule, value):
        return False
    ticket_open_for_alert(rule=rule, scope=_scope(rule, value, start, now),
                          feedback_ids=_evidence(rule, start, now))
    return True


def alert_rules_evaluate_metrics(*, organization_id: int, now=None) -> int:
    """Evaluate every enabled metric rule of the organization; returns how many breached."""
    rules = AlertRule.objects.filter(organization_id=organization_id, is_enabled=True,
                                     kind=AlertRule.Kind.METRIC_THRESHOLD).select_related(
        "organization", "touchpoint__department", "department")
    breaches = 0
    for rule in rules:
        try:
            breaches += alert_rule_evaluate_metric(rule=rule, now=now)
        except ApplicationError:
            # NOTE: e.g. the rule's touchpoint was deleted meanwhile; the other rules still run.
            logger.warning("metric rule %s skipped", rule.pk, exc_info=True)
    return breaches
