"""Seconds within an organization's business hours (its weekly calendar minus holidays).

The calendar is `Organization.business_hours`, as validated by
`cem.services.validate_business_hours`: `{"weekly": {"mon": [["09:00", "18:00"]], …},
"holidays": ["2026-10-01", …]}`; `{}` means no calendar (then every function returns None).
Opening hours are wall-clock times in the organization's time zone (DST-safe).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _merged(spans: list) -> tuple[tuple[time, time], ...]:
    """Sorted, non-overlapping spans (overlapping entries would otherwise count twice)."""
    merged: list[list[time]] = []
    for opens, closes in sorted((_parse_time(a), _parse_time(b)) for a, b in spans):
        if merged and opens <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closes)
        else:
            merged.append([opens, closes])
    return tuple((a, b) for a, b in merged)


@dataclass(frozen=True)
class BusinessCalendar:
    """A compiled calendar: opening spans per weekday (Monday = 0) and the holiday dates."""

    spans: tuple[tuple[tuple[time, time], ...], ...]
    holidays: frozenset[date]
    tz: tzinfo

    def open_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's opening intervals as UTC datetimes (none on holidays and closed days)."""
        if day in self.holidays:
            return []
        return [(datetime.combine(day, opens, tzinfo=self.tz).astimezone(UTC),
                 datetime.combine(day, closes, tzinfo=self.tz).astimezone(UTC))
                for opens, closes in self.spans[day.weekday()]]

    def seconds(self, start: datetime, end: datetime) -> float:
        """Business seconds in [start, end) (aware datetimes); 0 when end ≤ start."""
        if end <= start:
            return 0.0
        start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        total = 0.0
        while day <= last:
            for opens, closes in self.open_intervals(day):
                low, high = max(opens, start_utc), min(closes, end_utc)
                if high > low:
                    total += (high - low).total_seconds()
            day += timedelta(days=1)
        return total


@lru_cache(maxsize=256)
def _compile(calendar_json: str, tz: tzinfo) -> BusinessCalendar | None:
    calendar = json.loads(calendar_json)
    weekly = calendar.get("weekly") or {}
    if not any(weekly.values()):
        return None
    spans = tuple(_merged(weekly.get(name, [])) for name in WEEKDAYS)
    holidays = frozenset(date.fromisoformat(d) for d in calendar.get("holidays", []))
    return BusinessCalendar(spans=spans, holidays=holidays, tz=tz)


def compile_calendar(calendar: dict | None, tz: tzinfo) -> BusinessCalendar | None:
    """The compiled calendar, or None when the organization has none (cached per calendar)."""
    if not calendar:
        return None
    return _compile(json.dumps(calendar, sort_keys=True), tz)


def business_seconds(start: datetime, end: datetime, calendar: dict | None,
                     tz: tzinfo) -> float | None:
    """Seconds of [start, end) that fall within business hours; None when there is no calendar."""
    compiled = compile_calendar(calendar, tz)
    return None if compiled is None else compiled.seconds(start, end)
