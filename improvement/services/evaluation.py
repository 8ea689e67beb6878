"""Evaluating alert rules: the rules a newly analyzed feedback can trigger (workers), and the
windowed metric rules (beat).

Idempotent (ACCEPTANCE R3/R4): each (rule, feedback) is counted once through RuleMatch; a run
only acts on the matches it inserted itself, so a redelivered or duplicated evaluation finds
nothing new. Feedback that occurred more than ALERT_LOOKBACK_HOURS ago (historical imports)
never fires a rule.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from improvement.models import AlertRule, RuleMatch
from improvement.services.alerts import AlertScope, ticket_open_for_alert
from voice.models import Feedback, FeedbackTopic, Sentiment

K = AlertRule.Kind
#: Negative feedback linked when a topic rule opens a ticket.
MAX_WINDOW_EVIDENCE = 50


def keyword_hits(rule: AlertRule, text: str) -> list[str]:
    lowered = text.lower()
    return [k for k in rule.keywords if k.lower() in lowered]


def _matches(rules: list[AlertRule], rows: list[Feedback]) -> list[tuple[AlertRule, Feedback]]:
    pairs = []
    for row in rows:
        topic_ids = {link.topic_id for link in row.topic_links.all()}
        for rule in rules:
            if rule.kind == K.KEYWORD and keyword_hits(rule, row.text):
                pairs.append((rule, row))
            elif (rule.kind == K.TOPIC_NEGATIVE_COUNT and rule.topic_id in topic_ids
                  and row.sentiment_label == Sentiment.NEGATIVE):
                pairs.append((rule, row))
    return pairs


def _claim_matches(organization_id: int, pairs) -> set[tuple[int, int]]:
    """Insert RuleMatch rows; returns the (rule id, feedback id) pairs this run inserted."""
    run = uuid.uuid4().hex
    RuleMatch.objects.bulk_create(
        [RuleMatch(organization_id=organization_id, rule=rule, feedback=row, run=run) for rule, row in pairs],
        ignore_conflicts=True)
    return set(RuleMatch.objects.filter(organization_id=organization_id, run=run)
               .values_list("rule_id", "feedback_id"))


def _keyword_fire(rule: AlertRule, row: Feedback) -> None:
    hits = keyword_hits(rule, row.text)
    topic = next((link.topic for link in row.topic_links.all() if link.polarity == "pain"), None)
    scope = AlertScope(
        key=f"feedback:{row.pk}", title=f"「{'、'.join(hits)}」{row.text[:60]}",
        description=row.text[:2000], touchpoint=row.touchpoint, topic=topic, channel=row.channel,
        trigger={"kind": rule.kind, "keywords": hits, "feedback": row.pk})
    ticket_open_for_alert(rule=rule, scope=scope, feedback_ids=[row.pk])


def _topic_fire(rule: AlertRule, new_rows: list[Feedback]) -> None:
    anchor = max(row.occurred_at for row in new_rows)
    window_start = anchor - timedelta(minutes=rule.window_minutes)
    # NOTE: EXISTS rather than a join + DISTINCT: the count runs on the (organization,
    # sentiment_label, occurred_at) index and never sorts.
    on_topic = FeedbackTopic.objects.filter(organization_id=rule.organization_id, feedback_id=OuterRef("pk"),
                                            topic_id=rule.topic_id)
    negatives = Feedback.objects.filter(
        Exists(on_topic), organization_id=rule.organization_id, status=Feedback.Status.ANALYZED,
        sentiment_label=Sentiment.NEGATIVE, occurred_at__gt=window_start, occurred_at__lte=anchor)
    count = negatives.order_by().count()
    trigger = {"kind": rule.kind, "topic": rule.topic.name, "count": count,
               "threshold": rule.threshold, "window_minutes": rule.window_minutes,
               "window_end": anchor.isoformat()}
    scope = AlertScope(
        key=f"topic:{rule.topic_id}", title=f"{rule.topic.name}：{rule.window_minutes} 分钟内 {count} 条负面反馈",
        description=f"{rule.name}", topic=rule.topic, trigger=trigger)
    if count >= rule.threshold:
        ids = list(negatives.order_by("-occurred_at", "-id").values_list("pk", flat=True)[:MAX_WINDOW_EVIDENCE])
        ticket_open_for_alert(rule=rule, scope=scope, feedback_ids=ids)
    else:
        ticket_open_for_alert(rule=rule, scope=scope, feedback_ids=[r.pk for r in new_rows],
                              may_open=False)


@transaction.atomic
def alert_rules_evaluate_feedback(*, organization_id: int, feedback_ids: list[int]) -> int:
    """Run the feedback rules (keyword, topic negative count) over newly analyzed rows.

    Returns how many (rule, feedback) matches were new. Re-running is a no-op.
    """
    rules = list(AlertRule.objects.filter(organization_id=organization_id, is_enabled=True,
                                          kind__in=(K.KEYWORD, K.TOPIC_NEGATIVE_COUNT))
                 .select_related("organization", "topic__department", "department"))
    if not rules:
        return 0
    cutoff = timezone.now() - timedelta(hours=settings.ALERT_LOOKBACK_HOURS)
    rows = list(Feedback.objects.filter(organization_id=organization_id, pk__in=feedback_ids,
                                        status=Feedback.Status.ANALYZED, occurred_at__gte=cutoff)
                .select_related("touchpoint__department").prefetch_related("topic_links__topic__department"))
    new = _claim_matches(organization_id, _matches(rules, rows))
    by_id = {row.pk: row for row in rows}
    for rule in rules:
        mine = [by_id[f] for r, f in sorted(new) if r == rule.pk]
        if not mine:
            continue
        if rule.kind == K.KEYWORD:
            for row in mine:
                _keyword_fire(rule, row)
        elif rule.topic_id is not None:
            _topic_fire(rule, mine)
    return len(new)


#: The periodic safety net re-reads feedback analyzed this recently (a lost evaluation message).
SWEEP_WINDOW = timedelta(minutes=15)


def alert_rules_sweep_recent(*, organization_id: int) -> int:
    """Evaluate the feedback rules over rows analyzed in the last SWEEP_WINDOW: covers an
    evaluation task lost with the broker (idempotent, so rows already evaluated add nothing)."""
    if not AlertRule.objects.filter(organization_id=organization_id, is_enabled=True,
                                    kind__in=(K.KEYWORD, K.TOPIC_NEGATIVE_COUNT)).exists():
        return 0
    ids = list(Feedback.objects.filter(organization_id=organization_id, status=Feedback.Status.ANALYZED,
                                       analyzed_at__gte=timezone.now() - SWEEP_WINDOW)
               .order_by("pk").values_list("pk", flat=True)[:5000])
    return alert_rules_evaluate_feedback(organization_id=organization_id, feedback_ids=ids) if ids else 0
