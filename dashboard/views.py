"""The dashboard `/`: what a CX manager opens every morning."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from cem.access import OrgPageMixin
from cem.errors import ApplicationError
from cem.models import Membership
from cem.pages import error_text
from dashboard import selectors
from dashboard.charts import chart_data
from dashboard.forms import DashboardFilterForm, today_in
from dashboard.kpis import kpi_cards


def _url(name: str, **kwargs) -> str | None:
    """A page of another app, or None while that app does not provide it."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def explorer_params(period, filters: dict) -> dict:
    """The feedback explorer's filters for the dashboard's view (`to` is exclusive there)."""
    return {"from": period.first.isoformat(), "to": (period.last + timedelta(days=1)).isoformat(),
            **{k: str(v) for k, v in filters.items()}}


class DashboardView(OrgPageMixin, View):
    """KPIs with the change against the previous period, trends, breakdowns, key drivers, pain
    and delight points with quotes, a word cloud, and the tickets that need attention."""

    def get(self, request):
        tz = self.organization.tzinfo
        form = DashboardFilterForm(request.GET or None, organization=self.organization,
                                   today=today_in(tz))
        period, filters = form.date_range(tz), form.filters()
        try:
            figures = selectors.dashboard_metrics(organization=self.organization, period=period,
                                                  filters=filters)
        except ApplicationError as exc:  # e.g. a touchpoint deleted since the link was made
            messages.warning(request, error_text(exc))
            filters = {}
            figures = selectors.dashboard_metrics(organization=self.organization, period=period,
                                                  filters=filters)
        return render(request, "dashboard/home.html",
                      self._context(form, period, filters, figures))

    def _context(self, form, period, filters: dict, figures: dict) -> dict:
        summary = figures["summary"]
        points = selectors.top_points(figures["drivers"])
        # NOTE: department members see only the feedback of their department: no quotes here.
        if self.membership.role != Membership.Role.DEPARTMENT_MEMBER:
            for polarity, items in points.items():
                for item in items:
                    item["quotes"] = selectors.point_quotes(
                        organization=self.organization, period=period, filters=filters,
                        topic=item["topic"], polarity=polarity)
                    for quote in item["quotes"]:
                        quote["url"] = _url("feedback-detail", feedback_id=quote["id"])
        words = selectors.dashboard_words(organization=self.organization, period=period,
                                          filters=filters, drivers=figures["drivers"])
        explorer = _url("feedback-list")
        params = explorer_params(period, filters)
        return {
            "form": form, "period": period, "filters": filters, "kpis": kpi_cards(summary),
            "summary": summary, "points": points, "words": words,
            "segments": figures["segments"],
            "tickets": selectors.dashboard_tickets(organization=self.organization,
                                                   membership=self.membership),
            "ticket_board": _url("ticket-board"), "explorer": explorer,
            "explorer_query": urlencode(params), "has_data": _has_data(summary),
            "charts": chart_data(figures, period, explorer=explorer, params=params, words=words),
            "previous_first": _day(summary["previous_period"]["from"]),
            "previous_last": _day(summary["previous_period"]["to"]) - timedelta(days=1),
            "period_label": _("%(first)s – %(last)s") % {"first": period.first,
                                                         "last": period.last},
        }


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def _has_data(summary: dict) -> bool:
    return bool(summary["volume"]["feedback"] or summary["first_response_time"]["interactions"]
                or summary["churn"]["churned"])
