"""Duration values (first response, resolution; wall-clock and business hours) of the
interactions opened in a range, grouped: from the interaction cells for whole clean local
days, from the raw rows for the part-day edges and for days still marked dirty.

Figures come from the values themselves (exact percentiles): a cell keeps every value of its
day as float64 bytes, computed by the same functions as the raw path.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from metrics import definitions as d
from metrics.filters import ResolvedFilters
from metrics.interactions import (
    NOTE_NO_CALENDAR,
    InteractionTimes,
    interaction_times,
    organization_calendar,
)
from metrics.models import (
    InteractionDayCell,
    InteractionDayChannel,
    InteractionDaySegment,
    InteractionDayTotal,
    InteractionDayTouchpoint,
    RollupState,
)
from metrics.periods import local_day, split_range
from metrics.rollups.levels import rollups_supported

KINDS = ("frt", "resolution")
VALUE_FIELDS = ("frt_wall", "frt_business", "resolution_wall", "resolution_business")
#: Coarsest first, like the feedback levels (interactions have no topics).
LEVELS = ((InteractionDayTotal, ()), (InteractionDayTouchpoint, ("touchpoint",)),
          (InteractionDayChannel, ("channel",)), (InteractionDaySegment, ("segment",)),
          (InteractionDayCell, ("touchpoint", "channel", "segment")))
#: Levels concatenated in SQL from the full cells (packed values concatenate exactly).
DERIVED = (InteractionDayTouchpoint, InteractionDayChannel, InteractionDaySegment)


@dataclass
class Durations:
    frt_wall: list[float] = field(default_factory=list)
    frt_business: list[float] = field(default_factory=list)
    resolution_wall: list[float] = field(default_factory=list)
    resolution_business: list[float] = field(default_factory=list)

    def extend(self, other: Durations) -> Durations:
        for name in VALUE_FIELDS:
            getattr(self, name).extend(getattr(other, name))
        return self


def pack(values: list[float]) -> bytes:
    return array("d", values).tobytes()


def unpack(raw) -> list[float]:
    values = array("d")
    values.frombytes(bytes(raw))
    return values.tolist()


def add_row(target: Durations, row: InteractionTimes, calendar) -> None:
    for kind in KINDS:
        interval = getattr(row, kind)
        if interval is None:
            continue
        start, end = interval
        getattr(target, f"{kind}_wall").append((end - start).total_seconds())
        if calendar is not None:
            getattr(target, f"{kind}_business").append(calendar.seconds(start, end))


def row_key(row: InteractionTimes, group: tuple[str, ...], tz) -> tuple:
    values = {"day": None, "touchpoint": row.touchpoint, "channel": row.channel,
              "segment": row.segment}
    if "day" in group:
        values["day"] = local_day(row.opened_at, tz)
    return tuple(values[name] for name in group)


def group_rows(rows, group: tuple[str, ...], tz, calendar) -> dict[tuple, Durations]:
    out: dict[tuple, Durations] = defaultdict(Durations)
    for row in rows:
        add_row(out[row_key(row, group, tz)], row, calendar)
    return dict(out)


def interaction_rollups_ready(organization) -> bool:
    """Cells built in the organization's time zone and with its current calendar."""
    if not rollups_supported():
        return False
    state = (RollupState.all_orgs.filter(organization=organization)
             .values_list("timezone", "business_hours").first())
    return state is not None and state == (organization.timezone, organization.business_hours)


def _level(filters: ResolvedFilters, group: tuple[str, ...]):
    needed = set(group) - {"day"}
    if filters.touchpoint_ids is not None:
        needed.add("touchpoint")
    if filters.channel is not None:
        needed.add("channel")
    if filters.segment is not None:
        needed.add("segment")
    return next((model, dims) for model, dims in LEVELS if needed <= set(dims))


def _cell_values(organization, split, skip, filters, group) -> dict[tuple, Durations]:
    model, _dims = _level(filters, group)
    qs = model.all_orgs.filter(organization=organization, day__gte=split.first_day,
                               day__lt=split.end_day).order_by()
    if skip:
        qs = qs.exclude(day__in=sorted(skip))
    if filters.touchpoint_ids is not None:
        qs = qs.filter(touchpoint_id__in=sorted(filters.touchpoint_ids))
    if filters.channel is not None:
        qs = qs.filter(channel=filters.channel)
    if filters.segment is not None:
        qs = qs.filter(segment=filters.segment)
    columns = {"day": "day", "touchpoint": "touchpoint_id", "channel": "channel",
               "segment": "segment"}
    out: dict[tuple, Durations] = defaultdict(Durations)
    for row in qs.values_list(*(columns[name] for name in group), *VALUE_FIELDS):
        target = out[tuple(row[:len(group)])]
        for name, raw in zip(VALUE_FIELDS, row[len(group):], strict=True):
            getattr(target, name).extend(unpack(raw))
    return dict(out)


def duration_values(*, organization, start: datetime, end: datetime, filters: ResolvedFilters,
                    group: tuple[str, ...] = ()) -> dict[tuple, Durations]:
    """{group key: Durations} of the interactions opened in `[start, end)` (group: day,
    touchpoint, channel, segment; the key is () without grouping)."""
    from metrics.rollups.build import day_ranges
    from metrics.rollups.read import dirty_days

    tz, calendar = organization.tzinfo, organization_calendar(organization)
    split = split_range(start, end, tz)
    if (filters.is_empty_selection or not split.has_days
            or not interaction_rollups_ready(organization)):
        rows = interaction_times(organization=organization, start=start, end=end,
                                 filters=filters)
        return group_rows(rows, group, tz, calendar)
    stale = dirty_days(organization, split.first_day, split.end_day)
    out = _cell_values(organization, split, stale, filters, group)
    for edge_start, edge_end in [*split.edges, *day_ranges(stale, tz)]:
        rows = interaction_times(organization=organization, start=edge_start, end=edge_end,
                                 filters=filters)
        for key, values in group_rows(rows, group, tz, calendar).items():
            out[key] = out.get(key, Durations()).extend(values)
    return out


def _stats(values: list[float]) -> dict:
    stats = d.duration_stats(values)
    return {"median_seconds": stats["median"], "p90_seconds": stats["p90"],
            "mean_seconds": stats["mean"], "interactions": stats["count"]}


def figure_from_values(values: Durations, kind: str, has_calendar: bool) -> dict:
    """The summary figure of one kind ("frt" | "resolution"), wall-clock and business hours."""
    wall = getattr(values, f"{kind}_wall")
    figure = _stats(wall)
    if has_calendar:
        figure["business_hours"] = _stats(getattr(values, f"{kind}_business"))
    else:
        figure["business_hours"] = {"median_seconds": None, "p90_seconds": None,
                                    "mean_seconds": None, "interactions": len(wall),
                                    "note": str(NOTE_NO_CALENDAR)}
    return figure
