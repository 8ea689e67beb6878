"""Every improvement task is harmless to run twice (the broker may deliver a message again)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from improvement.access import Actor
from improvement.models import SlaPolicy, TicketEvent
from improvement.services.tickets import ticket_create
from improvement.tasks import check_overdue_tickets, ensure_defaults, handle_feedback_analyzed
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db


def run(task, *args):
    task.apply(args=args, throw=True)


def test_ensure_defaults_twice(tenant):
    run(ensure_defaults, tenant.org.pk)
    run(ensure_defaults, tenant.org.pk)
    assert SlaPolicy.all_orgs.filter(organization=tenant.org).count() == 4


def test_check_overdue_twice_escalates_once(tenant):
    with tenant.scope():
        ticket = ticket_create(organization=tenant.org, actor=Actor.system(), title="超时", priority="urgent",
                               department=tenant.departments["物流部"])
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        run(check_overdue_tickets, tenant.org.pk)
        run(check_overdue_tickets, tenant.org.pk)
    assert TicketEvent.all_orgs.filter(ticket=ticket, kind="escalated").count() == 1


def test_handle_feedback_analyzed_twice_opens_one_ticket(tenant):
    from improvement.models import Ticket
    from improvement.services.rules import alert_rule_create

    with tenant.scope():
        alert_rule_create(organization=tenant.org, data={"kind": "keyword", "keywords": ["曝光"]})
    rows = make_feedback(tenant, text="不处理就去媒体曝光")
    run(handle_feedback_analyzed, tenant.org.pk, [rows[0].pk])
    run(handle_feedback_analyzed, tenant.org.pk, [rows[0].pk])
    assert Ticket.all_orgs.count() == 1


def test_tasks_refuse_to_run_without_an_organization():
    from cem.tenancy import TenantScopeMissing

    with pytest.raises(TenantScopeMissing):
        check_overdue_tickets.apply(args=[None], throw=True)
