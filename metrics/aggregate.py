"""Where feedback counts come from: daily rollups for whole local days, raw rows for the rest.

`feedback_counts` is exact whichever source answers: a rollup cell is the raw GROUP BY of its
day (recomputed from raw rows on every change), and part-day edges of a range are read raw.
Until an organization's rollups are built (`RollupState.ready`), everything is read raw.
"""

from __future__ import annotations

from datetime import datetime

from metrics.counts import Counts
from metrics.filters import ResolvedFilters
from metrics.raw import raw_counts


def feedback_counts(*, organization, start: datetime, end: datetime, filters: ResolvedFilters,
                    group: tuple[str, ...] = (), source: str = "auto") -> dict[tuple, Counts]:
    """{group key: Counts} of feedback occurred in `[start, end)`; `source` auto | raw."""
    # NOTE: the daily rollups plug in here (next step); until then every read is raw.
    return raw_counts(organization=organization, ranges=[(start, end)], filters=filters,
                      group=group)


def total(counts: dict[tuple, Counts]) -> Counts:
    out = Counts()
    for value in counts.values():
        out = out + value
    return out
