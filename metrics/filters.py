"""Metric filters: `journey` (id), `touchpoint` (key), `channel`, `segment`, `topic` (name).

`resolve_filters` turns them into ids once, for the organization only: an unknown value and
another organization's value are the same 400 naming the parameter, so nothing leaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from journeys.selectors import journey_list, touchpoint_list
from voice.models import Channel, Topic

FILTER_NAMES = ("journey", "touchpoint", "channel", "segment", "topic")

ERR_UNKNOWN_FILTER = _("Unknown filter: {name}.")
ERR_JOURNEY = _("Unknown journey.")
ERR_TOUCHPOINT = _("Unknown touchpoint key.")
ERR_CHANNEL = _("Unknown channel.")
ERR_TOPIC = _("Unknown topic.")


@dataclass(frozen=True)
class ResolvedFilters:
    """Filters as ids. `touchpoint_ids` None = any touchpoint (including none); empty = nothing."""

    touchpoint_ids: frozenset[int] | None = None
    channel: str | None = None
    segment: str | None = None
    topic_id: int | None = None
    applied: tuple[str, ...] = ()

    @property
    def is_empty_selection(self) -> bool:
        return self.touchpoint_ids is not None and not self.touchpoint_ids


def _journey_touchpoints(organization, value) -> set[int]:
    try:
        journey_id = int(value)
    except (TypeError, ValueError):
        raise ApplicationError(ERR_JOURNEY, field="journey") from None
    if not journey_list(organization=organization).filter(pk=journey_id).exists():
        raise ApplicationError(ERR_JOURNEY, field="journey")
    return set(touchpoint_list(organization=organization).filter(stage__journey_id=journey_id)
               .values_list("pk", flat=True))


def _touchpoint_id(organization, key) -> int:
    found = (touchpoint_list(organization=organization).filter(key=str(key)[:64])
             .values_list("pk", flat=True).first())
    if found is None:
        raise ApplicationError(ERR_TOUCHPOINT, field="touchpoint")
    return found


def resolve_filters(*, organization, filters: dict | None) -> ResolvedFilters:
    """Validate and resolve metric filters (empty values are ignored); raises ApplicationError."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    for name in filters:
        if name not in FILTER_NAMES:
            raise ApplicationError(ERR_UNKNOWN_FILTER.format(name=name), field=name)
    touchpoints: set[int] | None = None
    if "journey" in filters:
        touchpoints = _journey_touchpoints(organization, filters["journey"])
    if "touchpoint" in filters:
        wanted = {_touchpoint_id(organization, filters["touchpoint"])}
        touchpoints = wanted if touchpoints is None else touchpoints & wanted
    channel = filters.get("channel")
    if channel is not None and channel not in Channel.values:
        raise ApplicationError(ERR_CHANNEL, field="channel")
    topic_id = None
    if "topic" in filters:
        topic_id = (Topic.objects.filter(organization=organization, name=str(filters["topic"]))
                    .values_list("pk", flat=True).first())
        if topic_id is None:
            raise ApplicationError(ERR_TOPIC, field="topic")
    return ResolvedFilters(
        touchpoint_ids=frozenset(touchpoints) if touchpoints is not None else None,
        channel=channel, segment=filters.get("segment"), topic_id=topic_id,
        applied=tuple(sorted(filters)))
