"""Time ranges in the organization's time zone: local days, periods (day/week/month), edges.

Ranges are half-open `[start, end)` of aware datetimes. A local day is the organization's
calendar day; weeks start on Monday; a period is labelled by its first day (YYYY-MM-DD).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

DAY, WEEK, MONTH = "day", "week", "month"
INTERVALS = (DAY, WEEK, MONTH)
#: Outside these years a date is refused (and range arithmetic can never overflow).
MIN_YEAR, MAX_YEAR = 1970, 2200


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD date between MIN_YEAR and MAX_YEAR; None for anything else (impossible
    dates such as 2024-02-30 included)."""
    from django.utils.dateparse import parse_date

    try:
        day = parse_date((text or "").strip())
    except ValueError:
        return None
    return day if day is not None and MIN_YEAR <= day.year <= MAX_YEAR else None


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The aware datetime at which the local `day` begins in `tz`."""
    return datetime.combine(day, time(0), tzinfo=tz)


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def period_start(day: date, interval: str) -> date:
    """The first day of the day/week (Monday)/month containing `day`."""
    if interval == WEEK:
        return day - timedelta(days=day.weekday())
    if interval == MONTH:
        return day.replace(day=1)
    return day


def next_period(start: date, interval: str) -> date:
    if interval == WEEK:
        return start + timedelta(days=7)
    if interval == MONTH:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def period_starts(start: datetime, end: datetime, interval: str, tz: tzinfo) -> list[date]:
    """Every period touching `[start, end)`, in order (the first may begin before `start`)."""
    if end <= start:
        return []
    first = period_start(local_day(start, tz), interval)
    last_day = local_day(end - timedelta(microseconds=1), tz)
    out, current = [], first
    while current <= last_day:
        out.append(current)
        current = next_period(current, interval)
    return out


@dataclass(frozen=True)
class SplitRange:
    """`[start, end)` cut into whole local days `[first_day, end_day)` and partial edges."""

    first_day: date | None
    end_day: date | None
    edges: tuple[tuple[datetime, datetime], ...]

    @property
    def has_days(self) -> bool:
        return self.first_day is not None and self.first_day < self.end_day


def split_range(start: datetime, end: datetime, tz: tzinfo) -> SplitRange:
    """Whole days come from the daily rollups; the edges (part days) are read from raw rows."""
    if end <= start:
        return SplitRange(None, None, ())
    first = local_day(start, tz)
    if local_midnight(first, tz) < start:
        first += timedelta(days=1)
    end_day = local_day(end, tz)
    if end_day <= first:
        return SplitRange(None, None, ((start, end),))
    edges = []
    head_end = local_midnight(first, tz)
    if start < head_end:
        edges.append((start, head_end))
    tail_start = local_midnight(end_day, tz)
    if tail_start < end:
        edges.append((tail_start, end))
    return SplitRange(first, end_day, tuple(edges))


def previous_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The period of equal length just before `[start, end)`."""
    return start - (end - start), start
