"""ACCEPTANCE R3/R4 under real concurrency: two evaluations of one burst running at the same time
(as a task that outlived its visibility timeout does) leave exactly one ticket."""

import threading

import pytest
from django.db import connection

from cem.tenancy import org_scope
from improvement.models import RuleMatch, Ticket, TicketEvidence
from improvement.services.evaluation import alert_rules_evaluate_feedback
from improvement.services.rules import alert_rule_create
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    barrier, errors = threading.Barrier(len(calls)), []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


def evaluation(tenant, rows):
    def call():
        with org_scope(tenant.org.pk):
            alert_rules_evaluate_feedback(organization_id=tenant.org.pk, feedback_ids=[r.pk for r in rows])
    return call


def test_duplicate_concurrent_evaluations_make_one_ticket(tenant, topic):
    with tenant.scope():
        alert_rule_create(organization=tenant.org, data={
            "kind": "topic_negative_count", "topic": topic, "threshold": 2, "window_minutes": 60})
    rows = make_feedback(tenant, 3, topics=[topic])
    run_together(evaluation(tenant, rows), evaluation(tenant, rows), evaluation(tenant, rows))
    assert Ticket.all_orgs.count() == 1
    assert RuleMatch.all_orgs.count() == 3 and TicketEvidence.all_orgs.count() == 3


def test_two_bursts_racing_open_one_ticket_with_both_as_evidence(tenant, topic):
    with tenant.scope():
        alert_rule_create(organization=tenant.org, data={
            "kind": "topic_negative_count", "topic": topic, "threshold": 1, "window_minutes": 60})
    first, second = make_feedback(tenant, 2, topics=[topic]), make_feedback(tenant, 2, topics=[topic])
    run_together(evaluation(tenant, first), evaluation(tenant, second))
    ticket = Ticket.all_orgs.get()
    assert set(ticket.evidence.values_list("feedback_id", flat=True)) == {r.pk for r in first + second}
