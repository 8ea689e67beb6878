"""Effect verification of a resolved ticket: equal windows before the ticket and after its
resolution, tested (z-test / bootstrap), provisional until the after window completes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from improvement.access import Actor
from improvement.models import Notification, TicketEvent
from improvement.services.effect import ticket_effect_refresh, tickets_effect_due
from improvement.services.tickets import ticket_create, ticket_transition
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def ticket_on(tenant, **kwargs):
    with tenant.scope():
        return ticket_create(organization=tenant.org, actor=Actor.system(), title="配送慢",
                             department=tenant.departments["物流部"], **kwargs)


def resolve(tenant, ticket):
    with tenant.scope():
        return ticket_transition(ticket=ticket, to_status="resolved", actor=Actor.system())


def refresh(tenant, ticket):
    with tenant.scope():
        return ticket_effect_refresh(organization_id=tenant.org.pk, ticket_id=ticket.pk)


def feedback_mix(tenant, touchpoint, at, negatives, others):
    make_feedback(tenant, negatives, touchpoint=touchpoint, occurred_at=at)
    make_feedback(tenant, others, label="positive", text="很满意", touchpoint=touchpoint, occurred_at=at)


def test_negative_share_halved_is_significantly_better(tenant, touchpoint):
    start = timezone.now()
    feedback_mix(tenant, touchpoint, start - 3 * DAY, negatives=40, others=60)
    with time_machine.travel(start):
        ticket = ticket_on(tenant, touchpoint=touchpoint)
    with time_machine.travel(start + DAY):
        resolve(tenant, ticket)
        provisional = refresh(tenant, ticket)
    assert provisional["final"] is False and provisional["verdict"] == "insufficient_data"
    assert provisional["before"]["value"] == 40.0 and provisional["before"]["responses"] == 100
    feedback_mix(tenant, touchpoint, start + 3 * DAY, negatives=20, others=80)
    with time_machine.travel(start + 9 * DAY), tenant.scope():
        assert tickets_effect_due(organization_id=tenant.org.pk) == [ticket.pk]
        final = refresh(tenant, ticket)
        assert refresh(tenant, ticket) is None
    assert final["final"] is True and final["verdict"] == "better"
    assert final["method"] == "two_proportion_z_test" and final["p_value"] == pytest.approx(0.002028, abs=1e-5)
    assert (final["metric"], final["filters"]) == ("negative_share", {"touchpoint": "delivery"})
    assert final["after"]["value"] == 20.0 and final["after"]["negatives"] == 20
    ticket.refresh_from_db()
    assert ticket.effect_final and ticket.effect["verdict"] == "better"
    assert TicketEvent.all_orgs.filter(ticket=ticket, kind="effect").count() == 1
    assert Notification.all_orgs.filter(ticket=ticket, recipient=tenant.users["manager"]).exists()


def test_a_small_wobble_is_no_significant_change(tenant, touchpoint):
    start = timezone.now()
    feedback_mix(tenant, touchpoint, start - 2 * DAY, negatives=30, others=70)
    with time_machine.travel(start):
        ticket = ticket_on(tenant, touchpoint=touchpoint)
        resolve(tenant, ticket)
    feedback_mix(tenant, touchpoint, start + 2 * DAY, negatives=27, others=73)
    with time_machine.travel(start + 8 * DAY):
        assert refresh(tenant, ticket)["verdict"] == "no_change"


def test_a_topic_ticket_is_judged_on_its_topic(tenant, topic):
    start = timezone.now()
    make_feedback(tenant, 12, topics=[topic], occurred_at=start - DAY)
    make_feedback(tenant, 12, label="positive", topics=[topic], occurred_at=start - DAY)
    make_feedback(tenant, 30, occurred_at=start + DAY)  # negative, but not about the topic
    make_feedback(tenant, 24, label="positive", topics=[topic], occurred_at=start + DAY)
    with time_machine.travel(start):
        ticket = ticket_on(tenant, topic=topic)
        resolve(tenant, ticket)
    with time_machine.travel(start + 8 * DAY):
        effect = refresh(tenant, ticket)
    assert effect["filters"] == {"topic": "物流配送"} and effect["before"]["value"] == 50.0
    assert effect["after"]["value"] == 0.0 and effect["verdict"] == "better"


def test_nps_metric_tickets_use_the_bootstrap(tenant, touchpoint):
    from improvement.services.rules import alert_rule_create

    with tenant.scope():
        rule = alert_rule_create(organization=tenant.org, data={
            "kind": "metric_threshold", "metric": "nps", "comparison": "lt", "threshold": 0,
            "window_minutes": 60 * 24, "min_responses": 5, "touchpoint": touchpoint})
    start = timezone.now()
    for score, n in ((10, 20), (8, 30), (3, 50)):
        make_feedback(tenant, n, nps=score, touchpoint=touchpoint, occurred_at=start - DAY)
    with time_machine.travel(start):
        ticket = ticket_on(tenant, touchpoint=touchpoint)
    from improvement.models import Ticket

    Ticket.all_orgs.filter(pk=ticket.pk).update(rule=rule)
    with time_machine.travel(start):
        resolve(tenant, Ticket.all_orgs.get(pk=ticket.pk))
    for score, n in ((10, 50), (8, 30), (3, 20)):
        make_feedback(tenant, n, nps=score, touchpoint=touchpoint, occurred_at=start + DAY)
    with time_machine.travel(start + 8 * DAY):
        effect = refresh(tenant, ticket)
    assert effect["metric"] == "nps" and effect["method"] == "bootstrap"
    assert effect["before"]["value"] == -30.0 and effect["after"]["value"] == 30.0
    assert effect["ci_low"] > 0 and effect["verdict"] == "better"


def test_a_reopened_ticket_is_not_measured(tenant, touchpoint):
    ticket = ticket_on(tenant, touchpoint=touchpoint)
    resolve(tenant, ticket)
    with tenant.scope():
        ticket_transition(ticket=ticket, to_status="reopened", actor=Actor.system())
    assert refresh(tenant, ticket) is None
