"""A metric over time (day / week / month in the organization's time zone) and broken down
by touchpoint, channel, segment or topic. Periods without data have a null value."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from metrics import definitions as d
from metrics.aggregate import feedback_counts
from metrics.churn import churn_series
from metrics.counts import Counts, feedback_metric
from metrics.durations import Durations, duration_values, figure_from_values
from metrics.filters import resolve_filters
from metrics.interactions import duration_metric, metric_kind, organization_calendar
from metrics.periods import INTERVALS, local_midnight, period_start, period_starts
from metrics.selectors.common import check_breakdown, check_metric, check_range, group_key_label
from voice.models import Customer

ERR_INTERVAL = _("Unknown interval: use day, week or month.")
ERR_TOO_MANY_POINTS = _("Too many points ({n}); choose a longer interval or a shorter range.")
MAX_POINTS = 1100


def _period_bounds(organization, start, end, interval) -> tuple[list, list[datetime]]:
    if interval not in INTERVALS:
        raise ApplicationError(ERR_INTERVAL, field="interval")
    periods = period_starts(start, end, interval, organization.tzinfo)
    if len(periods) > MAX_POINTS:
        raise ApplicationError(ERR_TOO_MANY_POINTS.format(n=len(periods)), field="interval")
    bounds = [max(start, local_midnight(p, organization.tzinfo)) for p in periods] + [end]
    return periods, bounds


def _feedback_points(organization, metric, interval, start, end, resolved, periods) -> list[dict]:
    by_period: dict = defaultdict(Counts)
    for (day,), counts in feedback_counts(organization=organization, start=start, end=end,
                                          filters=resolved, group=("day",)).items():
        by_period[period_start(day, interval)] += counts
    return [{"period": p.isoformat(), **feedback_metric(metric, by_period[p])} for p in periods]


def _duration_points(organization, metric, interval, start, end, resolved, periods) -> list[dict]:
    buckets: dict = defaultdict(Durations)
    for (day,), values in duration_values(organization=organization, start=start, end=end,
                                          filters=resolved, group=("day",)).items():
        buckets[period_start(day, interval)].extend(values)
    has_calendar = organization_calendar(organization) is not None
    return [{"period": p.isoformat(),
             **duration_metric(figure_from_values(buckets[p], metric_kind(metric), has_calendar))}
            for p in periods]


def metric_timeseries(*, organization, metric: str, interval: str, start: datetime, end: datetime,
                      filters: dict | None = None) -> dict:
    """{"metric", "interval", "points": [{"period": "YYYY-MM-DD", "value", "responses", …}]}.

    One point per period touching `[start, end)` (labelled by its first day; the first and
    last are clipped to the range), value None where the period has no data.
    """
    check_metric(metric)
    check_range(start, end)
    resolved = resolve_filters(organization=organization, filters=filters)
    periods, bounds = _period_bounds(organization, start, end, interval)
    if metric == d.CHURN:
        figures = churn_series(organization=organization, boundaries=bounds,
                               segment=resolved.segment)
        points = [{"period": p.isoformat(), "value": f["rate"], "responses": f["active_at_start"],
                   **f} for p, f in zip(periods, figures, strict=True)]
    elif metric in d.INTERACTION_METRICS:
        points = _duration_points(organization, metric, interval, start, end, resolved, periods)
    else:
        points = _feedback_points(organization, metric, interval, start, end, resolved, periods)
    return {"metric": metric, "interval": interval, "points": points}


def _churn_breakdown(organization, start, end, resolved) -> list[tuple]:
    segments = (Customer.objects.filter(organization=organization, since__isnull=False)
                .order_by().values_list("segment", flat=True).distinct())
    if resolved.segment is not None:
        segments = [s for s in segments if s == resolved.segment]
    out = []
    for segment in segments:
        figure = churn_series(organization=organization, boundaries=[start, end],
                              segment=segment)[0]
        if figure["active_at_start"] or figure["churned"]:
            out.append((segment, {"value": figure["rate"], "responses": figure["active_at_start"],
                                  **figure}))
    return out


def _duration_breakdown(organization, metric, by, start, end, resolved) -> list[tuple]:
    grouped = duration_values(organization=organization, start=start, end=end, filters=resolved,
                              group=(by,))
    has_calendar = organization_calendar(organization) is not None
    return [(key, duration_metric(figure_from_values(values, metric_kind(metric), has_calendar)))
            for (key,), values in grouped.items()]


def metric_breakdown(*, organization, metric: str, by: str, start: datetime, end: datetime,
                     filters: dict | None = None) -> dict:
    """{"metric", "by", "items": [{"key", "label", "value", "responses", …}]}, most responses first.

    Feedback without a touchpoint (or whose touchpoint was deleted) is the item with key null.
    """
    check_metric(metric)
    check_breakdown(metric, by)
    check_range(start, end)
    resolved = resolve_filters(organization=organization, filters=filters)
    if metric == d.CHURN:
        figures = _churn_breakdown(organization, start, end, resolved)
    elif metric in d.INTERACTION_METRICS:
        figures = _duration_breakdown(organization, metric, by, start, end, resolved)
    else:
        grouped = feedback_counts(organization=organization, start=start, end=end,
                                  filters=resolved, group=(by,))
        figures = [(key, counts) for (key,), counts in grouped.items()]
    labels = group_key_label(organization=organization, by=by, keys={k for k, _f in figures})
    merged: dict = {}
    for raw_key, figure in figures:
        if raw_key not in labels:
            continue
        public_key, label = labels[raw_key]
        if isinstance(figure, Counts):
            merged[public_key] = (label, merged.get(public_key, (label, Counts()))[1] + figure)
        else:
            merged[public_key] = (label, figure)
    items = []
    for key, (label, figure) in merged.items():
        body = feedback_metric(metric, figure) if isinstance(figure, Counts) else figure
        items.append({"key": key, "label": label, **body})
    items.sort(key=lambda item: (-(item["responses"] or 0), str(item["key"])))
    return {"metric": metric, "by": by, "items": items}
