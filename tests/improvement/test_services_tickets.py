"""The ticket lifecycle: creation with routing and SLA, the checked state machine, history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cem.errors import ApplicationError
from improvement.access import Actor
from improvement.models import Notification, Ticket, TicketEvent
from improvement.services import tickets as services
from improvement.sla import DEFAULT_SLA
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db
S = Ticket.Status


def open_ticket(tenant, actor, **kwargs):
    kwargs.setdefault("department", tenant.departments["物流部"])
    with tenant.scope():
        return services.ticket_create(organization=tenant.org, actor=actor, title="快递太慢", **kwargs)


def kinds(ticket):
    return list(TicketEvent.all_orgs.filter(ticket=ticket).values_list("kind", flat=True))


def test_create_sets_sla_due_times_and_writes_the_created_event(tenant, manager):
    before = timezone.now()
    ticket = open_ticket(tenant, manager, priority="urgent")
    target = DEFAULT_SLA["urgent"]
    assert ticket.status == S.OPEN and ticket.source == "manual"
    assert before + timedelta(minutes=target.first_response_minutes) <= ticket.first_response_due_at
    assert ticket.due_at - ticket.created_at == timedelta(minutes=target.resolution_minutes)
    assert kinds(ticket) == ["created"]


def test_create_routes_by_touchpoint_then_topic_then_default(tenant, manager, touchpoint, topic):
    tenant.org.refresh_from_db()
    touchpoint.department = tenant.departments["质量部"]
    touchpoint.save()
    assert open_ticket(tenant, manager, department=None, touchpoint=touchpoint, topic=topic
                       ).department.name == "质量部"
    assert open_ticket(tenant, manager, department=None, topic=topic).department.name == "物流部"
    assert open_ticket(tenant, manager, department=None).department.name == "客服中心"


def test_member_opens_tickets_for_their_own_department_only(tenant, member):
    assert open_ticket(tenant, member, department=None).department.name == "物流部"
    with pytest.raises(ApplicationError) as err:
        open_ticket(tenant, member, department=tenant.departments["质量部"])
    assert err.value.field == "department"


def test_evidence_of_another_organization_is_refused(tenant, other_tenant, manager):
    foreign = make_feedback(other_tenant)[0]
    with pytest.raises(ApplicationError) as err:
        open_ticket(tenant, manager, feedback_ids=[foreign.pk])
    assert err.value.field == "feedback" and not Ticket.all_orgs.exists()


def test_the_full_loop_open_claim_resolve_verify(tenant, manager, member):
    ticket = open_ticket(tenant, manager)
    with tenant.scope():
        ticket = services.ticket_claim(ticket=ticket, actor=member)
        assert ticket.status == S.IN_PROGRESS and ticket.assignee == tenant.users["member"]
        assert ticket.first_response_at is not None
        ticket = services.ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=member,
                                            comment="已更换快递合作方")
        assert ticket.resolved_at and ticket.resolved_by == tenant.users["member"]
        ticket = services.ticket_transition(ticket=ticket, to_status=S.VERIFIED, actor=manager)
    assert ticket.verified_at is not None
    events = list(TicketEvent.all_orgs.filter(ticket=ticket).order_by("id"))
    assert [(e.kind, e.to_status) for e in events] == [
        ("created", "open"), ("assigned", ""), ("status", "in_progress"), ("status", "resolved"),
        ("status", "verified")]
    assert events[3].comment == "已更换快递合作方" and events[3].actor == tenant.users["member"]


def test_a_member_cannot_verify_or_reopen(tenant, manager, member):
    ticket = open_ticket(tenant, manager)
    with tenant.scope():
        ticket = services.ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=member)
        for target in (S.VERIFIED, S.REOPENED):
            with pytest.raises(ApplicationError) as err:
                services.ticket_transition(ticket=ticket, to_status=target, actor=member)
            assert err.value.status_code == 403 and err.value.message == services.ERR_MANAGERS_ONLY


def test_nobody_verifies_a_ticket_they_resolved(tenant, manager):
    ticket = open_ticket(tenant, manager)
    admin = Actor.from_membership(_membership(tenant, "admin"))
    with tenant.scope():
        services.ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=manager)
        with pytest.raises(ApplicationError) as err:
            services.ticket_transition(ticket=ticket, to_status=S.VERIFIED, actor=manager)
        assert err.value.message == services.ERR_VERIFY_OWN
        assert services.ticket_transition(ticket=ticket, to_status=S.VERIFIED, actor=admin).status == S.VERIFIED


def _membership(tenant, label):
    from cem.models import Membership

    return Membership.all_orgs.get(organization=tenant.org, user=tenant.users[label])


def test_a_cx_manager_reopens_and_the_sla_restarts(tenant, manager, member):
    ticket = open_ticket(tenant, manager)
    with tenant.scope():
        services.ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=member)
        services.ticket_transition(ticket=ticket, to_status=S.VERIFIED, actor=manager)
        ticket = services.ticket_transition(ticket=ticket, to_status=S.REOPENED, actor=manager,
                                            comment="投诉又来了")
    assert ticket.status == S.REOPENED and ticket.resolved_at is None and ticket.verified_at is None
    assert ticket.due_at > timezone.now() + timedelta(hours=1)


@pytest.mark.parametrize("start,target", [(S.OPEN, S.VERIFIED), (S.OPEN, S.REOPENED),
                                          (S.IN_PROGRESS, S.VERIFIED), (S.RESOLVED, S.IN_PROGRESS)])
def test_moves_the_state_machine_does_not_allow_are_409(tenant, manager, start, target):
    ticket = open_ticket(tenant, manager)
    Ticket.all_orgs.filter(pk=ticket.pk).update(status=start)
    with tenant.scope(), pytest.raises(ApplicationError) as err:
        services.ticket_transition(ticket=ticket, to_status=target, actor=manager)
    assert err.value.status_code == 409 and err.value.field == "to_status"
    assert Ticket.all_orgs.get(pk=ticket.pk).status == start


def test_members_act_only_on_their_department_and_viewers_never(tenant, manager, member):
    other = open_ticket(tenant, manager, department=tenant.departments["质量部"])
    viewer = Actor.from_membership(_membership(tenant, "viewer"))
    with tenant.scope():
        for actor in (member, viewer):
            with pytest.raises(ApplicationError) as err:
                services.ticket_comment(ticket=other, actor=actor, text="我来看看")
            assert err.value.status_code == 403
    assert kinds(other) == ["created"]


def test_comment_is_the_first_response_unless_the_creator_writes_it(tenant, manager, member):
    ticket = open_ticket(tenant, manager)
    with tenant.scope():
        services.ticket_comment(ticket=ticket, actor=manager, text="补充信息")
        assert Ticket.all_orgs.get(pk=ticket.pk).first_response_at is None
        services.ticket_comment(ticket=ticket, actor=member, text="收到，处理中")
    assert Ticket.all_orgs.get(pk=ticket.pk).first_response_at is not None
    with tenant.scope(), pytest.raises(ApplicationError) as err:
        services.ticket_comment(ticket=ticket, actor=member, text="   ")
    assert err.value.field == "text"


def test_assign_checks_the_assignee(tenant, manager):
    ticket = open_ticket(tenant, manager, department=tenant.departments["质量部"])
    with tenant.scope():
        with pytest.raises(ApplicationError) as err:
            services.ticket_assign(ticket=ticket, actor=manager, assignee=tenant.users["member"])
        assert err.value.message == services.ERR_ASSIGNEE_DEPARTMENT
        with pytest.raises(ApplicationError):
            services.ticket_assign(ticket=ticket, actor=manager, assignee=tenant.users["viewer"])
        services.ticket_assign(ticket=ticket, actor=manager, assignee=tenant.users["admin"])
    assert Ticket.all_orgs.get(pk=ticket.pk).assignee == tenant.users["admin"]


def test_priority_change_moves_the_due_times(tenant, manager):
    ticket = open_ticket(tenant, manager, priority="low")
    with tenant.scope():
        ticket = services.ticket_set_priority(ticket=ticket, actor=manager, priority="urgent")
    assert ticket.due_at - ticket.created_at == timedelta(minutes=DEFAULT_SLA["urgent"].resolution_minutes)
    assert kinds(ticket) == ["created", "priority"]


def test_reroute_is_for_managers_and_notifies_nobody_twice(tenant, manager, member):
    ticket = open_ticket(tenant, manager)
    with tenant.scope():
        with pytest.raises(ApplicationError):
            services.ticket_set_department(ticket=ticket, actor=member, department=tenant.departments["质量部"])
        services.ticket_set_department(ticket=ticket, actor=manager, department=tenant.departments["质量部"])
        services.ticket_set_department(ticket=ticket, actor=manager, department=tenant.departments["质量部"])
    assert kinds(ticket) == ["created", "department"]


def test_new_tickets_notify_the_department_and_urgent_ones_are_mailed(tenant, manager):
    ticket = open_ticket(tenant, manager, priority="urgent")
    rows = Notification.all_orgs.filter(ticket=ticket)
    assert {n.recipient.username for n in rows} == {"alpha-member"}
    assert all(n.email_status == "pending" and n.url.endswith(f"/tickets/{ticket.pk}/") for n in rows)
    assert "快递太慢" in rows[0].title


def test_a_lower_priority_after_an_escalation_lets_the_new_breach_escalate(tenant, manager):
    import time_machine

    from improvement.services.escalation import tickets_escalate_overdue

    ticket = open_ticket(tenant, manager, priority="urgent")
    start = ticket.created_at

    def escalate(after):
        with time_machine.travel(start + after), tenant.scope():
            return tickets_escalate_overdue(organization_id=tenant.org.pk)

    assert escalate(timedelta(minutes=61)) == 1  # no first response within the urgent hour
    with time_machine.travel(start + timedelta(minutes=62)), tenant.scope():
        ticket = services.ticket_set_priority(ticket=ticket, actor=manager, priority="low")
    assert ticket.response_escalated_at is None  # due again: a day after creation
    assert ticket.first_response_due_at == start + timedelta(minutes=DEFAULT_SLA["low"].first_response_minutes)
    assert escalate(timedelta(hours=2)) == 0
    assert escalate(timedelta(hours=25)) == 1
    assert [e.data["which"] for e in TicketEvent.all_orgs.filter(ticket=ticket, kind="escalated")] == [
        "first_response", "first_response"]


def test_a_priority_change_on_a_reopened_ticket_counts_from_the_reopening(tenant, manager, member):
    import time_machine

    ticket = open_ticket(tenant, manager, priority="normal")
    start = ticket.created_at
    with tenant.scope():
        services.ticket_transition(ticket=ticket, actor=member, to_status=S.RESOLVED)
    with time_machine.travel(start + timedelta(days=10), tick=False), tenant.scope():
        ticket = services.ticket_transition(ticket=ticket, actor=manager, to_status=S.REOPENED)
        reopened_at = timezone.now()
    assert ticket.due_at == reopened_at + timedelta(minutes=DEFAULT_SLA["normal"].resolution_minutes)
    with time_machine.travel(start + timedelta(days=10, hours=1), tick=False), tenant.scope():
        ticket = services.ticket_set_priority(ticket=ticket, actor=manager, priority="urgent")
    assert ticket.due_at == reopened_at + timedelta(minutes=DEFAULT_SLA["urgent"].resolution_minutes)
    assert ticket.first_response_due_at == start + timedelta(minutes=DEFAULT_SLA["urgent"].first_response_minutes)
    # claimed after the reopening (in progress): a later change still counts from the reopening
    with time_machine.travel(start + timedelta(days=10, hours=2), tick=False), tenant.scope():
        ticket = services.ticket_claim(ticket=ticket, actor=member)
        assert ticket.status == S.IN_PROGRESS
        ticket = services.ticket_set_priority(ticket=ticket, actor=manager, priority="high")
    assert ticket.due_at == reopened_at + timedelta(minutes=DEFAULT_SLA["high"].resolution_minutes)
    assert ticket.resolution_escalated_at is None
