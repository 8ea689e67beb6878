"""Demo data of the closed loop (seed_demo step 40, after journeys 10 and feedback 20).

Idempotent: rules are found by name and tickets by title, so re-running adds nothing. Tickets
cover every state (open, in progress, resolved, verified, reopened, one overdue), quote the
demo feedback when it exists, and carry a realistic, back-dated history.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cem.models import Department, Membership
from improvement import sla
from improvement.access import Actor
from improvement.models import AlertRule, Notification, Ticket, TicketEvent
from improvement.services import routing, rules, tickets
from improvement.services.effect import ticket_effect_refresh
from improvement.services.escalation import tickets_escalate_overdue
from journeys.models import Touchpoint
from voice.models import Feedback, Sentiment, Topic

#: Topics the rules need (name, keywords, owning department) when the taxonomy lacks them.
TOPICS = (("物流配送", ["快递", "物流", "配送", "送货", "发货"], "物流部"),
          ("产品质量", ["质量", "破损", "坏了", "瑕疵"], "质量部"),
          ("服务态度", ["客服", "态度", "热线"], "客服中心"))
H = timedelta(hours=1)


def _topics(org) -> dict[str, Topic]:
    departments = {d.name: d for d in Department.objects.filter(organization=org)}
    found = {}
    for name, keywords, owner in TOPICS:
        topic, _created = Topic.objects.get_or_create(organization=org, name=name,
                                                      defaults={"keywords": keywords})
        if topic.department_id is None and owner in departments:
            routing.topic_set_owner(organization=org, topic=topic, department=departments[owner])
        found[name] = topic
    return found


def _rule(org, name: str, data: dict) -> AlertRule:
    existing = AlertRule.objects.filter(organization=org, name=name).first()
    return existing or rules.alert_rule_create(organization=org, data={**data, "name": name})


def _rules(org, topics: dict[str, Topic], departments: dict) -> dict[str, AlertRule]:
    delivery = Touchpoint.objects.filter(organization=org, department__name="物流部").first()
    return {
        "keyword": _rule(org, "严重投诉关键词", {
            "kind": "keyword", "keywords": ["投诉", "12315", "曝光", "律师", "315"], "priority": "urgent",
            "department": departments.get("客服中心")}),
        "logistics": _rule(org, "物流配送负面反馈激增", {
            "kind": "topic_negative_count", "topic": topics["物流配送"], "threshold": 10, "window_minutes": 60}),
        "quality": _rule(org, "产品质量负面反馈", {
            "kind": "topic_negative_count", "topic": topics["产品质量"], "threshold": 5,
            "window_minutes": 24 * 60}),
        "nps": _rule(org, "送货环节 NPS 低于 0", {
            "kind": "metric_threshold", "metric": "nps", "comparison": "lt", "threshold": 0,
            "window_minutes": 7 * 24 * 60, "min_responses": 30, "touchpoint": delivery}),
        "negative": _rule(org, "差评占比超过 30%（已停用）", {
            "kind": "metric_threshold", "metric": "negative_share", "comparison": "gt", "threshold": 30,
            "window_minutes": 24 * 60, "min_responses": 20, "is_enabled": False}),
    }


def _quotes(org, topic: Topic | None, n: int, text: str | None = None) -> list[int]:
    rows = Feedback.objects.filter(organization=org, status=Feedback.Status.ANALYZED,
                                   sentiment_label=Sentiment.NEGATIVE)
    if topic is not None and rows.filter(topic_links__topic=topic).exists():
        rows = rows.filter(topic_links__topic=topic)
    if text:
        rows = rows.filter(text__contains=text) if rows.filter(text__contains=text).exists() else rows
    return list(rows.order_by("-occurred_at", "-id").values_list("pk", flat=True).distinct()[:n])


def _actors(org) -> dict[str, Actor]:
    members = {m.user.username: m for m in Membership.objects.filter(organization=org).select_related("user")}
    return {name: Actor.from_membership(members[name]) for name in ("admin", "manager", "logistics")
            if name in members}


def _backdate(ticket: Ticket, opened, moments: list) -> None:
    """Move the ticket's history into the past: the n-th event at moments[n] (opened first)."""
    response_due, due = sla.due_times(organization=ticket.organization, priority=ticket.priority, start=opened)
    events = list(TicketEvent.objects.filter(ticket=ticket).order_by("id"))
    stamps = [opened, *moments]
    for event, at in zip(events, stamps + [stamps[-1]] * len(events), strict=False):
        TicketEvent.objects.filter(pk=event.pk).update(created_at=at)
    ticket = Ticket.objects.get(pk=ticket.pk)
    shift = {"created_at": opened, "first_response_due_at": response_due, "due_at": due}
    for field in ("first_response_at", "resolved_at", "verified_at"):
        value = getattr(ticket, field)
        if value is not None:
            shift[field] = next((at for ev, at in zip(events, stamps, strict=False)
                                 if _stamp_of(ev, field)), value)
    Ticket.objects.filter(pk=ticket.pk).update(**shift)


