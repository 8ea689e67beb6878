"""Alert rules firing on newly analyzed feedback: keyword and topic rules, one active ticket per
rule and scope, bursts as evidence, cooldown, and duplicate evaluations (ACCEPTANCE R4)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from improvement.access import Actor
from improvement.models import RuleMatch, Ticket, TicketEvent, TicketEvidence
from improvement.services import tickets as ticket_services
from improvement.services.evaluation import alert_rules_evaluate_feedback
from improvement.services.rules import alert_rule_create
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db


def rule(tenant, **data):
    with tenant.scope():
        return alert_rule_create(organization=tenant.org, data=data)


def evaluate(tenant, rows):
    with tenant.scope():
        return alert_rules_evaluate_feedback(organization_id=tenant.org.pk, feedback_ids=[r.pk for r in rows])


def test_a_severe_keyword_opens_an_urgent_ticket_at_once(tenant, touchpoint):
    touchpoint.department = tenant.departments["客服中心"]
    touchpoint.save()
    keyword_rule = rule(tenant, kind="keyword", keywords=["投诉", "12315", "曝光", "律师"])
    calm = make_feedback(tenant, text="送货挺快的", label="positive", touchpoint=touchpoint)
    angry = make_feedback(tenant, text="再不退款我就打12315投诉你们", touchpoint=touchpoint)
    assert evaluate(tenant, calm + angry) == 1
    ticket = Ticket.all_orgs.get()
    assert ticket.rule == keyword_rule and ticket.priority == "urgent" and ticket.source == "rule"
    assert ticket.department.name == "客服中心" and ticket.touchpoint == touchpoint
    assert ticket.trigger["keywords"] == ["投诉", "12315"]
    assert list(ticket.evidence.values_list("feedback_id", flat=True)) == [angry[0].pk]
    assert "12315" in ticket.title


def test_evaluating_the_same_feedback_twice_opens_one_ticket(tenant):
    """ACCEPTANCE R4: a redelivered evaluation task changes nothing."""
    rule(tenant, kind="keyword", keywords=["律师"])
    rows = make_feedback(tenant, text="我已经找了律师")
    assert evaluate(tenant, rows) == 1
    assert evaluate(tenant, rows) == 0
    assert Ticket.all_orgs.count() == 1 and RuleMatch.all_orgs.count() == 1
    ticket = Ticket.all_orgs.get()
    with tenant.scope():
        ticket_services.ticket_transition(ticket=ticket, to_status="resolved", actor=Actor.system())
    assert evaluate(tenant, rows) == 0
    assert Ticket.all_orgs.count() == 1


def test_topic_rule_fires_at_the_threshold_and_later_bursts_add_evidence(tenant, topic):
    topic_rule = rule(tenant, kind="topic_negative_count", topic=topic, threshold=3, window_minutes=60)
    first = make_feedback(tenant, 2, topics=[topic])
    evaluate(tenant, first)
    assert not Ticket.all_orgs.exists()
    third = make_feedback(tenant, 1, topics=[topic])
    evaluate(tenant, third)
    ticket = Ticket.all_orgs.get()
    assert ticket.rule == topic_rule and ticket.topic == topic and ticket.department.name == "物流部"
    assert ticket.trigger["count"] == 3 and ticket.evidence.count() == 3
    burst = make_feedback(tenant, 4, topics=[topic])
    evaluate(tenant, burst)
    assert Ticket.all_orgs.count() == 1
    assert ticket.evidence.count() == 7
    assert list(TicketEvent.all_orgs.filter(ticket=ticket).values_list("kind", flat=True)) == [
        "created", "evidence"]


def test_topic_rule_counts_only_negative_feedback_on_its_topic_in_the_window(tenant, topic, quality_topic):
    rule(tenant, kind="topic_negative_count", topic=topic, threshold=2, window_minutes=30)
    old = make_feedback(tenant, topics=[topic], occurred_at=timezone.now() - timedelta(minutes=50))
    evaluate(tenant, old)
    evaluate(tenant, make_feedback(tenant, label="positive", topics=[topic]))
    evaluate(tenant, make_feedback(tenant, topics=[quality_topic]))
    evaluate(tenant, make_feedback(tenant, topics=[topic]))
    assert not Ticket.all_orgs.exists()
    evaluate(tenant, make_feedback(tenant, topics=[topic]))
    assert Ticket.all_orgs.get().trigger["count"] == 2


def test_historical_feedback_never_fires(tenant):
    rule(tenant, kind="keyword", keywords=["投诉"])
    rows = make_feedback(tenant, text="去年的投诉", occurred_at=timezone.now() - timedelta(days=30))
    assert evaluate(tenant, rows) == 0 and not Ticket.all_orgs.exists()


def test_disabled_rules_and_pending_feedback_are_skipped(tenant):
    keyword_rule = rule(tenant, kind="keyword", keywords=["投诉"], is_enabled=False)
    evaluate(tenant, make_feedback(tenant, text="投诉"))
    keyword_rule.is_enabled = True
    keyword_rule.save()
    evaluate(tenant, make_feedback(tenant, text="投诉", analyzed=False))
    assert not Ticket.all_orgs.exists()


def test_cooldown_links_a_new_burst_to_the_resolved_ticket_then_a_new_one_opens(tenant, topic):
    rule(tenant, kind="topic_negative_count", topic=topic, threshold=1, window_minutes=60,
         cooldown_minutes=120)
    evaluate(tenant, make_feedback(tenant, topics=[topic]))
    first = Ticket.all_orgs.get()
    with tenant.scope():
        ticket_services.ticket_transition(ticket=first, to_status="resolved", actor=Actor.system())
    evaluate(tenant, make_feedback(tenant, topics=[topic]))
    assert Ticket.all_orgs.count() == 1
    assert TicketEvidence.all_orgs.filter(ticket=first, after_resolution=True).count() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        evaluate(tenant, make_feedback(tenant, topics=[topic]))
    assert Ticket.all_orgs.count() == 2
    assert Ticket.all_orgs.exclude(pk=first.pk).get().status == "open"


def test_routing_prefers_the_rule_department(tenant, topic):
    rule(tenant, kind="topic_negative_count", topic=topic, threshold=1, window_minutes=60,
         department=tenant.departments["质量部"])
    evaluate(tenant, make_feedback(tenant, topics=[topic]))
    assert Ticket.all_orgs.get().department.name == "质量部"


def test_reopening_when_the_rule_already_has_a_new_active_ticket_is_a_409(tenant, topic):
    rule(tenant, kind="topic_negative_count", topic=topic, threshold=1, window_minutes=60, cooldown_minutes=0)
    evaluate(tenant, make_feedback(tenant, topics=[topic]))
    first = Ticket.all_orgs.get()
    with tenant.scope():
        ticket_services.ticket_transition(ticket=first, to_status="resolved", actor=Actor.system())
    evaluate(tenant, make_feedback(tenant, topics=[topic]))
    second = Ticket.all_orgs.exclude(pk=first.pk).get()
    from cem.errors import ApplicationError

    with tenant.scope(), pytest.raises(ApplicationError) as err:
        ticket_services.ticket_transition(ticket=first, to_status="reopened", actor=Actor.system())
    assert err.value.status_code == 409 and f"#{second.pk}" in err.value.message


def test_other_organizations_rules_never_see_this_feedback(tenant, other_tenant):
    rule(other_tenant, kind="keyword", keywords=["投诉"])
    evaluate(tenant, make_feedback(tenant, text="投诉"))
    assert not Ticket.all_orgs.exists()


def test_the_periodic_sweep_evaluates_feedback_whose_evaluation_was_lost(tenant):
    from improvement.services.evaluation import alert_rules_sweep_recent

    rule(tenant, kind="keyword", keywords=["投诉"])
    make_feedback(tenant, text="我要投诉")
    make_feedback(tenant, text="我要投诉", occurred_at=timezone.now() - timedelta(minutes=1))
    with tenant.scope():
        assert alert_rules_sweep_recent(organization_id=tenant.org.pk) == 2
        assert alert_rules_sweep_recent(organization_id=tenant.org.pk) == 0
    assert Ticket.all_orgs.count() == 2
