"""Audit actions in words. Each app registers the actions it records (in `AppConfig.ready()`):

    register_audit_action("alert_rule.created", _("Alert rule created"))

`cem.services.audit_record(...)` stores the action string; the audit page shows its label
(an unregistered action is shown as it is).
"""

from django.utils.translation import gettext_lazy as _

_labels: dict[str, object] = {}


def register_audit_action(action: str, label) -> None:
    """Add (or replace) the label of one dotted action name."""
    _labels[action] = label


def audit_action_label(action: str) -> str:
    return str(_labels.get(action, action))


def audit_actions() -> list[tuple[str, str]]:
    """Every registered action with its label, sorted by action name."""
    return [(action, str(label)) for action, label in sorted(_labels.items())]


MEMBER_ADDED = "member.added"
MEMBER_CHANGED = "member.changed"
MEMBER_REMOVED = "member.removed"
USER_CREATED = "user.created"
DEPARTMENT_CREATED = "department.created"
DEPARTMENT_CHANGED = "department.changed"
DEPARTMENT_DELETED = "department.deleted"
API_KEY_CREATED = "api_key.created"
API_KEY_REVOKED = "api_key.revoked"
ORGANIZATION_CREATED = "organization.created"
ORGANIZATION_CHANGED = "organization.changed"

for _action, _label in (
    (MEMBER_ADDED, _("Member added")),
    (MEMBER_CHANGED, _("Member's role or department changed")),
    (MEMBER_REMOVED, _("Member removed")),
    (USER_CREATED, _("User account created")),
    (DEPARTMENT_CREATED, _("Department created")),
    (DEPARTMENT_CHANGED, _("Department changed")),
    (DEPARTMENT_DELETED, _("Department deleted")),
    (API_KEY_CREATED, _("API key created")),
    (API_KEY_REVOKED, _("API key revoked")),
    (ORGANIZATION_CREATED, _("Organization created")),
    (ORGANIZATION_CHANGED, _("Organization profile changed")),
):
    register_audit_action(_action, _label)
