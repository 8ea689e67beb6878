"""Ticket response and resolution times per department, reported like the interaction metrics:
median / p90 / mean seconds, wall-clock and within business hours (metrics' definitions).

Tickets count in the period they were opened in. First response: opened → first response;
resolution: opened → resolved (tickets resolved or verified). SLA met: resolved by `due_at`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from improvement.access import Actor
from improvement.models import Ticket
from improvement.selectors.tickets import ticket_list
from metrics.business_hours import compile_calendar
from metrics.definitions import duration_stats

NOTE_NO_CALENDAR = _("No business-hours calendar is set for this organization.")
FIELDS = ("department_id", "department__name", "status", "created_at", "first_response_at",
          "resolved_at", "due_at", "first_response_due_at")


def _figure(intervals: list[tuple[datetime, datetime]], calendar) -> dict:
    wall = duration_stats((b - a).total_seconds() for a, b in intervals)
    figure = {"median_seconds": wall["median"], "p90_seconds": wall["p90"], "mean_seconds": wall["mean"],
              "tickets": wall["count"]}
    if calendar is None:
        figure["business_hours"] = {"median_seconds": None, "p90_seconds": None, "mean_seconds": None,
                                    "tickets": wall["count"], "note": str(NOTE_NO_CALENDAR)}
    else:
        business = duration_stats(calendar.seconds(a, b) for a, b in intervals)
        figure["business_hours"] = {"median_seconds": business["median"], "p90_seconds": business["p90"],
                                    "mean_seconds": business["mean"], "tickets": business["count"]}
    return figure


def _row(department, rows: list[dict], calendar, now) -> dict:
    responded = [(r["created_at"], r["first_response_at"]) for r in rows if r["first_response_at"]]
    resolved = [r for r in rows if r["resolved_at"] and r["status"] in ("resolved", "verified")]
    met = sum(1 for r in resolved if r["due_at"] is None or r["resolved_at"] <= r["due_at"])
    active = [r for r in rows if r["status"] in Ticket.ACTIVE]
    overdue = sum(1 for r in active if (r["due_at"] and r["due_at"] < now) or (
        r["first_response_at"] is None and r["first_response_due_at"] and r["first_response_due_at"] < now))
    return {"department": department, "tickets": len(rows), "open": len(active), "overdue": overdue,
            "resolved": len(resolved), "sla_met_share": round(100.0 * met / len(resolved), 1) if resolved else None,
            "first_response_time": _figure(responded, calendar),
            "resolution_time": _figure([(r["created_at"], r["resolved_at"]) for r in resolved], calendar)}


def report_range(*, organization, first=None, last=None) -> tuple[datetime, datetime, date, date]:
    """[start, end) of whole days in the organization's time zone (default: the last 30 days)."""
    last = last or timezone.localdate(timezone=organization.tzinfo)
    first = first or last - timedelta(days=29)
    start = datetime.combine(first, time.min, tzinfo=organization.tzinfo)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=organization.tzinfo), first, last


def ticket_times_by_department(*, organization, actor: Actor, start: datetime, end: datetime) -> dict:
    """{"departments": [row per department, unrouted last], "total": row} for tickets opened in
    [start, end) that the actor may see."""
    rows = (ticket_list(organization=organization, actor=actor)
            .filter(created_at__gte=start, created_at__lt=end).order_by().values(*FIELDS))
    groups: dict[int | None, list[dict]] = defaultdict(list)
    names: dict[int, str] = {}
    everything = []
    for row in rows:
        groups[row["department_id"]].append(row)
        everything.append(row)
        if row["department_id"] is not None:
            names[row["department_id"]] = row["department__name"]
    calendar, now = compile_calendar(organization.business_hours, organization.tzinfo), timezone.now()
    ordered = sorted((k for k in groups if k is not None), key=lambda k: names[k]) + (
        [None] if None in groups else [])
    return {"departments": [_row({"id": k, "name": names[k]} if k is not None else None, groups[k], calendar, now)
                            for k in ordered],
            "total": _row(None, everything, calendar, now)}
