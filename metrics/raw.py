"""Feedback counts straight from the raw tables (one GROUP BY): the reference every rollup
must equal, the source for part-day edges of a range, and the fallback before rollups exist."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from metrics.counts import Counts, aggregates, counts_from_row
from metrics.filters import ResolvedFilters
from voice.models import Feedback, FeedbackTopic

#: Grouping dimensions understood by `raw_counts` (and by the rollups).
DIMENSIONS = ("day", "touchpoint", "channel", "segment", "topic")
#: Touchpoint id standing for "no touchpoint" in groupings and rollup cells.
NO_TOUCHPOINT = 0


def topic_based(filters: ResolvedFilters, group: tuple[str, ...]) -> bool:
    """Topic filters and groupings count (feedback, topic) links instead of feedback rows."""
    return filters.topic_id is not None or "topic" in group


def base_queryset(*, organization, ranges: list[tuple[datetime, datetime]],
                  filters: ResolvedFilters, by_topic: bool) -> QuerySet:
    """Feedback (or its topic links) of the organization occurred in any of `ranges`."""
    p = "feedback__" if by_topic else ""
    model = FeedbackTopic if by_topic else Feedback
    in_time = Q()
    for start, end in ranges:
        in_time |= Q(**{p + "occurred_at__gte": start, p + "occurred_at__lt": end})
    qs = model.objects.filter(in_time, organization=organization)
    if by_topic:
        # NOTE: lets the planner use the feedback (organization, occurred_at) index for the
        # time range instead of joining every topic link of the organization.
        qs = qs.filter(feedback__organization=organization)
    if filters.touchpoint_ids is not None:
        qs = qs.filter(**{p + "touchpoint_id__in": sorted(filters.touchpoint_ids)})
    if filters.channel is not None:
        qs = qs.filter(**{p + "channel": filters.channel})
    if filters.segment is not None:
        qs = qs.filter(**{p + "segment": filters.segment})
    if filters.topic_id is not None:
        qs = qs.filter(topic_id=filters.topic_id)
    return qs.order_by()


def dimension_expressions(group: tuple[str, ...], *, by_topic: bool, tz) -> dict:
    p = "feedback__" if by_topic else ""
    expressions = {
        "day": TruncDate(p + "occurred_at", tzinfo=tz),
        "touchpoint": Coalesce(p + "touchpoint_id", NO_TOUCHPOINT),
        "channel": F(p + "channel"),
        "segment": F(p + "segment"),
        "topic": F("topic_id"),
    }
    return {f"g_{name}": expressions[name] for name in group}


def raw_counts(*, organization, ranges: list[tuple[datetime, datetime]], filters: ResolvedFilters,
               group: tuple[str, ...] = ()) -> dict[tuple, Counts]:
    """{group key tuple: Counts} over the raw rows; the key is () without grouping."""
    ranges = [(s, e) for s, e in ranges if s < e]
    if not ranges or filters.is_empty_selection:
        return {}
    by_topic = topic_based(filters, group)
    qs = base_queryset(organization=organization, ranges=ranges, filters=filters, by_topic=by_topic)
    aggs = aggregates("feedback__" if by_topic else "", polarity="polarity" if by_topic else None)
    if not group:
        row = qs.aggregate(**aggs)
        counts = counts_from_row(row)
        return {(): counts} if counts.feedback else {}
    dims = dimension_expressions(group, by_topic=by_topic, tz=organization.tzinfo)
    out: dict[tuple, Counts] = {}
    for row in qs.values(**dims).annotate(**aggs):
        key = tuple(row[f"g_{name}"] for name in group)
        out[key] = out.get(key, Counts()) + counts_from_row(row)
    return out


def merge(*parts: dict[tuple, Counts]) -> dict[tuple, Counts]:
    """Add grouped counts from several sources (rollup days + raw edges)."""
    out: dict[tuple, Counts] = {}
    for part in parts:
        for key, counts in part.items():
            out[key] = out.get(key, Counts()) + counts
    return out
