"""SLA targets per priority and the due times they give a ticket.

Defaults (minutes, first response / resolution): urgent 60 / 480, high 240 / 1440,
normal 480 / 4320, low 1440 / 10080. An organization's SlaPolicy rows override them; with
`use_business_hours` the clock runs only in the organization's business hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from improvement.models import Priority, SlaPolicy


@dataclass(frozen=True)
class SlaTarget:
    priority: str
    first_response_minutes: int
    resolution_minutes: int
    use_business_hours: bool = False


DEFAULT_SLA: dict[str, SlaTarget] = {
    Priority.URGENT: SlaTarget(Priority.URGENT, 60, 8 * 60),
    Priority.HIGH: SlaTarget(Priority.HIGH, 4 * 60, 24 * 60),
    Priority.NORMAL: SlaTarget(Priority.NORMAL, 8 * 60, 3 * 24 * 60),
    Priority.LOW: SlaTarget(Priority.LOW, 24 * 60, 7 * 24 * 60),
}


#: Attribute caching the targets on an Organization instance (one query per request or task).
CACHE_ATTRIBUTE = "_improvement_sla_targets"


def sla_targets(*, organization) -> dict[str, SlaTarget]:
    """The organization's target for every priority (its rows, else the defaults).

    Cached on the organization instance; `improvement.services.sla.sla_policy_set` clears it.
    """
    cached = organization.__dict__.get(CACHE_ATTRIBUTE)
    if cached is not None:
        return cached
    targets = dict(DEFAULT_SLA)
    for row in SlaPolicy.objects.filter(organization=organization):
        if row.priority in targets:
            targets[row.priority] = SlaTarget(row.priority, row.first_response_minutes,
                                              row.resolution_minutes, row.use_business_hours)
    organization.__dict__[CACHE_ATTRIBUTE] = targets
    return targets


def add_minutes(*, organization, start: datetime, minutes: int, business_hours: bool) -> datetime:
    """`start` + `minutes` of wall-clock time, or of business time when asked and a calendar exists."""
    if business_hours and organization.business_hours:
        from improvement.business_time import add_business_seconds

        return add_business_seconds(start=start, seconds=minutes * 60,
                                    calendar=organization.business_hours, tz=organization.tzinfo)
    return start + timedelta(minutes=minutes)


def due_times(*, organization, priority: str, start: datetime,
              targets: dict[str, SlaTarget] | None = None) -> tuple[datetime, datetime]:
    """(first response due, resolution due) for a ticket of `priority` opened at `start`."""
    target = (targets or sla_targets(organization=organization)).get(priority, DEFAULT_SLA[Priority.NORMAL])
    return (
        add_minutes(organization=organization, start=start, minutes=target.first_response_minutes,
                    business_hours=target.use_business_hours),
        add_minutes(organization=organization, start=start, minutes=target.resolution_minutes,
                    business_hours=target.use_business_hours),
    )
