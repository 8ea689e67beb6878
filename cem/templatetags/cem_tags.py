"""Template helpers of the core pages."""

import json

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cem.models import Membership

register = template.Library()

_ROLE_LABELS = dict(Membership.Role.choices)
#: names of the detail fields the core records (other apps' fields show as they are)
DETAIL_LABELS = {
    "role": gettext_lazy("Role"), "department": gettext_lazy("Department"),
    "name": gettext_lazy("Name"), "parent": gettext_lazy("Parent department"),
    "lead": gettext_lazy("Lead"), "is_default": gettext_lazy("Default department"),
    "timezone": gettext_lazy("Time zone"), "business_hours": gettext_lazy("Business hours"),
    "survey_invite_cap_days": gettext_lazy("Days between two survey invitations"),
    "scopes": gettext_lazy("Scopes"), "prefix": gettext_lazy("Prefix"),
    "email": gettext_lazy("Email"), "members_moved_to": gettext_lazy("Members moved to"),
    "members_moved": gettext_lazy("Members moved"),
    "children_moved_up": gettext_lazy("Sub-departments moved up"),
    "no_longer_leads": gettext_lazy("No longer leads"),
}


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return str(_ROLE_LABELS.get(value, value))
    if isinstance(value, list):
        return "、".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@register.filter
def audit_changes(details) -> list[tuple[str, str]]:
    """An audit event's details as (name, text) rows; a {"from", "to"} value reads "old → new"."""
    if not isinstance(details, dict):
        return []
    rows = []
    for name, value in details.items():
        label = str(DETAIL_LABELS.get(name, name))
        if isinstance(value, dict) and set(value) == {"from", "to"}:
            rows.append((label, f"{_text(value['from'])} → {_text(value['to'])}"))
        else:
            rows.append((label, _text(value)))
    return rows
