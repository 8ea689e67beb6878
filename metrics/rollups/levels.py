"""The cell tables (levels) and the dimensions each one keeps."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from metrics.counts import COUNT_FIELDS, FEEDBACK_FIELDS
from metrics.filters import ResolvedFilters
from metrics.models import (
    FeedbackDayCell,
    FeedbackDayChannel,
    FeedbackDaySegment,
    FeedbackDayTotal,
    FeedbackDayTouchpoint,
    TopicDayCell,
    TopicDayChannel,
    TopicDaySegment,
    TopicDayTotal,
    TopicDayTouchpoint,
)

#: dimension name → column of a cell table
COLUMNS = {"day": "day", "touchpoint": "touchpoint_id", "channel": "channel",
           "segment": "segment", "topic": "topic_id"}


@dataclass(frozen=True)
class Level:
    model: type
    dims: tuple[str, ...]  # besides the day
    by_topic: bool
    #: the finest level of the family: the others are summed from it (None: from raw rows)
    source: type | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return COUNT_FIELDS if self.by_topic else FEEDBACK_FIELDS

    @property
    def table(self) -> str:
        return self.model._meta.db_table


FULL = ("touchpoint", "channel", "segment")
#: Coarsest first: a query reads the first level keeping every dimension it needs.
LEVELS = (
    Level(FeedbackDayTotal, (), False, FeedbackDayCell),
    Level(FeedbackDayTouchpoint, ("touchpoint",), False, FeedbackDayCell),
    Level(FeedbackDayChannel, ("channel",), False, FeedbackDayCell),
    Level(FeedbackDaySegment, ("segment",), False, FeedbackDayCell),
    Level(FeedbackDayCell, FULL, False),
    Level(TopicDayTotal, ("topic",), True, TopicDayCell),
    Level(TopicDayTouchpoint, ("topic", "touchpoint"), True, TopicDayCell),
    Level(TopicDayChannel, ("topic", "channel"), True, TopicDayCell),
    Level(TopicDaySegment, ("topic", "segment"), True, TopicDayCell),
    Level(TopicDayCell, ("topic", *FULL), True),
)
#: Build order: the full cells (from raw rows) before the levels summed from them.
BUILD_ORDER = tuple(sorted(LEVELS, key=lambda level: level.source is not None))


def needed_dimensions(filters: ResolvedFilters, group: tuple[str, ...]) -> set[str]:
    needed = set(group) - {"day"}
    if filters.touchpoint_ids is not None:
        needed.add("touchpoint")
    if filters.channel is not None:
        needed.add("channel")
    if filters.segment is not None:
        needed.add("segment")
    if filters.topic_id is not None:
        needed.add("topic")
    return needed


def pick_level(*, by_topic: bool, filters: ResolvedFilters, group: tuple[str, ...]) -> Level:
    needed = needed_dimensions(filters, group)
    for level in LEVELS:
        if level.by_topic == by_topic and needed <= set(level.dims):
            return level
    raise ValueError(f"no rollup level keeps {sorted(needed)}")


def rollups_supported() -> bool:
    """Rollups (and their dirty-day triggers) exist on PostgreSQL; SQLite reads raw rows."""
    return connection.vendor == "postgresql"
