"""The closed loop's settings changes land in the audit history with who made them: alert rules
(created, changed, enabled/disabled, deleted), webhooks (never their secret nor their URL's
token) and the SLA policy; the audit page names them in words. Editing a metric rule can clear
its touchpoint and channel."""

import json

import pytest
from django.urls import reverse

from cem.models import AuditEvent
from improvement.models import AlertRule, WebhookEndpoint

pytestmark = pytest.mark.django_db


def _events(tenant, prefix: str) -> list[tuple[str, str, dict]]:
    rows = AuditEvent.all_orgs.filter(organization=tenant.org, action__startswith=prefix).order_by("at", "id")
    return [(e.action, e.actor_label, e.details) for e in rows]


def test_alert_rule_changes_are_audited_with_their_author(manager_client, tenant, touchpoint):
    manager_client.post(reverse("alert-rule-list"), {
        "kind": "metric_threshold", "name": "送货 NPS", "metric": "nps", "comparison": "lt", "threshold": "0",
        "window_minutes": "1440", "min_responses": "30", "touchpoint": touchpoint.pk, "channel": "app",
        "cooldown_minutes": "60"})
    rule = AlertRule.all_orgs.get()
    assert (rule.touchpoint, rule.channel) == (touchpoint, "app")
    manager_client.post(reverse("alert-rule-edit", kwargs={"rule_id": rule.pk}), {
        "name": "送货 NPS", "metric": "nps", "comparison": "lt", "threshold": "-10", "window_minutes": "1440",
        "min_responses": "30", "touchpoint": "", "channel": "", "cooldown_minutes": "60"})
    rule.refresh_from_db()
    assert (rule.threshold, rule.touchpoint, rule.channel) == (-10, None, "")  # the scope is cleared
    manager_client.post(reverse("alert-rule-toggle", kwargs={"rule_id": rule.pk}))
    manager_client.post(reverse("alert-rule-delete", kwargs={"rule_id": rule.pk}))
    manager = tenant.users["manager"].username
    events = _events(tenant, "alert_rule.")
    assert [(a, who) for a, who, _d in events] == [
        ("alert_rule.created", manager), ("alert_rule.changed", manager),
        ("alert_rule.changed", manager), ("alert_rule.deleted", manager)]
    created, changed, toggled, deleted = (d for _a, _w, d in events)
    assert created["touchpoint"] == "送货上门" and created["threshold"] == 0 and created["kind"] == "metric_threshold"
    assert changed == {"threshold": {"from": 0.0, "to": -10.0}, "touchpoint": {"from": "送货上门", "to": None},
                       "channel": {"from": "app", "to": ""}}
    assert toggled == {"is_enabled": {"from": True, "to": False}}
    assert deleted == {"kind": "metric_threshold"}


def test_saving_an_unchanged_rule_writes_no_event(manager_client, tenant):
    manager_client.post(reverse("alert-rule-list"), {"kind": "keyword", "keywords": "投诉", "cooldown_minutes": "0"})
    rule = AlertRule.all_orgs.get()
    manager_client.post(reverse("alert-rule-edit", kwargs={"rule_id": rule.pk}), {
        "name": rule.name, "keywords": "投诉", "priority": "urgent", "cooldown_minutes": "0"})
    assert [a for a, _w, _d in _events(tenant, "alert_rule.")] == ["alert_rule.created"]


def test_the_rules_api_audits_its_changes(api_client, manager_client, tenant, topic):
    body = {"kind": "topic_negative_count", "topic": "物流配送", "threshold": 5, "window_minutes": 60}
    created = manager_client.post("/api/v1/alert-rules/", body, format="json")
    assert created.status_code == 201, created.json()
    patched = api_client(scopes=["manage"]).patch(f"/api/v1/alert-rules/{created.json()['id']}/",
                                                  {"threshold": 8}, format="json")
    assert patched.status_code == 200
    events = _events(tenant, "alert_rule.")
    assert [a for a, _who, _d in events] == ["alert_rule.created", "alert_rule.changed"]
    assert events[0][1] == tenant.users["manager"].username
    assert events[1][1].startswith("API key: test (")
    assert events[1][2] == {"threshold": {"from": 5.0, "to": 8.0}}


def test_webhook_changes_are_audited_without_secrets(manager_client, tenant, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    url = "http://127.0.0.1:8149/robot/send?access_token=TOKEN1"
    manager_client.post(reverse("webhook-list"), {
        "name": "钉钉群", "url": url, "format": "dingtalk", "secret": "SEC1",
        "events": ["ticket.created"], "is_active": "on"})
    endpoint = WebhookEndpoint.all_orgs.get()
    edit = reverse("webhook-edit", kwargs={"endpoint_id": endpoint.pk})
    manager_client.post(edit, {"name": "钉钉群", "url": url.replace("TOKEN1", "TOKEN2"), "format": "dingtalk",
                               "events": ["ticket.created"], "secret": "SEC2", "is_active": "on"})
    manager_client.post(reverse("webhook-delete", kwargs={"endpoint_id": endpoint.pk}))
    events = _events(tenant, "webhook.")
    assert [a for a, _w, _d in events] == ["webhook.created", "webhook.changed", "webhook.deleted"]
    assert events[0][2] == {"name": "钉钉群", "host": "127.0.0.1", "format": "dingtalk",
                            "events": ["ticket.created"], "is_active": True}
    assert events[1][2] == {"url_changed": True, "secret_changed": True}
    stored = json.dumps([d for _a, _w, d in events], ensure_ascii=False)
    assert "TOKEN" not in stored and "SEC" not in stored


def test_sla_changes_are_audited_per_priority(manager_client, tenant):
    data = {}
    for priority, (first, resolution) in {"urgent": ("0.5", "8"), "high": ("4", "24"), "normal": ("8", "72"),
                                          "low": ("24", "168")}.items():
        data.update({f"{priority}-first_response_hours": first, f"{priority}-first_response_minutes": "0",
                     f"{priority}-resolution_hours": resolution, f"{priority}-resolution_minutes": "0"})
    assert manager_client.post(reverse("sla-settings"), data).status_code == 302
    [(action, who, details)] = _events(tenant, "sla_policy.")  # only urgent moved off the defaults
    assert action == "sla_policy.changed" and who == tenant.users["manager"].username
    assert details == {"priority": "urgent", "first_response_minutes": {"from": 60, "to": 30}}


def test_the_audit_page_names_the_actions_in_words(manager_client, admin_client_, tenant):
    manager_client.post(reverse("alert-rule-list"), {"kind": "keyword", "keywords": "投诉", "cooldown_minutes": "0"})
    page = admin_client_.get(reverse("settings-audit"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "创建预警规则" in page
