"""Shared checks and labels of the metric selectors."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from journeys.selectors import touchpoint_list
from metrics import definitions as d
from metrics.raw import NO_TOUCHPOINT
from voice.models import Channel, Topic

ERR_METRIC = _("Unknown metric: use one of {names}.")
ERR_NAIVE = _("Give a time-zone-aware date-time.")
ERR_RANGE = _("The end of the range must be after its start.")
ERR_BY = _("Unknown breakdown: use one of {names}.")
ERR_BY_METRIC = _("{metric} cannot be broken down by {by}.")

BREAKDOWNS = ("touchpoint", "channel", "segment", "topic")
LABEL_NO_TOUCHPOINT = _("No touchpoint")
LABEL_NO_SEGMENT = _("No segment")


def check_metric(metric: str, allowed: tuple[str, ...] = d.METRICS) -> str:
    if metric not in allowed:
        raise ApplicationError(ERR_METRIC.format(names=", ".join(allowed)), field="metric")
    return metric


def check_range(start: datetime, end: datetime) -> None:
    """Raise ApplicationError unless `start` < `end`, both aware (start inclusive, end exclusive)."""
    for name, value in (("from", start), ("to", end)):
        if not isinstance(value, datetime) or timezone.is_naive(value):
            raise ApplicationError(ERR_NAIVE, field=name)
    if end <= start:
        raise ApplicationError(ERR_RANGE, field="to")


def check_breakdown(metric: str, by: str) -> None:
    if by not in BREAKDOWNS:
        raise ApplicationError(ERR_BY.format(names=", ".join(BREAKDOWNS)), field="by")
    if (metric == d.CHURN and by != "segment") or (metric in d.INTERACTION_METRICS and by == "topic"):
        raise ApplicationError(ERR_BY_METRIC.format(metric=metric, by=by), field="by")


def touchpoint_labels(*, organization) -> dict[int, tuple[str, str]]:
    """{touchpoint id: (key, name)} of the organization's current touchpoints."""
    return {tp.pk: (tp.key, tp.name) for tp in touchpoint_list(organization=organization)}


def group_key_label(*, organization, by: str, keys) -> dict:
    """{raw group key: (public key, label)}; a deleted touchpoint's id maps to "no touchpoint"."""
    if by == "touchpoint":
        known = touchpoint_labels(organization=organization)
        return {k: known.get(k, (None, str(LABEL_NO_TOUCHPOINT))) if k != NO_TOUCHPOINT
                else (None, str(LABEL_NO_TOUCHPOINT)) for k in keys}
    if by == "channel":
        labels = dict(Channel.choices)
        return {k: (k, str(labels.get(k, k))) for k in keys}
    if by == "segment":
        return {k: (k or None, k or str(LABEL_NO_SEGMENT)) for k in keys}
    names = dict(Topic.objects.filter(organization=organization, pk__in=list(keys))
                 .values_list("pk", "name"))
    # NOTE: links of a deleted topic are gone from the raw rows: drop their stale cells too.
    return {k: (names[k], names[k]) for k in keys if k in names}
