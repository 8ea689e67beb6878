"""The KPI cards: the summary's headline figures as text, with the change against the previous
period of equal length and whether that change is good news."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: (summary key, headline key, label, kind, better direction, definition)
CARDS = (
    ("nps", "value", gettext_lazy("NPS"), "score", "up",
     gettext_lazy("Share of promoters (9–10) minus share of detractors (0–6)")),
    ("csat", "value", gettext_lazy("CSAT"), "percent", "up",
     gettext_lazy("Share of responses scoring 4–5 of 5")),
    ("ces", "value", gettext_lazy("CES"), "mean", "up",
     gettext_lazy("Mean effort score, 1–7 (7 = very easy)")),
    ("churn", "rate", gettext_lazy("Churn rate"), "percent", "down",
     gettext_lazy("Customers who churned ÷ customers active at the start")),
    ("first_response_time", "median_seconds", gettext_lazy("First response"), "duration", "down",
     gettext_lazy("Median time to the first response")),
    ("resolution_time", "median_seconds", gettext_lazy("Resolution time"), "duration", "down",
     gettext_lazy("Median time from opening to resolution")),
)
FEEDBACK_CARDS = {"nps", "csat", "ces"}


def duration_text(seconds: float | None, *, signed: bool = False) -> str:
    """45 s, 12 min, 3.5 h, 2.1 d (in the active language)."""
    if seconds is None:
        return "—"
    sign = ("+" if seconds > 0 else "−" if seconds < 0 else "") if signed else ""
    value = abs(seconds)
    for limit, unit, text in ((60, 1, _("%(n)s s")), (3600, 60, _("%(n)s min")),
                              (86400, 3600, _("%(n)s h")), (None, 86400, _("%(n)s d"))):
        if limit is None or value < limit:
            amount = value / unit
            digits = 0 if unit == 1 or amount >= 10 else 1
            return sign + text % {"n": number_format(round(amount, digits), digits)}
    return "—"  # pragma: no cover


def value_text(value, kind: str, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    if kind == "duration":
        return duration_text(value, signed=signed)
    digits = 2 if kind == "mean" else 1
    # NOTE: number_format truncates; round first so 5.456 reads 5.46.
    text = number_format(round(abs(value) if signed else value, digits), digits)
    if signed:
        text = ("+" if value > 0 else "−" if value < 0 else "±") + text
    return text + ("%" if kind == "percent" else "")


def _responses_text(key: str, figure: dict) -> str:
    if key == "churn":
        return _("of %(n)s active customers") % {"n": figure.get("active_at_start", 0)}
    if key in ("first_response_time", "resolution_time"):
        return _("%(n)s contacts") % {"n": figure.get("interactions", 0)}
    return _("%(n)s responses") % {"n": figure.get("responses", 0)}


def kpi_cards(summary: dict) -> list[dict]:
    """One dict per card: label, value, change text, trend (good/bad/flat/none), note."""
    cards = []
    for key, headline, label, kind, better, definition in CARDS:
        figure = summary[key]
        change = figure.get("change")
        trend = "none" if change is None else "flat" if change == 0 else (
            "good" if (change > 0) == (better == "up") else "bad")
        cards.append({
            "key": key, "label": str(label), "definition": str(definition),
            "value": value_text(figure.get(headline), kind),
            "change": value_text(change, "duration" if kind == "duration" else "points"
                                 if kind != "mean" else "mean", signed=True) if change is not None
            else "",
            "previous": value_text(figure["previous"].get(headline), kind),
            "trend": trend, "direction": "" if change in (None, 0) else "up" if change > 0 else "down",
            "responses": _responses_text(key, figure), "note": figure.get("note", ""),
            "drill": key in FEEDBACK_CARDS,
        })
    return cards
