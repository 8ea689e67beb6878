"""Where feedback counts come from: daily rollups for whole clean local days, raw rows for
the rest (part-day edges of the range and days still marked dirty).

`feedback_counts` is exact whichever source answers: a cell is the raw GROUP BY of its day,
recomputed from the raw rows after every change, and a day changed since (its marker is
written by a trigger in the writing transaction) is read raw until then. Until an
organization's rollups are built (`RollupState`, in its current time zone), and on SQLite,
everything is read raw.
"""

from __future__ import annotations

from datetime import datetime

from metrics.counts import Counts
from metrics.filters import ResolvedFilters
from metrics.periods import split_range
from metrics.raw import merge, raw_counts, topic_based
from metrics.rollups.build import day_ranges
from metrics.rollups.read import cell_counts, dirty_days, rollups_ready

AUTO, RAW = "auto", "raw"


def feedback_counts(*, organization, start: datetime, end: datetime, filters: ResolvedFilters,
                    group: tuple[str, ...] = (), source: str = AUTO) -> dict[tuple, Counts]:
    """{group key: Counts} of feedback occurred in `[start, end)`; `source` auto | raw."""
    tz = organization.tzinfo
    split = split_range(start, end, tz)
    if (source == RAW or filters.is_empty_selection or not split.has_days
            or not rollups_ready(organization)):
        return raw_counts(organization=organization, ranges=[(start, end)], filters=filters,
                          group=group)
    stale = dirty_days(organization, split.first_day, split.end_day)
    from_cells = cell_counts(organization=organization, first_day=split.first_day,
                             end_day=split.end_day, skip=stale, filters=filters, group=group,
                             by_topic=topic_based(filters, group))
    from_raw = raw_counts(organization=organization,
                          ranges=[*split.edges, *day_ranges(stale, tz)], filters=filters,
                          group=group)
    return merge(from_cells, from_raw)


def total(counts: dict[tuple, Counts]) -> Counts:
    out = Counts()
    for value in counts.values():
        out = out + value
    return out