def _stamp_of(event: TicketEvent, field: str) -> bool:
    if field == "first_response_at":
        return event.kind in ("comment", "assigned", "status")
    return event.kind == "status" and event.to_status == {"resolved_at": "resolved",
                                                          "verified_at": "verified"}[field]


def _new(org, title: str, actor: Actor, **kwargs) -> Ticket | None:
    """Open a demo ticket unless one with this title exists (idempotence)."""
    if Ticket.objects.filter(organization=org, title=title).exists():
        return None
    return tickets.ticket_create(organization=org, actor=actor, title=title, **kwargs)


def _as_rule(ticket: Ticket, rule: AlertRule, scope_key: str, trigger: dict) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(rule=rule, source=Ticket.Source.RULE, scope_key=scope_key,
                                               trigger=trigger, created_by=None)
    return Ticket.objects.get(pk=ticket.pk)


def _seed_logistics(org, ctx, now) -> None:
    title = "物流配送：1 小时内 12 条负面反馈"
    ticket = _new(org, title, ctx["system"], priority="high", department=ctx["departments"].get("物流部"),
                  topic=ctx["topics"]["物流配送"], feedback_ids=_quotes(org, ctx["topics"]["物流配送"], 12),
                  description="华东区多位客户反映快递延误、包裹破损。")
    if ticket is None:
        return
    ticket = _as_rule(ticket, ctx["rules"]["logistics"], f"topic:{ctx['topics']['物流配送'].pk}",
                      {"kind": "topic_negative_count", "topic": "物流配送", "count": 12, "threshold": 10,
                       "window_minutes": 60})
    worker = ctx["actors"]["logistics"]
    tickets.ticket_claim(ticket=ticket, actor=worker)
    tickets.ticket_comment(ticket=ticket, actor=worker, text="已联系顺丰华东仓，正在排查分拣中心延误原因。")
    _backdate(ticket, now - 5 * H, [now - 4 * H, now - 4 * H, now - 3 * H])


def _seed_keyword(org, ctx, now) -> None:
    quotes = _quotes(org, None, 1, text="投诉")
    ticket = _new(org, "「投诉」客户威胁向 12315 投诉退款问题", ctx["system"], priority="urgent",
                  department=ctx["departments"].get("客服中心"), feedback_ids=quotes,
                  description="客户称七天无理由退货被拒，要求 24 小时内答复。")
    if ticket is not None:
        _as_rule(ticket, ctx["rules"]["keyword"], f"feedback:{quotes[0] if quotes else 0}",
                 {"kind": "keyword", "keywords": ["投诉", "12315"]})
        _backdate(ticket, now - 0.5 * H, [])


def _seed_quality(org, ctx, now) -> None:
    manager = ctx["actors"]["manager"]
    ticket = _new(org, "产品质量：包装破损投诉增多", manager, priority="normal",
                  department=ctx["departments"].get("质量部"), topic=ctx["topics"]["产品质量"],
                  feedback_ids=_quotes(org, ctx["topics"]["产品质量"], 6))
    if ticket is None:
        return
    tickets.ticket_transition(ticket=ticket, to_status="in_progress", actor=ctx["actors"]["admin"])
    tickets.ticket_transition(ticket=ticket, to_status="resolved", actor=ctx["actors"]["admin"],
                              comment="已更换外箱供应商，加厚缓冲材料。")
    _backdate(ticket, now - 6 * 24 * H, [now - 5 * 24 * H, now - 5 * 24 * H, now - 2 * 24 * H])
    ticket_effect_refresh(organization_id=org.pk, ticket_id=ticket.pk)


