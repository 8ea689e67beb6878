"""Keyset ("older / newer") pagination over (occurred_at, id), newest first.

Pages cost the same on the first and the millionth row: no OFFSET, no COUNT. A cursor is the
opaque text `<microseconds since the epoch>.<id>` of the row it continues from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class KeysetPage:
    rows: list
    #: cursor of the next page of older rows, or None when this page holds the oldest
    older: str | None
    #: cursor of the previous page of newer rows, or None when this page holds the newest
    newer: str | None


def cursor_for(row) -> str:
    micros = (row.occurred_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{row.pk}"


def parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    """(occurred_at, id) of a cursor; None for a missing or malformed one (first page)."""
    if not value or len(value) > 40:
        return None
    micros, sep, pk = value.partition(".")
    if not sep:
        return None
    try:
        moment = _EPOCH + timedelta(microseconds=int(micros))
        row_id = int(pk)
    except (ValueError, OverflowError):
        return None
    return (moment, row_id) if row_id > 0 else None


def keyset_page(queryset: QuerySet, *, before: str | None = None, after: str | None = None,
                size: int = 50) -> KeysetPage:
    """One page of `queryset` (any filters) newest first; `before` walks older, `after` newer."""
    older_than, newer_than = parse_cursor(before), parse_cursor(after)
    if newer_than is not None:
        moment, row_id = newer_than
        # NOTE: the plain bound (>=) lets PostgreSQL range-scan the (organization, occurred_at)
        # index; the OR alone made it filter row by row (300 ms in the middle of 1M rows).
        rows = list(queryset.filter(Q(occurred_at__gte=moment),
                                    Q(occurred_at__gt=moment) | Q(pk__gt=row_id))
                    .order_by("occurred_at", "pk")[:size + 1])
        if not rows:
            return keyset_page(queryset, size=size)  # nothing newer any more: the first page
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True
    else:
        if older_than is not None:
            moment, row_id = older_than
            queryset = queryset.filter(Q(occurred_at__lte=moment),
                                       Q(occurred_at__lt=moment) | Q(pk__lt=row_id))
        rows = list(queryset.order_by("-occurred_at", "-pk")[:size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = older_than is not None
    return KeysetPage(rows=rows,
                      older=cursor_for(rows[-1]) if rows and has_older else None,
                      newer=cursor_for(rows[0]) if rows and has_newer else None)


def capped_count(queryset: QuerySet, cap: int = 1000) -> tuple[int, bool]:
    """(count, capped): counts at most `cap` + 1 rows, so a huge match stays cheap."""
    count = queryset.order_by().values("pk")[:cap + 1].count()
    return min(count, cap), count > cap
