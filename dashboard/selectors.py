"""Reads of the dashboard: every widget's figures for one organization, period and filters.

Figures come from the metrics selectors (exact, the same numbers as /api/v1/metrics/…); quotes
and keywords from the voice selectors; tickets from the improvement selectors when that app
provides them. A bounded number of queries whatever the data size.
"""

from __future__ import annotations

import importlib

from metrics import selectors as metrics
from voice import selectors as voice

TOP_POINTS = 5
QUOTES_PER_POINT = 2
QUOTE_SCAN = 40
QUOTE_CHARS = 90
TOP_BARS = 12
WORDS = 60
TICKETS = 5


def dashboard_metrics(*, organization, period, filters: dict) -> dict:
    """Summary with the previous period, NPS and sentiment trends, breakdowns, key drivers."""
    span = {"organization": organization, "start": period.start, "end": period.end,
            "filters": filters}
    series = {metric: metrics.metric_timeseries(metric=metric, interval=period.interval, **span)
              for metric in ("nps", "sentiment", "volume")}
    breakdowns = {}
    for by in ("channel", "touchpoint"):
        nps = metrics.metric_breakdown(metric="nps", by=by, **span)["items"]
        volume = {item["key"]: item["value"] for item in
                  metrics.metric_breakdown(metric="volume", by=by, **span)["items"]}
        rows = [{**item, "volume": volume.get(item["key"])} for item in nps]
        rows += [{"key": key, "label": key, "value": None, "responses": 0, "volume": n}
                 for key, n in volume.items() if key not in {r["key"] for r in rows}]
        breakdowns[by] = sorted(rows, key=lambda r: -(r["volume"] or 0))[:TOP_BARS]
    _label_missing(breakdowns, **span)
    segments = [item["key"] for item in metrics.metric_breakdown(
        metric="volume", by="segment", **{**span, "filters": {}})["items"] if item["key"]]
    return {"summary": metrics.metric_summary_compared(**span), "series": series,
            "breakdowns": breakdowns, "drivers": metrics.key_drivers(**span),
            "segments": segments[:100]}


def _label_missing(breakdowns: dict, **span) -> None:
    """Rows that only came from the volume breakdown take the label the metrics give them."""
    for by, rows in breakdowns.items():
        if any(r["label"] == r["key"] for r in rows if r["value"] is None):
            labels = {i["key"]: i["label"] for i in
                      metrics.metric_breakdown(metric="volume", by=by, **span)["items"]}
            for row in rows:
                row["label"] = labels.get(row["key"], row["label"])


def top_points(drivers: dict) -> dict[str, list[dict]]:
    """The topics with the most pain mentions and the most delight mentions."""
    items = drivers["items"]
    return {polarity: [{"topic": i["topic"], "count": i[polarity], "impact": i["impact"]}
                       for i in sorted(items, key=lambda i: (-i[polarity], i["topic"]))
                       if i[polarity]][:TOP_POINTS]
            for polarity in ("pain", "delight")}


def _quote(feedback, topic: str) -> str:
    link = next((link for link in feedback.topic_links.all() if link.topic.name == topic), None)
    text = (link.clause if link and link.clause else feedback.text).strip()
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1] + "…"


def point_quotes(*, organization, period, filters: dict, topic: str, polarity: str) -> list[dict]:
    """Up to two recent feedback quotes where `topic` is mentioned with `polarity`."""
    rows = voice.feedback_list(organization=organization, filters={
        **filters, "topic": topic, "polarity": polarity, "from": period.start, "to": period.end})
    quotes, seen = [], set()
    for feedback in rows.order_by("-occurred_at", "-id")[:QUOTE_SCAN]:
        if not feedback.text.strip():
            continue
        if any(link.topic.name == topic and link.polarity == polarity
               for link in feedback.topic_links.all()):
            text = _quote(feedback, topic)
            if text in seen:  # NOTE: many customers write the same words; show two voices
                continue
            seen.add(text)
            quotes.append({"id": feedback.pk, "text": text, "occurred_at": feedback.occurred_at})
        if len(quotes) == QUOTES_PER_POINT:
            break
    return quotes


def dashboard_words(*, organization, period, filters: dict, drivers: dict) -> dict:
    """Keywords of the period's feedback for the word cloud: [{"name", "value"}], largest first.

    NOTE: uses voice.selectors.feedback_keywords (snapshots the workers compute hourly); until
    one exists the cloud shows the period's topics weighted by their mentions."""
    keywords = getattr(voice, "feedback_keywords", None)
    pairs = []
    if keywords is not None:
        pairs = keywords(organization=organization, start=period.start, end=period.end,
                         touchpoint=filters.get("touchpoint"), limit=WORDS)
    # NOTE: no keyword snapshot yet (the hourly worker job has not run): topic names instead.
    if pairs:
        return {"source": "keywords",
                "words": [{"name": word, "value": round(float(weight), 4)} for word, weight in pairs]}
    return {"source": "topics", "words": [{"name": i["topic"], "value": i["mentions"]}
                                          for i in drivers["items"] if i["mentions"]][:WORDS]}


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def dashboard_tickets(*, organization, membership) -> dict | None:
    """Latest alert tickets and overdue tickets the member may see, or None while the
    improvement app does not provide ticket selectors."""
    tickets = _module("improvement.selectors.tickets") or _module("improvement.selectors")
    access = _module("improvement.access")
    if tickets is None or access is None or not hasattr(tickets, "ticket_list"):
        return None
    actor = access.Actor.from_membership(membership)
    return {"alerts": list(tickets.ticket_list(organization=organization, actor=actor,
                                               filters={"source": "rule"})[:TICKETS]),
            "overdue": list(tickets.ticket_list(organization=organization, actor=actor,
                                                filters={"overdue": True})[:TICKETS])}
