"""Audit actions of the closed loop's settings (registered in ImprovementConfig.ready): who
created, changed or deleted an alert rule, a webhook or the SLA policy (cem.services.audit_record).
Webhook URLs are recorded by host only: robots' URLs carry their access token."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from cem.audit import register_audit_action

ALERT_RULE_CREATED = "alert_rule.created"
ALERT_RULE_CHANGED = "alert_rule.changed"
ALERT_RULE_DELETED = "alert_rule.deleted"
WEBHOOK_CREATED = "webhook.created"
WEBHOOK_CHANGED = "webhook.changed"
WEBHOOK_DELETED = "webhook.deleted"
SLA_POLICY_CHANGED = "sla_policy.changed"
OWNER_CHANGED = "routing.owner_changed"

ACTIONS = (
    (ALERT_RULE_CREATED, _("Alert rule created")),
    (ALERT_RULE_CHANGED, _("Alert rule changed")),
    (ALERT_RULE_DELETED, _("Alert rule deleted")),
    (WEBHOOK_CREATED, _("Webhook added")),
    (WEBHOOK_CHANGED, _("Webhook changed")),
    (WEBHOOK_DELETED, _("Webhook deleted")),
    (SLA_POLICY_CHANGED, _("SLA policy changed")),
    (OWNER_CHANGED, _("Owning department of a topic or touchpoint changed")),
)


def register_actions() -> None:
    for action, label in ACTIONS:
        register_audit_action(action, label)


def plain(value):
    """A JSON-friendly form of a rule or webhook field (objects by their name)."""
    if hasattr(value, "_meta"):
        return getattr(value, "name", None) or str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def url_host(url: str) -> str:
    return urlsplit(url or "").hostname or ""
