"""First response and resolution times of service interactions (counted by `opened_at`).

- First response runs from the last (re)opening: `first_response_at − (reopened_at or
  opened_at)`. A reopened interaction not yet answered since its reopening has no time yet.
- Resolution runs from the first opening: `resolved_at − opened_at`; an interaction reopened
  after its resolution is open again and has no resolution time.
Both come as wall-clock seconds and as seconds within the organization's business hours
(None, with a note, when the organization has no calendar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from metrics import definitions as d
from metrics.business_hours import BusinessCalendar, compile_calendar
from metrics.filters import ResolvedFilters
from metrics.raw import NO_TOUCHPOINT
from voice.models import Interaction

NOTE_NO_CALENDAR = _("No business-hours calendar is set for this organization.")
NOTE_NO_TOPIC = _("Interactions have no topics: the topic filter does not apply to them.")


@dataclass(frozen=True)
class InteractionTimes:
    opened_at: datetime
    touchpoint: int
    channel: str
    segment: str
    frt: tuple[datetime, datetime] | None
    resolution: tuple[datetime, datetime] | None


def clock_intervals(opened_at, reopened_at, first_response_at, resolved_at):
    """(first response interval, resolution interval): each (start, end) or None."""
    clock = reopened_at or opened_at
    frt = (clock, first_response_at) if first_response_at and first_response_at >= clock else None
    reopened_after = reopened_at is not None and resolved_at is not None and reopened_at > resolved_at
    resolution = ((opened_at, resolved_at) if resolved_at and resolved_at >= opened_at
                  and not reopened_after else None)
    return frt, resolution


def interaction_times(*, organization, start: datetime, end: datetime,
                      filters: ResolvedFilters) -> list[InteractionTimes]:
    """The organization's interactions opened in `[start, end)` with their two intervals."""
    if end <= start or filters.is_empty_selection:
        return []
    qs = Interaction.objects.filter(organization=organization, opened_at__gte=start,
                                    opened_at__lt=end)
    if filters.touchpoint_ids is not None:
        qs = qs.filter(touchpoint_id__in=sorted(filters.touchpoint_ids))
    if filters.channel is not None:
        qs = qs.filter(channel=filters.channel)
    if filters.segment is not None:
        qs = qs.filter(segment=filters.segment)
    out = []
    for opened, reopened, responded, resolved, tp, channel, segment in qs.order_by().values_list(
            "opened_at", "reopened_at", "first_response_at", "resolved_at", "touchpoint_id",
            "channel", "segment"):
        frt, resolution = clock_intervals(opened, reopened, responded, resolved)
        out.append(InteractionTimes(opened, tp or NO_TOUCHPOINT, channel, segment, frt,
                                    resolution))
    return out


def organization_calendar(organization) -> BusinessCalendar | None:
    return compile_calendar(organization.business_hours, organization.tzinfo)


def duration_metric(figure: dict) -> dict:
    """A duration figure in the `metric_value` shape: value = median seconds."""
    return {"value": figure["median_seconds"], "responses": figure["interactions"], **figure}


def metric_kind(metric: str) -> str:
    return {d.FRT: "frt", d.RESOLUTION: "resolution"}[metric]
