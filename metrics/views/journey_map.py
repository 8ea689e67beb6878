"""The journey map page: stages as columns, touchpoints under them with their figures, and the
emotion curve (ECharts, drawn by static/js/journey_map.js) with the peak-end moments."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cem.access import MANAGERS, OrgPageMixin
from journeys.selectors import journey_get
from metrics.periods import MAX_YEAR, MIN_YEAR, local_day, local_midnight, parse_day
from metrics.selectors.emotion import END, LOW, PEAK, journey_emotion_curve
from voice.models import Channel

PERIODS = (30, 90, 180)
DEFAULT_PERIOD = 90
MAX_CUSTOM_DAYS = 3700
MOMENT_LABELS = {PEAK: gettext_lazy("Peak"), LOW: gettext_lazy("Lowest point"),
                 END: gettext_lazy("End")}


def map_period(params, tz) -> dict:
    """{"days" | "custom", "start", "end", "first_day", "last_day", "error"} from the query."""
    today = local_day(timezone.now(), tz)
    raw_first, raw_last = params.get("from") or "", params.get("to") or ""
    first, last = parse_day(raw_first), parse_day(raw_last)
    error = ""
    if params.get("period") == "custom" or raw_first or raw_last:
        last = last or (today if not raw_last else None)
        if first and last and first <= last and (last - first).days <= MAX_CUSTOM_DAYS:
            return _period("custom", first, last, tz)
        error = _("Choose a start date on or before the end date (at most 10 years).")
        if (raw_first and not first) or (raw_last and not last):
            # NOTE: an unreadable or impossible date (2024-02-30, year 9999) is said, not guessed
            error = _("Use real dates between %(min)d and %(max)d, such as 2026-11-01.") % {
                "min": MIN_YEAR, "max": MAX_YEAR}
    try:
        days = int(params.get("period") or DEFAULT_PERIOD)
    except ValueError:
        days = DEFAULT_PERIOD
    days = days if days in PERIODS else DEFAULT_PERIOD
    return {**_period(days, today - timedelta(days=days - 1), today, tz), "error": error}


def _period(kind, first: date, last: date, tz) -> dict:
    return {"kind": kind, "first_day": first, "last_day": last, "error": "",
            "start": local_midnight(first, tz), "end": local_midnight(last + timedelta(days=1), tz)}


def _stages(curve: dict, journey_stages) -> list[dict]:
    by_stage: dict[int, list] = {s.pk: [] for s in journey_stages}
    for index, point in enumerate(curve["points"]):
        by_stage[point["stage"]["id"]].append({**point, "index": index})
    return [{"id": s.pk, "name": s.name, "points": by_stage[s.pk]} for s in journey_stages]


def map_filters(params) -> tuple[dict, str]:
    """({channel, segment} that apply, error text); an unknown channel is dropped and said."""
    filters, error = {}, ""
    channel = (params.get("channel") or "").strip()
    if channel:
        if channel in Channel.values:
            filters["channel"] = channel
        else:
            error = _("Unknown channel.")
    segment = (params.get("segment") or "").strip()[:64]
    if segment:
        filters["segment"] = segment
    return filters, error


def _decorate(points: list[dict], explorer: str, span: dict, filters: dict) -> None:
    """Explorer links (touchpoint, period and filters) and labels for the template."""
    channels = {code: str(label) for code, label in Channel.choices}
    for point in points:
        query = urlencode({"touchpoint": point["touchpoint"]["key"], **span, **filters})
        point["explorer"] = f"{explorer}?{query}"
        point["moment_labels"] = [str(MOMENT_LABELS[m]) for m in point["moments"]]
        point["channel_labels"] = [channels.get(c, c) for c in point["touchpoint"]["channels"]]


def _chart(points: list[dict]) -> dict:
    return {
        "points": [{"name": p["touchpoint"]["name"], "key": p["touchpoint"]["key"],
                    "sentiment": p["sentiment"], "nps": p["nps"], "volume": p["volume"],
                    "moments": p["moments"], "explorer": p["explorer"]} for p in points],
        "labels": {"sentiment": _("Mean sentiment"), "nps": "NPS", "volume": _("Feedback"),
                   PEAK: _("Peak"), LOW: _("Lowest point"), END: _("End")},
    }


class JourneyMapView(OrgPageMixin, TemplateView):
    """GET /journeys/<id>/: every member reads the map; managers get the designer link.
    Query: period=30|90|180 or from/to (dates, `to` inclusive), channel, segment."""

    template_name = "metrics/journey_map.html"

    def get_context_data(self, **kwargs):
        tz = self.organization.tzinfo
        period = map_period(self.request.GET, tz)
        filters, filter_error = map_filters(self.request.GET)
        with timezone.override(tz):
            curve = journey_emotion_curve(organization=self.organization,
                                          journey_id=self.kwargs["journey_id"],
                                          start=period["start"], end=period["end"],
                                          filters=filters)
        journey = journey_get(organization=self.organization, journey_id=self.kwargs["journey_id"])
        span = {"from": period["first_day"].isoformat(),
                "to": (period["last_day"] + timedelta(days=1)).isoformat()}
        _decorate(curve["points"], reverse("feedback-list"), span, filters)
        return super().get_context_data(
            journey=journey, curve=curve, stages=_stages(curve, journey.stages.all()),
            period=period, periods=PERIODS, chart=_chart(curve["points"]), filters=filters,
            filter_query=urlencode(filters), filter_error=filter_error,
            channel_choices=Channel.choices, has_touchpoints=bool(curve["points"]),
            has_data=any(p["volume"] for p in curve["points"]),
            can_design=self.membership.role in MANAGERS, **kwargs)
