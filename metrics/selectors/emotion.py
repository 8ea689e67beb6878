"""The emotion curve of a journey: per touchpoint, in map order, mean sentiment, NPS, CSAT,
volume and the top pain and delight topics over a period, with the peak-end moments marked.

Peak-end rule: the peak (高光点) is the touchpoint with the highest mean sentiment, the low
(至暗点) the one with the lowest, the end the last touchpoint (in journey order) with a mean
sentiment. Ties go to the earlier touchpoint. A touchpoint without data has nulls.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count

from cem.errors import ApplicationError
from journeys.selectors import journey_get, journey_touchpoints_in_order
from metrics import definitions as d
from metrics.filters import ERR_UNKNOWN_FILTER
from metrics.selectors.common import check_range
from metrics.selectors.series import metric_breakdown
from voice.models import FeedbackTopic, Polarity

TOP_TOPICS = 3
#: Filters that make sense on one journey's curve (the journey itself is the path argument).
CURVE_FILTERS = ("channel", "segment")
PEAK, LOW, END = "peak", "low", "end"


def _figures(organization, journey_id, start, end, filters) -> dict[str, dict[str, dict]]:
    """{metric: {touchpoint key: breakdown item}} for the curve's four metrics."""
    scoped = {**filters, "journey": journey_id}
    out = {}
    for metric in (d.SENTIMENT, d.NPS, d.CSAT, d.VOLUME):
        items = metric_breakdown(organization=organization, metric=metric, by="touchpoint",
                                 start=start, end=end, filters=scoped)["items"]
        out[metric] = {item["key"]: item for item in items if item["key"] is not None}
    return out


def _topics(organization, touchpoint_ids, start, end, filters) -> dict[int, dict[str, list]]:
    """{touchpoint id: {"pain": [...], "delight": [...]}}, most mentioned first (then name)."""
    rows = (FeedbackTopic.objects.filter(
        organization=organization, feedback__touchpoint_id__in=touchpoint_ids,
        feedback__occurred_at__gte=start, feedback__occurred_at__lt=end,
        polarity__in=(Polarity.PAIN, Polarity.DELIGHT))
        .order_by())
    if filters.get("channel"):
        rows = rows.filter(feedback__channel=filters["channel"])
    if filters.get("segment"):
        rows = rows.filter(feedback__segment=filters["segment"])
    grouped: dict[int, dict[str, list]] = defaultdict(lambda: {"pain": [], "delight": []})
    for row in (rows.values("feedback__touchpoint_id", "topic__name", "polarity")
                .annotate(mentions=Count("id"))):
        grouped[row["feedback__touchpoint_id"]][row["polarity"]].append(
            {"topic": row["topic__name"], "mentions": row["mentions"]})
    for lists in grouped.values():
        for name in lists:
            lists[name] = sorted(lists[name], key=lambda t: (-t["mentions"], t["topic"]))[:TOP_TOPICS]
    return grouped


def _point(tp, stage, figures, topics) -> dict:
    def value(metric):
        item = figures[metric].get(tp.key)
        return (item["value"], item["responses"]) if item else (None, 0)

    sentiment, _scored = value(d.SENTIMENT)
    nps, nps_responses = value(d.NPS)
    csat, csat_responses = value(d.CSAT)
    volume = value(d.VOLUME)[0] or 0
    department = ({"id": tp.department_id, "name": tp.department.name}
                  if tp.department_id else None)
    return {"touchpoint": {"id": tp.pk, "key": tp.key, "name": tp.name, "channels": tp.channels,
                           "department": department},
            "stage": {"id": stage.pk, "name": stage.name},
            "volume": volume, "sentiment": sentiment, "nps": nps, "nps_responses": nps_responses,
            "csat": csat, "csat_responses": csat_responses,
            "pain": topics.get(tp.pk, {}).get("pain", []),
            "delight": topics.get(tp.pk, {}).get("delight", []), "moments": []}


def _mark_moments(points: list[dict]) -> dict:
    """Mark peak, low and end on the points; returns {moment: index or None}."""
    scored = [i for i, p in enumerate(points) if p["sentiment"] is not None]
    if not scored:
        return {PEAK: None, LOW: None, END: None}
    peak = max(scored, key=lambda i: (points[i]["sentiment"], -i))
    low = min(scored, key=lambda i: (points[i]["sentiment"], i))
    moments = {PEAK: peak, LOW: low, END: scored[-1]}
    for name, index in moments.items():
        points[index]["moments"].append(name)
    return moments


def _moment(points: list[dict], index: int | None) -> dict | None:
    if index is None:
        return None
    point = points[index]
    return {"index": index, "touchpoint": point["touchpoint"]["key"],
            "name": point["touchpoint"]["name"], "sentiment": point["sentiment"]}


def journey_emotion_curve(*, organization, journey_id: int, start: datetime, end: datetime,
                          filters: dict | None = None) -> dict:
    """The curve of one journey over `[start, end)`; raises Journey.DoesNotExist for unknown
    ids and other organizations' ids alike, ApplicationError for a bad range or filter."""
    check_range(start, end)
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    for name in filters:
        if name not in CURVE_FILTERS:
            raise ApplicationError(ERR_UNKNOWN_FILTER.format(name=name), field=name)
    journey = journey_get(organization=organization, journey_id=journey_id)
    touchpoints = journey_touchpoints_in_order(journey=journey)
    stages = {s.pk: s for s in journey.stages.all()}
    figures = _figures(organization, journey.pk, start, end, filters)
    topics = _topics(organization, [tp.pk for tp in touchpoints], start, end, filters)
    points = [_point(tp, stages[tp.stage_id], figures, topics) for tp in touchpoints]
    moments = _mark_moments(points)
    return {"journey": {"id": journey.pk, "name": journey.name},
            "period": {"from": start, "to": end}, "filters": filters, "points": points,
            **{name: _moment(points, index) for name, index in moments.items()}}
