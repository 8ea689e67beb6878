"""The data the dashboard's charts draw (passed to the page with json_script), with the
feedback-explorer filters each point, bar or word drills down to."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.http import urlencode
from django.utils.translation import gettext as _

TOP_DRIVERS = 10


def _next(day: date, interval: str) -> date:
    if interval == "week":
        return day + timedelta(days=7)
    if interval == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def _trend(series: dict, period, params: dict) -> dict:
    """Periods with NPS, mean sentiment and volume; each period drills down to its days."""
    nps, sentiment, volume = (series[m]["points"] for m in ("nps", "sentiment", "volume"))
    end = period.last + timedelta(days=1)
    rows = []
    for n, s, v in zip(nps, sentiment, volume, strict=True):
        first = date.fromisoformat(str(n["period"]))
        rows.append({"period": first.isoformat(), "nps": n["value"], "responses": n["responses"],
                     "sentiment": s["value"], "volume": v["value"],
                     "drill": urlencode({**params, "from": max(first, period.first).isoformat(),
                                         "to": min(_next(first, period.interval), end).isoformat()})})
    return {"interval": period.interval, "points": rows}


def _bars(rows: list[dict], by: str, params: dict) -> list[dict]:
    return [{"key": r["key"], "label": r["label"], "nps": r["value"], "responses": r["responses"],
             "volume": r["volume"] or 0,
             "drill": urlencode({**params, by: r["key"]}) if r["key"] is not None else None}
            for r in rows]


def _drivers(drivers: dict, params: dict) -> list[dict]:
    items = [i for i in drivers["items"] if i["impact"] is not None][:TOP_DRIVERS]
    return [{"topic": i["topic"], "impact": i["impact"], "mentions": i["mentions"],
             "nps_with": i["nps_with"], "drill": urlencode({**params, "topic": i["topic"]})}
            for i in items]


def labels() -> dict:
    """Texts the charts show, in the active language."""
    return {"nps": _("NPS"), "sentiment": _("Mean sentiment"), "volume": _("Feedback"),
            "responses": _("Responses"), "impact": _("NPS impact (points)"),
            "empty": _("No data in this period"), "mentions": _("Mentions")}


def chart_data(figures: dict, period, *, explorer: str | None, params: dict, words: dict) -> dict:
    """Every chart's rows; `drill` is the explorer query string of a row (None: no drill-down)."""
    key = "q" if words["source"] == "keywords" else "topic"
    return {
        "explorer": explorer, "labels": labels(),
        "trend": _trend(figures["series"], period, params),
        "channels": _bars(figures["breakdowns"]["channel"], "channel", params),
        "touchpoints": _bars(figures["breakdowns"]["touchpoint"], "touchpoint", params),
        "drivers": _drivers(figures["drivers"], params),
        "words": [{**w, "drill": urlencode({**params, key: w["name"]})} for w in words["words"]],
    }
