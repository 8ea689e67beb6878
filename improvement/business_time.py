"""Deadlines in business time: the inverse of `metrics.business_hours.business_seconds`.

NOTE: the calendar arithmetic lives in metrics (one definition); this only searches for the
earliest moment at which `seconds` of business time have elapsed since `start`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

#: A calendar that yields no business time within this horizon falls back to wall-clock time.
MAX_HORIZON = timedelta(days=400)


def add_business_seconds(*, start: datetime, seconds: int, calendar: dict, tz) -> datetime:
    """The earliest `t` with business_seconds(start, t) >= seconds (to the second)."""
    from metrics.business_hours import business_seconds

    if seconds <= 0:
        return start

    def elapsed(moment: datetime) -> float:
        return business_seconds(start, moment, calendar, tz) or 0

    span = timedelta(seconds=seconds)
    while elapsed(start + span) < seconds:
        if span > MAX_HORIZON:
            return start + timedelta(seconds=seconds)
        span *= 2
    low, high = 0, int(span.total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if elapsed(start + timedelta(seconds=middle)) >= seconds:
            high = middle
        else:
            low = middle
    return start + timedelta(seconds=high)
