"""One figure per metric over a range: the summary (the API's exact shape) and metric_value."""

from __future__ import annotations

from datetime import datetime

from metrics import definitions as d
from metrics.aggregate import feedback_counts, total
from metrics.churn import NOTE_SEGMENT_ONLY, churn_figure
from metrics.counts import feedback_metric
from metrics.filters import ResolvedFilters, resolve_filters
from metrics.interactions import (
    NOTE_NO_TOPIC,
    duration_figure,
    duration_metric,
    interaction_times,
    metric_kind,
    organization_calendar,
)
from metrics.periods import previous_range
from metrics.selectors.common import check_metric, check_range

SUMMARY_KEYS = {
    d.NPS: ("value", "promoters", "passives", "detractors", "responses"),
    d.CSAT: ("value", "mean", "responses"),
    d.CES: ("value", "easy_share", "responses"),
    d.NEGATIVE_SHARE: ("value", "negatives", "responses"),
}
CHURN_FILTERS = {"segment"}


def _pick(figure: dict, keys: tuple[str, ...]) -> dict:
    return {key: figure[key] for key in keys}


def _churn(organization, start, end, resolved: ResolvedFilters) -> dict:
    figure = churn_figure(organization=organization, start=start, end=end,
                          segment=resolved.segment)
    if set(resolved.applied) - CHURN_FILTERS:
        figure["note"] = str(NOTE_SEGMENT_ONLY)
    return figure


def _durations(organization, start, end, resolved: ResolvedFilters) -> dict:
    rows = interaction_times(organization=organization, start=start, end=end, filters=resolved)
    calendar = organization_calendar(organization)
    out = {"first_response_time": duration_figure(rows, "frt", calendar),
           "resolution_time": duration_figure(rows, "resolution", calendar)}
    if resolved.topic_id is not None:
        for figure in out.values():
            figure["note"] = str(NOTE_NO_TOPIC)
    return out


def metric_summary(*, organization, start: datetime, end: datetime,
                   filters: dict | None = None) -> dict:
    """Every headline figure over `[start, end)` in the shape of GET /api/v1/metrics/summary/.

    Exact; null (None) where there is no data. Also `negative_share` and `volume`.
    """
    check_range(start, end)
    resolved = resolve_filters(organization=organization, filters=filters)
    counts = total(feedback_counts(organization=organization, start=start, end=end,
                                   filters=resolved))
    out = {name: _pick(feedback_metric(name, counts), keys) for name, keys in SUMMARY_KEYS.items()
           if name != d.NEGATIVE_SHARE}
    out["churn"] = _churn(organization, start, end, resolved)
    out.update(_durations(organization, start, end, resolved))
    out["negative_share"] = _pick(feedback_metric(d.NEGATIVE_SHARE, counts),
                                  SUMMARY_KEYS[d.NEGATIVE_SHARE])
    out["volume"] = {"feedback": counts.feedback, "analyzed": counts.analyzed}
    return out


def metric_value(*, organization, metric: str, start: datetime, end: datetime,
                 filters: dict | None = None) -> dict:
    """One metric over `[start, end)`: {"value" (None without data), "responses", …its counts}.

    nps → promoters/passives/detractors; csat → satisfied, mean; ces → easy, easy_share;
    churn → churned, active_at_start (responses = active_at_start); frt / resolution →
    median/p90/mean seconds and `business_hours` (value = median); negative_share → negatives.
    """
    check_metric(metric)
    check_range(start, end)
    resolved = resolve_filters(organization=organization, filters=filters)
    if metric == d.CHURN:
        figure = _churn(organization, start, end, resolved)
        return {"value": figure["rate"], "responses": figure["active_at_start"], **figure}
    if metric in d.INTERACTION_METRICS:
        rows = interaction_times(organization=organization, start=start, end=end,
                                 filters=resolved)
        return duration_metric(duration_figure(rows, metric_kind(metric),
                                               organization_calendar(organization)))
    counts = total(feedback_counts(organization=organization, start=start, end=end,
                                   filters=resolved))
    return feedback_metric(metric, counts)


#: The headline number of each summary figure (what `change` compares).
HEADLINE = {"nps": "value", "csat": "value", "ces": "value", "churn": "rate",
            "first_response_time": "median_seconds", "resolution_time": "median_seconds",
            "negative_share": "value", "volume": "feedback"}


def metric_summary_compared(*, organization, start: datetime, end: datetime,
                            filters: dict | None = None) -> dict:
    """The summary plus, on every figure, `previous` (the period of equal length just before)
    and `change` (headline now − headline then, None when either is null)."""
    current = metric_summary(organization=organization, start=start, end=end, filters=filters)
    before_start, before_end = previous_range(start, end)
    previous = metric_summary(organization=organization, start=before_start, end=before_end,
                              filters=filters)
    for name, figure in current.items():
        key = HEADLINE[name]
        now, then = figure.get(key), previous[name].get(key)
        figure["previous"] = previous[name]
        figure["change"] = round(now - then, 2) if now is not None and then is not None else None
    return {**current, "period": {"from": start.isoformat(), "to": end.isoformat()},
            "previous_period": {"from": before_start.isoformat(), "to": before_end.isoformat()}}
