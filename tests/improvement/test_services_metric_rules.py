"""Windowed metric rules evaluated by beat: breach → one ticket (re-running adds nothing)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from improvement.models import AlertRule, Ticket
from improvement.selectors.rules import organizations_with_metric_rules
from improvement.services.metric_rules import alert_rules_evaluate_metrics
from improvement.services.rules import alert_rule_create
from improvement.tasks import evaluate_metric_rules
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db


def metric_rule(tenant, **data):
    body = {"kind": "metric_threshold", "metric": "nps", "comparison": "lt", "threshold": 0,
            "window_minutes": 7 * 24 * 60, "min_responses": 5, **data}
    with tenant.scope():
        return alert_rule_create(organization=tenant.org, data=body)


def evaluate(tenant):
    with tenant.scope():
        return alert_rules_evaluate_metrics(organization_id=tenant.org.pk)


def test_nps_below_zero_opens_one_ticket_with_the_detractors_as_evidence(tenant, touchpoint):
    touchpoint.department = tenant.departments["质量部"]
    touchpoint.save()
    rule = metric_rule(tenant, touchpoint=touchpoint)
    make_feedback(tenant, 4, nps=2, touchpoint=touchpoint)
    make_feedback(tenant, 2, nps=10, label="positive", touchpoint=touchpoint)
    make_feedback(tenant, 3, nps=10, label="positive")  # other touchpoint: outside the scope
    assert evaluate(tenant) == 1
    ticket = Ticket.all_orgs.get()
    assert ticket.rule == rule and ticket.department.name == "质量部" and ticket.touchpoint == touchpoint
    assert ticket.trigger["value"] == pytest.approx(-33.3) and ticket.trigger["responses"] == 6
    assert ticket.evidence.count() == 4
    assert evaluate(tenant) == 1
    assert Ticket.all_orgs.count() == 1
    rule.refresh_from_db()
    assert rule.last_evaluated_at is not None and rule.last_fired_at is not None


def test_too_few_responses_or_a_healthy_metric_open_nothing(tenant, touchpoint):
    metric_rule(tenant, touchpoint=touchpoint)
    make_feedback(tenant, 4, nps=2, touchpoint=touchpoint)
    assert evaluate(tenant) == 0
    make_feedback(tenant, 6, nps=10, label="positive", touchpoint=touchpoint)
    assert evaluate(tenant) == 0 and not Ticket.all_orgs.exists()


def test_old_feedback_is_outside_the_window(tenant):
    metric_rule(tenant, window_minutes=60)
    make_feedback(tenant, 8, nps=1, occurred_at=timezone.now() - timedelta(hours=3))
    assert evaluate(tenant) == 0


def test_negative_share_above_a_threshold_on_a_channel(tenant):
    metric_rule(tenant, metric="negative_share", comparison="gt", threshold=50, channel="ecommerce_review",
                min_responses=3)
    make_feedback(tenant, 3, channel="ecommerce_review")
    make_feedback(tenant, 1, channel="ecommerce_review", label="positive", text="好评")
    make_feedback(tenant, 10, channel="app", label="positive", text="好评")
    assert evaluate(tenant) == 1
    assert Ticket.all_orgs.get().channel == "ecommerce_review"


def test_the_beat_task_runs_per_organization_and_twice_is_harmless(tenant, other_tenant):
    metric_rule(tenant)
    make_feedback(tenant, 6, nps=0)
    assert organizations_with_metric_rules() == [tenant.org.pk]
    evaluate_metric_rules.apply(args=[tenant.org.pk], throw=True)
    evaluate_metric_rules.apply(args=[tenant.org.pk], throw=True)
    assert Ticket.all_orgs.count() == 1
    AlertRule.all_orgs.update(is_enabled=False)
    assert organizations_with_metric_rules() == []
