"""The audit history: one `AuditEvent` per settings change, written in the change's transaction."""

from __future__ import annotations

import json
from contextvars import ContextVar, Token

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from cem.errors import ApplicationError
from cem.models import AuditEvent, Organization

ERR_AUDIT_ACTION = "An audit action is a dotted name such as 'member.added'."
ERR_AUDIT_DETAILS = "Audit details must be a JSON object."
MAX_DETAILS_BYTES = 16 * 1024

#: The API key of the request being served (set by OrgAPIView around the view): a change a
#: partner's system makes has no user, but the audit history still says which key made it.
_acting_key: ContextVar = ContextVar("audit_acting_api_key", default=None)


def api_key_acting(key) -> Token:
    """Mark `key` as the actor of the audit events recorded until `api_key_released`."""
    return _acting_key.set(key)


def api_key_released(token: Token) -> None:
    _acting_key.reset(token)


def _actor_label(organization: Organization, user) -> str:
    if user is not None:
        return user.get_username()
    key = _acting_key.get()
    if key is not None and key.organization_id == organization.pk:
        return f"API key: {key}"[:150]
    return ""


@transaction.atomic
def audit_record(*, organization: Organization, actor, action: str,
                 target: models.Model | None = None, target_label: str = "",
                 details: dict | None = None) -> AuditEvent:
    """Record who changed what. `actor` is a user or None (a command, the system, or the API key
    serving the request: its name is recorded as the actor's label); `target` a
    model instance of this organization (its type, id and str() are kept), `details` a small
    JSON object; a changed value is written {"field": {"from": old, "to": new}}."""
    if not action or "." not in action or len(action) > 64:
        raise ApplicationError(ERR_AUDIT_ACTION, field="action")
    details = details or {}
    if not isinstance(details, dict):
        raise ApplicationError(ERR_AUDIT_DETAILS, field="details")
    # NOTE: round-trip through JSON so what is stored is exactly what the page shows later.
    encoded = json.dumps(details, cls=DjangoJSONEncoder, ensure_ascii=False)
    if len(encoded.encode()) > MAX_DETAILS_BYTES:
        details = {"truncated": True}
    else:
        details = json.loads(encoded)
    target_type, target_id = "", ""
    if target is not None:
        target_type = target._meta.model_name
        target_id = str(target.pk)
        target_label = target_label or str(target)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.all_orgs.create(
        organization=organization, actor=user, actor_label=_actor_label(organization, user),
        action=action, target_type=target_type, target_id=target_id,
        target_label=target_label[:200], details=details,
    )
