"""One figure per metric over a range: the summary (the API's exact shape) and metric_value."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from metrics import definitions as d
from metrics.aggregate import feedback_counts, total
from metrics.churn import NOTE_SEGMENT_ONLY, churn_figure
from metrics.counts import feedback_metric
from metrics.durations import Durations, duration_values, figure_from_values
from metrics.filters import ResolvedFilters, resolve_filters
from metrics.interactions import (
    NOTE_NO_TOPIC,
    duration_metric,
    metric_kind,
    organization_calendar,
)
from metrics.periods import previous_range
from metrics.selectors.common import check_metric, check_range
from voice.selectors import survey_response_rate

NOTE_INVITATIONS = _("Survey invitations are filtered by touchpoint (or journey) only.")
RESPONSE_RATE_FILTERS = {"touchpoint", "journey"}

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


def _all_durations(organization, start, end, resolved: ResolvedFilters) -> Durations:
    out = Durations()
    for values in duration_values(organization=organization, start=start, end=end,
                                  filters=resolved).values():
        out.extend(values)
    return out


def _durations(organization, start, end, resolved: ResolvedFilters) -> dict:
    values = _all_durations(organization, start, end, resolved)
    has_calendar = organization_calendar(organization) is not None
    out = {"first_response_time": figure_from_values(values, "frt", has_calendar),
           "resolution_time": figure_from_values(values, "resolution", has_calendar)}
    if resolved.topic_id is not None:
        for figure in out.values():
            figure["note"] = str(NOTE_NO_TOPIC)
    return out


def _response_rate(organization, start, end, resolved: ResolvedFilters) -> dict:
    """Invitations sent in the range and how many were answered (summed per touchpoint)."""
    if resolved.touchpoint_ids is None:
        parts = [survey_response_rate(organization=organization, start=start, end=end)]
    else:
        parts = [survey_response_rate(organization=organization, start=start, end=end,
                                      touchpoint=tp) for tp in sorted(resolved.touchpoint_ids)]
    figure = d.response_rate(responses=sum(p["responses"] for p in parts),
                             invitations=sum(p["invitations"] for p in parts))
    if set(resolved.applied) - RESPONSE_RATE_FILTERS:
        figure["note"] = str(NOTE_INVITATIONS)
    return figure


def metric_summary(*, organization, start: datetime, end: datetime,
                   filters: dict | None = None) -> dict:
    """Every headline figure over `[start, end)` in the shape of GET /api/v1/metrics/summary/.

    Exact; null (None) where there is no data. Also `negative_share`, `volume` and the survey
    `response_rate` (invitations sent in the range ÷ answered; null without invitations).
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
    out["response_rate"] = _response_rate(organization, start, end, resolved)
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
        values = _all_durations(organization, start, end, resolved)
        return duration_metric(figure_from_values(values, metric_kind(metric),
                                                  organization_calendar(organization) is not None))
    counts = total(feedback_counts(organization=organization, start=start, end=end,
                                   filters=resolved))
    return feedback_metric(metric, counts)


#: The headline number of each summary figure (what `change` compares).
HEADLINE = {"nps": "value", "csat": "value", "ces": "value", "churn": "rate",
            "first_response_time": "median_seconds", "resolution_time": "median_seconds",
            "negative_share": "value", "volume": "feedback", "response_rate": "rate"}


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
