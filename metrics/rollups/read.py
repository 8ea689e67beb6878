"""Counts from the cells for whole local days, and the days whose cells may be stale."""

from __future__ import annotations

from datetime import date

from django.db.models import F, Sum

from metrics.counts import ALIAS, Counts, counts_from_row
from metrics.filters import ResolvedFilters
from metrics.models import DirtyDay, RollupState
from metrics.rollups.levels import COLUMNS, pick_level, rollups_supported


def rollups_ready(organization) -> bool:
    """The organization's cells are built, in its current time zone (else: read raw)."""
    if not rollups_supported():
        return False
    state = (RollupState.all_orgs.filter(organization=organization)
             .values_list("timezone", flat=True).first())
    return state == organization.timezone


def dirty_days(organization, first_day: date, end_day: date) -> set[date]:
    """Days in `[first_day, end_day)` with a marker: their cells may be stale."""
    return set(DirtyDay.all_orgs.filter(organization=organization, day__gte=first_day,
                                        day__lt=end_day)
               .order_by().values_list("day", flat=True).distinct())


def cell_counts(*, organization, first_day: date, end_day: date, skip: set[date],
                filters: ResolvedFilters, group: tuple[str, ...], by_topic: bool
                ) -> dict[tuple, Counts]:
    """{group key: Counts} summed over the cells of the days `[first_day, end_day)` − skip."""
    level = pick_level(by_topic=by_topic, filters=filters, group=group)
    qs = level.model.all_orgs.filter(organization=organization, day__gte=first_day,
                                     day__lt=end_day)
    if skip:
        qs = qs.exclude(day__in=sorted(skip))
    if filters.touchpoint_ids is not None:
        qs = qs.filter(touchpoint_id__in=sorted(filters.touchpoint_ids))
    if filters.channel is not None:
        qs = qs.filter(channel=filters.channel)
    if filters.segment is not None:
        qs = qs.filter(segment=filters.segment)
    if filters.topic_id is not None:
        qs = qs.filter(topic_id=filters.topic_id)
    sums = {ALIAS + name: Sum(name) for name in level.fields}
    qs = qs.order_by()
    if not group:
        counts = counts_from_row(qs.aggregate(**sums))
        return {(): counts} if counts.feedback else {}
    dims = {f"g_{name}": F(COLUMNS[name]) for name in group}
    return {tuple(row[f"g_{name}"] for name in group): counts_from_row(row)
            for row in qs.values(**dims).annotate(**sums)}