def _seed_verified(org, ctx, now) -> None:
    worker, manager = ctx["actors"]["logistics"], ctx["actors"]["manager"]
    delivery = ctx["rules"]["nps"].touchpoint
    ticket = _new(org, "送货上门 NPS 低于 0", ctx["system"], priority="high",
                  department=ctx["departments"].get("物流部"), touchpoint=delivery,
                  feedback_ids=_quotes(org, ctx["topics"]["物流配送"], 8))
    if ticket is None:
        return
    ticket = _as_rule(ticket, ctx["rules"]["nps"], f"tp:{getattr(delivery, 'pk', '')}|ch:",
                      {"kind": "metric_threshold", "metric": "nps", "value": -12.5, "responses": 64,
                       "threshold": 0, "comparison": "lt", "window_minutes": 10080})
    tickets.ticket_claim(ticket=ticket, actor=worker)
    tickets.ticket_transition(ticket=ticket, to_status="resolved", actor=worker,
                              comment="增加晚间配送时段，快递员上门前电话确认。")
    tickets.ticket_transition(ticket=ticket, to_status="verified", actor=manager, comment="NPS 已回升，验收通过。")
    _backdate(ticket, now - 30 * 24 * H, [now - 29 * 24 * H, now - 29 * 24 * H, now - 20 * 24 * H,
                                          now - 10 * 24 * H])
    ticket_effect_refresh(organization_id=org.pk, ticket_id=ticket.pk)


def _seed_reopened(org, ctx, now) -> None:
    manager = ctx["actors"]["manager"]
    ticket = _new(org, "门店结账排队时间过长", manager, priority="normal",
                  department=ctx["departments"].get("门店运营部"), feedback_ids=_quotes(org, None, 3, text="排队"))
    if ticket is None:
        return
    tickets.ticket_transition(ticket=ticket, to_status="resolved", actor=ctx["actors"]["admin"],
                              comment="高峰期增开两个收银台。")
    tickets.ticket_transition(ticket=ticket, to_status="reopened", actor=manager,
                              comment="周末排队投诉仍然很多，请继续处理。")
    _backdate(ticket, now - 9 * 24 * H, [now - 7 * 24 * H, now - 24 * H])
    # NOTE: a reopened ticket's resolution clock restarts at the reopening.
    _response_due, due = sla.due_times(organization=org, priority=ticket.priority, start=now - 24 * H)
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due)


def _seed_overdue(org, ctx, now) -> None:
    ticket = _new(org, "客服热线接通慢", ctx["actors"]["manager"], priority="high",
                  department=ctx["departments"].get("客服中心"), topic=ctx["topics"]["服务态度"],
                  feedback_ids=_quotes(org, ctx["topics"]["服务态度"], 4))
    if ticket is not None:
        _backdate(ticket, now - 3 * 24 * H, [])
        tickets_escalate_overdue(organization_id=org.pk)


@transaction.atomic
def seed_improvement(org) -> None:
    """Idempotent: rules of each kind and tickets in every state (quoting demo feedback if any)."""
    departments = {d.name: d for d in Department.objects.filter(organization=org)}
    actors = _actors(org)
    if not {"admin", "manager", "logistics"} <= set(actors):
        return
    topics = _topics(org)
    ctx = {"departments": departments, "topics": topics, "actors": actors, "system": Actor.system(),
           "rules": _rules(org, topics, departments)}
    now = timezone.now()
    for step in (_seed_logistics, _seed_keyword, _seed_quality, _seed_verified, _seed_reopened, _seed_overdue):
        step(org, ctx, now)
    # NOTE: the demo's history is not news: no mail for it.
    Notification.objects.filter(organization=org, email_status=Notification.EmailStatus.PENDING).update(
        email_status=Notification.EmailStatus.NONE)
