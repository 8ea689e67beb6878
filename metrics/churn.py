"""Churn from the customer table: churned in a period ÷ active at its start.

Active at t: a customer whose `since` ≤ t and who had not churned before t (`churned_at` ≥ t
or never). Churned in [t, u): `churned_at` in [t, u) among the customers active at t.
Customers without `since` have no known start and take no part in churn. Only the `segment`
filter applies (customers have no touchpoint, channel or topic).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metrics import definitions as d
from voice.models import Customer

NOTE_SEGMENT_ONLY = _("Churn is filtered by customer segment only.")


def churn_series(*, organization, boundaries: list[datetime], segment: str | None = None) -> list[dict]:
    """Churn figures of the consecutive periods `[b0, b1), [b1, b2), …` (len(boundaries) − 1)."""
    if len(boundaries) < 2:
        return []
    t0, tn = boundaries[0], boundaries[-1]
    base = Customer.objects.filter(organization=organization, since__isnull=False).order_by()
    if segment is not None:
        base = base.filter(segment=segment)
    churned_rows = base.filter(status=Customer.Status.CHURNED, churned_at__isnull=False)
    joined_at_t0 = base.filter(since__lte=t0).count()
    churned_before_t0 = churned_rows.filter(churned_at__lt=t0, since__lte=t0).count()
    joins = sorted(base.filter(since__gt=t0, since__lte=boundaries[-2])
                   .values_list("since", flat=True)) if len(boundaries) > 2 else []
    # NOTE: churned in the range, plus the odd rows churned before t0 whose since is later.
    rows = list(churned_rows.filter(
        Q(churned_at__gte=t0, churned_at__lt=tn) | Q(churned_at__lt=t0, since__gt=t0, since__lte=tn))
        .values_list("since", "churned_at"))
    out = []
    for start, end in zip(boundaries, boundaries[1:], strict=False):
        joined = joined_at_t0 + bisect_right(joins, start)
        churned_before = churned_before_t0 + sum(
            1 for since, churned_at in rows if churned_at < start and t0 < since <= start
            or t0 <= churned_at < start and since <= start)
        churned = sum(1 for since, churned_at in rows if start <= churned_at < end and since <= start)
        out.append(d.churn(churned=churned, active_at_start=joined - churned_before))
    return out


def churn_figure(*, organization, start: datetime, end: datetime, segment: str | None = None) -> dict:
    """The churn figure of `[start, end)`: {rate, churned, active_at_start}."""
    return churn_series(organization=organization, boundaries=[start, end], segment=segment)[0]
