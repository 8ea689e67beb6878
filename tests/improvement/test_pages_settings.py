"""Settings sections of the closed loop: alert rules, routing, SLA, webhooks, the delivery log."""

import pytest
from django.urls import reverse

from cem.models import Department
from improvement.models import AlertRule, SlaPolicy, WebhookDelivery, WebhookEndpoint
from journeys.models import Touchpoint
from voice.models import Topic

pytestmark = pytest.mark.django_db
SECTIONS = ("alert-rule-list", "routing-settings", "sla-settings", "webhook-list")


@pytest.mark.parametrize("name", SECTIONS)
def test_sections_are_for_managers(name, manager_client, member_client, viewer_client, admin_client_):
    url = reverse(name)
    assert manager_client.get(url).status_code == 200
    assert admin_client_.get(url).status_code == 200
    assert member_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 403


def test_delivery_log_is_for_admins(manager_client, admin_client_):
    assert admin_client_.get(reverse("webhook-deliveries")).status_code == 200
    assert manager_client.get(reverse("webhook-deliveries")).status_code == 403


def test_create_rules_of_each_kind_in_the_browser(manager_client, topic, touchpoint):
    url = reverse("alert-rule-list")
    posts = [
        {"kind": "topic_negative_count", "topic": topic.pk, "threshold": "10", "window_minutes": "60",
         "cooldown_minutes": "1440"},
        {"kind": "metric_threshold", "metric": "nps", "comparison": "lt", "threshold": "0",
         "window_minutes": "10080", "min_responses": "30", "touchpoint": touchpoint.pk, "cooldown_minutes": "0"},
        {"kind": "keyword", "keywords": "投诉，12315 曝光、律师", "priority": "urgent", "cooldown_minutes": "0"},
    ]
    for data in posts:
        response = manager_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    keyword = AlertRule.all_orgs.get(kind="keyword")
    assert keyword.keywords == ["投诉", "12315", "曝光", "律师"] and keyword.priority == "urgent"
    assert AlertRule.all_orgs.get(kind="metric_threshold").touchpoint == touchpoint
    page = manager_client.get(url).content.decode()
    assert "物流配送 负面反馈 ≥ 10 / 60 分钟" in page


def test_invalid_rule_shows_the_error_on_the_field(manager_client):
    response = manager_client.post(reverse("alert-rule-list"), {"kind": "topic_negative_count",
                                                               "threshold": "3", "window_minutes": "60",
                                                               "cooldown_minutes": "0"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not AlertRule.all_orgs.exists()


def test_edit_toggle_and_delete_a_rule(manager_client, tenant):
    manager_client.post(reverse("alert-rule-list"), {"kind": "keyword", "keywords": "投诉",
                                                     "cooldown_minutes": "0"})
    rule = AlertRule.all_orgs.get()
    edit = reverse("alert-rule-edit", kwargs={"rule_id": rule.pk})
    assert manager_client.get(edit).status_code == 200
    manager_client.post(edit, {"keywords": "投诉, 律师", "name": "严重投诉", "cooldown_minutes": "30",
                               "kind": "metric_threshold"})
    rule.refresh_from_db()
    assert (rule.kind, rule.name, rule.keywords, rule.cooldown_minutes) == ("keyword", "严重投诉", ["投诉", "律师"], 30)
    manager_client.post(reverse("alert-rule-toggle", kwargs={"rule_id": rule.pk}))
    rule.refresh_from_db()
    assert rule.is_enabled is False
    manager_client.post(reverse("alert-rule-delete", kwargs={"rule_id": rule.pk}))
    assert not AlertRule.all_orgs.exists()


def test_routing_sets_owners_and_the_default(manager_client, tenant, topic, touchpoint):
    quality = tenant.departments["质量部"]
    response = manager_client.post(reverse("routing-settings"), {
        f"topic-{topic.pk}": quality.pk, f"touchpoint-{touchpoint.pk}": quality.pk,
        "default_department": quality.pk})
    assert response.status_code == 302
    assert Topic.all_orgs.get(pk=topic.pk).department == quality
    assert Touchpoint.all_orgs.get(pk=touchpoint.pk).department == quality
    assert list(Department.all_orgs.filter(organization=tenant.org, is_default=True)) == [quality]
    manager_client.post(reverse("routing-settings"), {f"topic-{topic.pk}": ""})
    assert Topic.all_orgs.get(pk=topic.pk).department is None
    assert Department.all_orgs.get(pk=quality.pk).is_default


def test_sla_policy_form(manager_client, tenant):
    data = {}
    for priority, (first, resolution) in {"urgent": ("0.5", "4"), "high": ("2", "24"), "normal": ("8", "72"),
                                          "low": ("24", "168")}.items():
        data.update({f"{priority}-first_response_hours": first, f"{priority}-first_response_minutes": "0",
                     f"{priority}-resolution_hours": resolution, f"{priority}-resolution_minutes": "0"})
    assert manager_client.post(reverse("sla-settings"), data).status_code == 302
    urgent = SlaPolicy.all_orgs.get(organization=tenant.org, priority="urgent")
    assert (urgent.first_response_minutes, urgent.resolution_minutes) == (30, 240)
    data["low-resolution_hours"] = "1"
    response = manager_client.post(reverse("sla-settings"), data)
    assert response.status_code == 200
    assert SlaPolicy.all_orgs.get(organization=tenant.org, priority="low").resolution_minutes == 168 * 60


def test_webhook_urls_that_reach_private_networks_are_refused(manager_client):
    response = manager_client.post(reverse("webhook-list"), {
        "name": "内网", "url": "http://169.254.169.254/latest/meta-data", "format": "generic",
        "events": ["ticket.created"], "is_active": "on"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not WebhookEndpoint.all_orgs.exists()


def test_add_edit_test_and_delete_a_webhook(manager_client, admin_client_, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    response = manager_client.post(reverse("webhook-list"), {
        "name": "钉钉群", "url": "http://127.0.0.1:8149/robot/send?access_token=T", "format": "dingtalk",
        "secret": "SEC1", "events": ["ticket.created", "ticket.overdue"], "is_active": "on"})
    assert response.status_code == 302
    endpoint = WebhookEndpoint.all_orgs.get()
    assert endpoint.secret == "SEC1" and endpoint.events == ["ticket.created", "ticket.overdue"]
    edit = reverse("webhook-edit", kwargs={"endpoint_id": endpoint.pk})
    page = manager_client.get(edit).content.decode()
    assert "SEC1" not in page
    manager_client.post(edit, {"name": "钉钉群2", "url": endpoint.url, "format": "dingtalk",
                               "events": ["ticket.overdue"], "secret": ""})
    endpoint.refresh_from_db()
    assert endpoint.name == "钉钉群2" and endpoint.secret == "SEC1" and endpoint.is_active is False
    manager_client.post(reverse("webhook-test", kwargs={"endpoint_id": endpoint.pk}))
    assert WebhookDelivery.all_orgs.get().event == "webhook.test"
    assert "webhook.test" in admin_client_.get(reverse("webhook-deliveries")).content.decode()
    manager_client.post(reverse("webhook-delete", kwargs={"endpoint_id": endpoint.pk}))
    assert not WebhookEndpoint.all_orgs.exists()
