"""The audit history: one `AuditEvent` per settings change, written in the change's transaction."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from cem.errors import ApplicationError
from cem.models import AuditEvent, Organization

ERR_AUDIT_ACTION = "An audit action is a dotted name such as 'member.added'."
ERR_AUDIT_DETAILS = "Audit details must be a JSON object."
MAX_DETAILS_BYTES = 16 * 1024


@transaction.atomic
def audit_record(*, organization: Organization, actor, action: str,
                 target: models.Model | None = None, target_label: str = "",
                 details: dict | None = None) -> AuditEvent:
    """Record who changed what. `actor` is a user or None (a command, the system); `target` a
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
        organization=organization, actor=user, actor_label=user.get_username() if user else "",
        action=action, target_type=target_type, target_id=target_id,
        target_label=target_label[:200], details=details,
    )
