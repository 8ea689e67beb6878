"""The department workspace in the browser: board and list, visibility by role, the ticket page
(evidence quotes escaped, SLA, history) and its actions."""

import pytest
from django.urls import reverse
from django.utils import translation

from improvement.access import Actor
from improvement.models import Notification, Ticket
from improvement.services.tickets import ERR_MANAGERS_ONLY, ticket_create
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db


def new_ticket(tenant, title, department="物流部", **kwargs):
    with tenant.scope():
        return ticket_create(organization=tenant.org, actor=Actor.system(), title=title,
                             department=tenant.departments[department], **kwargs)


def test_a_member_sees_their_department_on_the_board(member_client, tenant):
    new_ticket(tenant, "物流工单甲")
    new_ticket(tenant, "质量工单乙", department="质量部")
    page = member_client.get(reverse("ticket-board")).content.decode()
    assert "物流工单甲" in page and "质量工单乙" not in page
    assert 'name="department"' not in page


def test_managers_see_all_and_filter_by_department(manager_client, tenant):
    new_ticket(tenant, "物流工单甲")
    new_ticket(tenant, "质量工单乙", department="质量部")
    page = manager_client.get(reverse("ticket-board")).content.decode()
    assert "物流工单甲" in page and "质量工单乙" in page and 'name="department"' in page
    filtered = manager_client.get(reverse("ticket-board"), {
        "view": "list", "department": tenant.departments["质量部"].pk}).content.decode()
    assert "质量工单乙" in filtered and "物流工单甲" not in filtered


def test_list_view_paginates(manager_client, tenant):
    for i in range(27):
        new_ticket(tenant, f"工单{i:02d}")
    first = manager_client.get(reverse("ticket-board"), {"view": "list"}).content.decode()
    second = manager_client.get(reverse("ticket-board"), {"view": "list", "page": 2}).content.decode()
    assert "工单26" in first and "工单00" not in first and "工单00" in second


def test_empty_board_says_what_to_do(manager_client):
    page = manager_client.get(reverse("ticket-board")).content.decode()
    assert reverse("alert-rule-list") in page


def test_ticket_page_escapes_quotes_and_shows_sla_and_history(manager_client, tenant):
    rows = make_feedback(tenant, text='<script>alert("x")</script>快递丢件')
    ticket = new_ticket(tenant, "<b>丢件</b>", feedback_ids=[rows[0].pk], priority="urgent")
    page = manager_client.get(reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>丢件</b>" not in page and "&lt;b&gt;丢件&lt;/b&gt;" in page
    assert 'data-due="' in page and "快递丢件" in page
    assert 'value="resolved"' in page and 'value="in_progress"' in page


def test_members_claim_move_and_comment_but_cannot_verify(member_client, tenant):
    ticket = new_ticket(tenant, "快递慢")
    detail = reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})
    member_client.post(reverse("ticket-assign", kwargs={"ticket_id": ticket.pk}), {"assignee": "me"})
    ticket.refresh_from_db()
    assert ticket.status == "in_progress" and ticket.assignee == tenant.users["member"]
    member_client.post(reverse("ticket-comment", kwargs={"ticket_id": ticket.pk}), {"text": "已联系顺丰"})
    member_client.post(reverse("ticket-transition", kwargs={"ticket_id": ticket.pk}), {"to_status": "resolved"})
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    response = member_client.post(reverse("ticket-transition", kwargs={"ticket_id": ticket.pk}),
                                  {"to_status": "verified"}, follow=True)
    ticket.refresh_from_db()
    with translation.override("zh-hans"):
        refusal = str(ERR_MANAGERS_ONLY)
    assert ticket.status == "resolved" and refusal in response.content.decode()
    page = member_client.get(detail).content.decode()
    assert "已联系顺丰" in page and 'value="verified"' not in page


def test_another_departments_ticket_is_404_for_a_member(member_client, tenant):
    ticket = new_ticket(tenant, "质量问题", department="质量部")
    assert member_client.get(reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})).status_code == 404
    response = member_client.post(reverse("ticket-comment", kwargs={"ticket_id": ticket.pk}), {"text": "x"})
    assert response.status_code == 404


def test_viewers_read_but_cannot_act(viewer_client, tenant):
    ticket = new_ticket(tenant, "快递慢")
    assert viewer_client.get(reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})).status_code == 200
    for name in ("ticket-transition", "ticket-comment", "ticket-assign", "ticket-priority", "ticket-evidence"):
        assert viewer_client.post(reverse(name, kwargs={"ticket_id": ticket.pk}), {}).status_code == 403
    assert viewer_client.get(reverse("ticket-create")).status_code == 403


def test_create_a_ticket_from_feedback(manager_client, tenant):
    rows = make_feedback(tenant, 2)
    url = reverse("ticket-create")
    assert f'value="{rows[0].pk}"' in manager_client.get(url, {"feedback": rows[0].pk}).content.decode()
    response = manager_client.post(url, {"title": "门店排队", "priority": "high",
                                         "feedback": f"{rows[0].pk}, {rows[1].pk}"})
    ticket = Ticket.all_orgs.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/tickets/{ticket.pk}/")
    assert ticket.source == "feedback" and ticket.evidence.count() == 2
    bad = manager_client.post(url, {"title": "x", "priority": "high", "feedback": "999999"})
    assert bad.status_code == 200 and "999999" in bad.content.decode()


