"""The default department is never cleared silently (the routing page and the service refuse
"none" while one exists), creating a department with topics names its actor in the audit, and
every change of a topic's or touchpoint's owner is audited (who, what, from, to)."""

import pytest
from django.urls import reverse
from django.utils import translation

from cem import audit
from cem.errors import ApplicationError
from cem.models import AuditEvent, Department
from cem.services import department_create, organization_create
from cem.tenancy import org_scope
from improvement import audit as improvement_audit
from improvement.services.routing import (
    ERR_DEFAULT_REQUIRED,
    department_create_with_topics,
    department_set_default,
    route_department,
    topic_set_owner,
)
from voice.models import Topic

pytestmark = pytest.mark.django_db


def _defaults(org) -> list[str]:
    return list(Department.all_orgs.filter(organization=org, is_default=True).values_list("name", flat=True))


def test_clearing_the_default_is_refused_and_keeps_it(tenant):
    with tenant.scope(), pytest.raises(ApplicationError) as refused:
        department_set_default(organization=tenant.org, department=None)
    assert refused.value.field == "default_department"
    assert refused.value.message == ERR_DEFAULT_REQUIRED
    assert _defaults(tenant.org) == ["客服中心"]
    with tenant.scope():
        assert route_department(organization=tenant.org) == tenant.departments["客服中心"]


def test_none_changes_nothing_for_an_organization_without_a_default():
    org = organization_create(slug="nodefault", name="没有默认部门")
    department_create(organization=org, name="物流部")
    with org_scope(org):
        department_set_default(organization=org, department=None)
    assert _defaults(org) == []


def test_moving_the_default_keeps_exactly_one_and_is_audited(tenant):
    quality = tenant.departments["质量部"]
    with tenant.scope():
        department_set_default(organization=tenant.org, department=quality,
                               actor=tenant.users["manager"])
        department_set_default(organization=tenant.org, department=quality,
                               actor=tenant.users["manager"])  # unchanged: no second event
    assert _defaults(tenant.org) == ["质量部"]
    [event] = AuditEvent.all_orgs.filter(organization=tenant.org, action=audit.DEPARTMENT_CHANGED)
    assert event.actor == tenant.users["manager"] and event.target_id == str(quality.pk)
    assert event.details == {"is_default": {"from": False, "to": True}, "previous_default": "客服中心"}


def test_another_organizations_department_cannot_become_the_default(tenant, other_tenant):
    with tenant.scope(), pytest.raises(ApplicationError):
        department_set_default(organization=tenant.org,
                               department=other_tenant.departments["质量部"])
    assert _defaults(tenant.org) == ["客服中心"] and _defaults(other_tenant.org) == ["客服中心"]


