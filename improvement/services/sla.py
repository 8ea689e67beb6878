"""Writes of the SLA policy (targets per priority)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from cem.services import audit_record
from improvement import audit
from improvement.models import Priority, SlaPolicy
from improvement.sla import CACHE_ATTRIBUTE, DEFAULT_SLA

ERR_PRIORITY = _("Unknown priority.")
ERR_MINUTES = _("Targets are between 1 minute and 365 days.")
ERR_ORDER = _("The resolution target cannot be shorter than the first-response target.")
MAX_MINUTES = 365 * 24 * 60


@transaction.atomic
def sla_policy_set(*, organization, priority: str, first_response_minutes: int,
                   resolution_minutes: int, use_business_hours: bool = False,
                   actor=None) -> SlaPolicy:
    """Upsert the targets of one priority. Open tickets keep the due times they were given.
    A change is audited with `actor`."""
    if priority not in Priority.values:
        raise ApplicationError(ERR_PRIORITY, field="priority")
    for field, value in (("first_response_minutes", first_response_minutes),
                         ("resolution_minutes", resolution_minutes)):
        if not 1 <= value <= MAX_MINUTES:
            raise ApplicationError(ERR_MINUTES, field=field)
    if resolution_minutes < first_response_minutes:
        raise ApplicationError(ERR_ORDER, field="resolution_minutes")
    organization.__dict__.pop(CACHE_ATTRIBUTE, None)
    wanted = {"first_response_minutes": first_response_minutes,
              "resolution_minutes": resolution_minutes, "use_business_hours": use_business_hours}
    existing = SlaPolicy.objects.filter(organization=organization, priority=priority).first()
    target = DEFAULT_SLA[priority]
    before = ({k: getattr(existing, k) for k in wanted} if existing else
              {"first_response_minutes": target.first_response_minutes,
               "resolution_minutes": target.resolution_minutes, "use_business_hours": False})
    policy, _created = SlaPolicy.objects.update_or_create(
        organization=organization, priority=priority, defaults=wanted)
    changed = {k: {"from": before[k], "to": v} for k, v in wanted.items() if before[k] != v}
    if changed:
        audit_record(organization=organization, actor=actor, action=audit.SLA_POLICY_CHANGED,
                     target=policy, details={"priority": priority, **changed})
    return policy


@transaction.atomic
def sla_policy_ensure_defaults(*, organization_id: int) -> int:
    """Store the default targets for priorities that have no row; idempotent. Returns rows added."""
    existing = set(SlaPolicy.objects.filter(organization_id=organization_id)
                   .values_list("priority", flat=True))
    rows = [SlaPolicy(organization_id=organization_id, priority=t.priority,
                      first_response_minutes=t.first_response_minutes,
                      resolution_minutes=t.resolution_minutes)
            for t in DEFAULT_SLA.values() if t.priority not in existing]
    SlaPolicy.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