def test_reroute_priority_and_evidence_actions(manager_client, tenant):
    ticket = new_ticket(tenant, "快递慢")
    rows = make_feedback(tenant)
    manager_client.post(reverse("ticket-priority", kwargs={"ticket_id": ticket.pk}), {"priority": "urgent"})
    manager_client.post(reverse("ticket-department", kwargs={"ticket_id": ticket.pk}),
                        {"department": tenant.departments["质量部"].pk})
    manager_client.post(reverse("ticket-evidence", kwargs={"ticket_id": ticket.pk}), {"feedback": str(rows[0].pk)})
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.department.name, ticket.evidence.count()) == ("urgent", "质量部", 1)


def test_the_bell_counts_unread_and_opening_marks_read(member_client, tenant):
    ticket = new_ticket(tenant, "新工单")
    home = member_client.get(reverse("ticket-board")).content.decode()
    assert 'class="bell-count"' in home
    note = Notification.all_orgs.get(recipient=tenant.users["member"])
    response = member_client.get(reverse("notification-open", kwargs={"notification_id": note.pk}))
    assert response["Location"] == reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert "新工单" in member_client.get(reverse("notification-list")).content.decode()


def test_the_workspace_speaks_chinese_by_default_and_english_on_request(manager_client, tenant):
    new_ticket(tenant, "快递慢", priority="urgent")
    zh = manager_client.get(reverse("ticket-board")).content.decode()
    assert "改善工单" in zh and "紧急" in zh and "剩余" in zh
    manager_client.cookies["django_language"] = "en"
    en = manager_client.get(reverse("ticket-board")).content.decode()
    assert "Improvement tickets" in en and "Urgent" in en


@pytest.mark.parametrize("view", ["board", "list"])
def test_workspace_query_count_does_not_grow(manager_client, tenant, view, django_assert_max_num_queries):
    rows = make_feedback(tenant, 2)
    new_ticket(tenant, "第一个", feedback_ids=[r.pk for r in rows])
    with django_assert_max_num_queries(40) as one:
        manager_client.get(reverse("ticket-board"), {"view": view})
    single = len(one)
    for i in range(20):
        ticket = new_ticket(tenant, f"工单{i}", department=("物流部", "质量部")[i % 2], feedback_ids=[rows[0].pk])
        Ticket.all_orgs.filter(pk=ticket.pk).update(status=("open", "in_progress", "resolved", "verified")[i % 4],
                                                    assignee=tenant.users["admin"])
    with django_assert_max_num_queries(single):
        manager_client.get(reverse("ticket-board"), {"view": view})


def test_the_effect_check_is_in_front_of_the_verifying_manager(manager_client, tenant):
    ticket = new_ticket(tenant, "配送慢")
    effect = {"metric": "negative_share", "filters": {"touchpoint": "delivery"}, "window_days": 7,
              "before": {"value": 40.0, "responses": 100, "start": "2026-09-01T00:00:00+08:00",
                         "end": "2026-09-08T00:00:00+08:00"},
              "after": {"value": 20.0, "responses": 100, "start": "2026-09-10T00:00:00+08:00",
                        "end": "2026-09-17T00:00:00+08:00"},
              "method": "two_proportion_z_test", "z": -3.086, "p_value": 0.002, "difference": -0.2,
              "verdict": "better", "final": True}
    Ticket.all_orgs.filter(pk=ticket.pk).update(status="resolved", effect=effect, effect_final=True)
    page = manager_client.get(reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})).content.decode()
    assert "显著改善" in page and "负面占比" in page and "p = 0.0020" in page
    assert 'value="verified"' in page and 'value="reopened"' in page


def test_the_effect_check_names_its_scope_in_words(manager_client, tenant, touchpoint):
    ticket = new_ticket(tenant, "配送慢")
    Ticket.all_orgs.filter(pk=ticket.pk).update(touchpoint=touchpoint)
    effect = {"metric": "nps", "filters": {"touchpoint": touchpoint.key, "channel": "app"}, "window_days": 7,
              "before": {"value": 10.0, "responses": 5, "start": "2026-09-01T00:00:00+08:00",
                         "end": "2026-09-08T00:00:00+08:00"},
              "after": {"value": None, "responses": 0, "start": "2026-09-10T00:00:00+08:00",
                        "end": "2026-09-10T00:00:00+08:00"},
              "method": None, "verdict": "insufficient_data", "final": False}
    Ticket.all_orgs.filter(pk=ticket.pk).update(status="resolved", effect=effect)
    url = reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})
    page = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "范围: 触点 送货上门 · 渠道 App" in page and "touchpoint=" not in page
    english = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Scope: Touchpoint 送货上门 · Channel App" in english