def test_routing_page_refuses_none_in_plain_words_and_changes_nothing(manager_client, tenant, topic):
    url = reverse("routing-settings")
    page = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="">' not in page.split('name="default_department"')[1].split("</select>")[0]
    response = manager_client.post(url, {"default_department": "", f"topic-{topic.pk}": ""},
                                   HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    with translation.override("zh-hans"):
        refusal = str(ERR_DEFAULT_REQUIRED)
    assert "默认部门" in refusal and refusal in response.content.decode()
    assert _defaults(tenant.org) == ["客服中心"]
    assert Topic.all_orgs.get(pk=topic.pk).department == tenant.departments["物流部"]  # owners untouched


def test_routing_page_moves_the_default_with_the_manager_in_the_audit(manager_client, tenant):
    quality = tenant.departments["质量部"]
    manager_client.post(reverse("routing-settings"), {"default_department": quality.pk})
    assert _defaults(tenant.org) == ["质量部"]
    event = AuditEvent.all_orgs.get(organization=tenant.org, action=audit.DEPARTMENT_CHANGED)
    assert event.actor == tenant.users["manager"]


def test_create_with_topics_records_the_actor(tenant, topic):
    with tenant.scope():
        department = department_create_with_topics(organization=tenant.org, name="售后部",
                                                   topics=["物流配送"], actor=tenant.users["admin"])
    event = AuditEvent.all_orgs.get(organization=tenant.org, action=audit.DEPARTMENT_CREATED,
                                    target_id=str(department.pk))
    assert event.actor == tenant.users["admin"] and event.actor_label == tenant.users["admin"].username


def test_the_departments_api_records_the_signed_in_user(manager_client, tenant, topic):
    response = manager_client.post("/api/v1/departments/", {"name": "售后部", "topics": ["物流配送"]},
                                   format="json")
    assert response.status_code == 201, response.json()
    event = AuditEvent.all_orgs.get(organization=tenant.org, action=audit.DEPARTMENT_CREATED,
                                    target_id=str(response.json()["id"]))
    assert event.actor == tenant.users["manager"]


def test_the_departments_api_with_a_key_records_the_key(api_client, tenant):
    response = api_client(scopes=["manage"]).post("/api/v1/departments/", {"name": "门店运营部"},
                                                  format="json")
    assert response.status_code == 201
    event = AuditEvent.all_orgs.get(organization=tenant.org, action=audit.DEPARTMENT_CREATED,
                                    target_id=str(response.json()["id"]))
    assert event.actor is None and event.actor_label.startswith("API key: test (")


def _owner_events(tenant) -> list[tuple[str, str, str, dict]]:
    rows = AuditEvent.all_orgs.filter(organization=tenant.org, action=improvement_audit.OWNER_CHANGED)
    return [(e.actor_label, e.target_type, e.target_label, e.details) for e in rows.order_by("id")]


def test_the_routing_page_audits_each_owner_it_changes(manager_client, tenant, topic, touchpoint):
    quality = tenant.departments["质量部"]
    response = manager_client.post(reverse("routing-settings"), {
        "default_department": tenant.departments["客服中心"].pk,
        f"topic-{topic.pk}": quality.pk, f"touchpoint-{touchpoint.pk}": quality.pk})
    assert response.status_code == 302
    manager = tenant.users["manager"].username
    assert _owner_events(tenant) == [
        (manager, "topic", "物流配送", {"department": {"from": "物流部", "to": "质量部"}}),
        (manager, "touchpoint", str(touchpoint), {"department": {"from": None, "to": "质量部"}})]
    # saving the same owners again changes nothing and records nothing
    manager_client.post(reverse("routing-settings"), {
        "default_department": tenant.departments["客服中心"].pk,
        f"topic-{topic.pk}": quality.pk, f"touchpoint-{touchpoint.pk}": quality.pk})
    assert len(_owner_events(tenant)) == 2


def test_releasing_a_topic_is_audited_and_other_organizations_see_nothing(tenant, other_tenant, topic):
    with tenant.scope():
        topic_set_owner(organization=tenant.org, topic=topic, department=None)
    assert Topic.all_orgs.get(pk=topic.pk).department is None
    assert _owner_events(tenant) == [("", "topic", "物流配送", {"department": {"from": "物流部", "to": None}})]
    assert not AuditEvent.all_orgs.filter(organization=other_tenant.org,
                                          action=improvement_audit.OWNER_CHANGED).exists()


def test_another_organizations_department_cannot_own_a_topic(tenant, other_tenant, topic):
    with tenant.scope(), pytest.raises(ApplicationError):
        topic_set_owner(organization=tenant.org, topic=topic,
                        department=other_tenant.departments["质量部"])
    assert Topic.all_orgs.get(pk=topic.pk).department == tenant.departments["物流部"]
    assert _owner_events(tenant) == []


def test_create_with_topics_audits_the_topics_it_moves(tenant, topic):
    with tenant.scope():
        department_create_with_topics(organization=tenant.org, name="售后部", topics=["物流配送"],
                                      actor=tenant.users["admin"])
    assert _owner_events(tenant) == [(tenant.users["admin"].username, "topic", "物流配送",
                                      {"department": {"from": "物流部", "to": "售后部"}})]
