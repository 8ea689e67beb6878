"""GET /api/v1/tickets/ (filters, shape, visibility, pagination, query count), detail, transition
and comments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.access import Actor
from improvement.models import Ticket
from improvement.services.rules import alert_rule_create
from improvement.services.tickets import ticket_create
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/"


def new_ticket(tenant, department="物流部", **kwargs):
    with tenant.scope():
        return ticket_create(organization=tenant.org, actor=Actor.system(), title=kwargs.pop("title", "快递慢"),
                             department=tenant.departments[department] if department else None, **kwargs)


@pytest.fixture
def reader(api_client):
    return api_client(scopes=["tickets:read", "tickets:write"])


def ids(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_list_shape_department_and_rule(reader, tenant):
    with tenant.scope():
        rule = alert_rule_create(organization=tenant.org, data={"kind": "keyword", "keywords": ["投诉"]})
    ticket = new_ticket(tenant, feedback_ids=[f.pk for f in make_feedback(tenant, 2)])
    Ticket.all_orgs.filter(pk=ticket.pk).update(rule=rule, source="rule")
    row = reader.get(URL).json()["results"][0]
    assert row["department"] == {"id": tenant.departments["物流部"].pk, "name": "物流部"}
    assert row["rule"] == rule.pk and row["status"] == "open" and row["evidence_count"] == 2
    assert row["overdue"] is False and row["due_at"] and row["assignee"] is None


def test_filters(reader, tenant):
    logistics = new_ticket(tenant, priority="urgent")
    quality = new_ticket(tenant, department="质量部", priority="low")
    late = new_ticket(tenant, department="质量部")
    Ticket.all_orgs.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1), status="in_progress")
    assert ids(reader, department=tenant.departments["物流部"].pk) == [logistics.pk]
    assert ids(reader, priority="low") == [quality.pk]
    assert ids(reader, status="in_progress") == [late.pk]
    assert ids(reader, overdue="true") == [late.pk]
    assert set(ids(reader, overdue="false")) == {logistics.pk, quality.pk}
    assert ids(reader, rule=999999) == []


@pytest.mark.parametrize("param,value", [("status", "done"), ("priority", "p0"), ("overdue", "maybe"),
                                         ("department", "x"), ("rule", "-1")])
def test_bad_filters_are_400_naming_the_parameter(reader, param, value):
    response = reader.get(URL, {param: value})
    assert response.status_code == 400 and param in response.json()["errors"]


def test_a_department_member_sees_only_their_department(member_client, manager_client, tenant):
    mine = new_ticket(tenant)
    theirs = new_ticket(tenant, department="质量部")
    assert ids(member_client) == [mine.pk]
    assert set(ids(manager_client)) == {mine.pk, theirs.pk}
    detail = reverse("api-ticket-detail", kwargs={"ticket_id": theirs.pk})
    assert member_client.get(detail).status_code == 404


def test_cursor_pagination_walks_every_ticket_once(reader, tenant):
    for i in range(7):
        new_ticket(tenant, title=f"工单{i}")
    seen, url = [], URL + "?page_size=3"
    while url:
        page = reader.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 7


def test_list_query_count_is_constant(reader, tenant, django_assert_max_num_queries):
    new_ticket(tenant)
    with django_assert_max_num_queries(8) as one:
        reader.get(URL)
    single = len(one)
    feedback = make_feedback(tenant, 3)
    for i in range(19):
        new_ticket(tenant, department=("物流部", "质量部", None)[i % 3], feedback_ids=[f.pk for f in feedback])
    with django_assert_max_num_queries(single):
        assert len(reader.get(URL).json()["results"]) == 20


def test_detail_has_history_evidence_and_effect(reader, tenant):
    rows = make_feedback(tenant, text="<script>alert(1)</script> 快递丢了")
    ticket = new_ticket(tenant, feedback_ids=[rows[0].pk])
    body = reader.get(reverse("api-ticket-detail", kwargs={"ticket_id": ticket.pk})).json()
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert body["evidence"][0]["feedback"] == rows[0].pk and "快递丢了" in body["evidence"][0]["text"]
    assert body["effect"] == {} and body["effect_final"] is False


def test_transition_and_comment(reader, tenant):
    ticket = new_ticket(tenant)
    transition = reverse("api-ticket-transition", kwargs={"ticket_id": ticket.pk})
    response = reader.post(transition, {"to_status": "in_progress", "comment": "处理中"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    assert response.json()["first_response_at"] is not None
    refused = reader.post(transition, {"to_status": "verified"}, format="json")
    assert refused.status_code == 409 and "to_status" in refused.json()["errors"]
    bad = reader.post(transition, {"to_status": "closed"}, format="json")
    assert bad.status_code == 400 and "to_status" in bad.json()["errors"]
    comments = reverse("api-ticket-comments", kwargs={"ticket_id": ticket.pk})
    created = reader.post(comments, {"text": "已联系物流商"}, format="json")
    assert created.status_code == 201 and created.json()["text"] == "已联系物流商"
    assert reader.post(comments, {"text": ""}, format="json").status_code == 400


def test_verify_and_reopen_need_manage_for_a_key(api_client, tenant):
    ticket = new_ticket(tenant)
    Ticket.all_orgs.filter(pk=ticket.pk).update(status="resolved", resolved_at=timezone.now())
    url = reverse("api-ticket-transition", kwargs={"ticket_id": ticket.pk})
    worker = api_client(scopes=["tickets:read", "tickets:write"])
    assert worker.post(url, {"to_status": "verified"}, format="json").status_code == 403
    boss = api_client(scopes=["tickets:read", "tickets:write", "manage"])
    assert boss.post(url, {"to_status": "verified"}, format="json").json()["status"] == "verified"


def test_scopes_and_roles(api_client, viewer_client, member_client, tenant):
    ticket = new_ticket(tenant, department="质量部")
    assert api_client(scopes=["feedback:read"]).get(URL).status_code == 403
    assert api_client(scopes=["tickets:read"]).post(URL, {"title": "x"}, format="json").status_code == 403
    assert viewer_client.get(URL).status_code == 200
    comments = reverse("api-ticket-comments", kwargs={"ticket_id": ticket.pk})
    assert viewer_client.post(comments, {"text": "看看"}, format="json").status_code == 403
    assert member_client.post(comments, {"text": "看看"}, format="json").status_code == 404


def test_create_by_api(reader, tenant, touchpoint):
    rows = make_feedback(tenant)
    response = reader.post(URL, {"title": "门店排队太久", "priority": "high", "touchpoint": "delivery",
                                 "feedback": [rows[0].pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["department"]["name"] == "客服中心" and body["evidence_count"] == 1
    assert body["touchpoint"] == "delivery" and body["priority"] == "high"
    other = reader.post(URL, {"title": "x", "feedback": [999999]}, format="json")
    assert other.status_code == 400 and "feedback" in other.json()["errors"]
