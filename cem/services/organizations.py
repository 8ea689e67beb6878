"""Writes of organizations: creation, the profile (name, time zone, calendar, survey cap)."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_noop

from cem import audit, events
from cem.errors import ApplicationError
from cem.models import Membership, Organization
from cem.services.audit import audit_record

ERR_SLUG_TAKEN = gettext_noop("An organization with this slug already exists.")
ERR_BAD_TIMEZONE = gettext_noop("Unknown time zone.")
ERR_BUSINESS_HOURS = gettext_noop(
    "Business hours must map weekdays (mon…sun) to lists of [\"HH:MM\", \"HH:MM\"].")
ERR_SPAN_ORDER = gettext_noop("%(day)s: an opening span must end after it starts (%(span)s).")
ERR_SPANS_OVERLAP = gettext_noop("%(day)s: opening spans overlap (%(span)s).")
ERR_HOLIDAY_DATE = gettext_noop("Holiday %(value)s is not a date (YYYY-MM-DD).")
ERR_HOLIDAYS_WITHOUT_HOURS = gettext_noop(
    "Holidays need opening hours: give at least one weekly span, or clear the calendar.")
ERR_NAME_REQUIRED = gettext_noop("Give the organization a name.")
ERR_INVITE_CAP = gettext_noop("The survey invitation cap is a number of days from 0 to 365.")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_INVITE_CAP_DAYS = 365
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _valid_span(span) -> bool:
    return (isinstance(span, list | tuple) and len(span) == 2
            and all(isinstance(t, str) and _HHMM.match(t) for t in span))


def _check_day(day: str, spans) -> list[list[str]]:
    if not isinstance(spans, list) or not all(_valid_span(s) for s in spans):
        raise ApplicationError(ERR_BUSINESS_HOURS, field="business_hours")
    ordered = sorted([list(s) for s in spans])
    for opens, closes in ordered:
        if opens >= closes:
            raise ApplicationError(ERR_SPAN_ORDER, field="business_hours",
                                   params={"day": day, "span": f"{opens}–{closes}"})
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if current[0] < previous[1]:
            raise ApplicationError(ERR_SPANS_OVERLAP, field="business_hours",
                                   params={"day": day, "span": f"{current[0]}–{previous[1]}"})
    return ordered


def _check_holidays(holidays) -> list[str]:
    if not isinstance(holidays, list) or not all(isinstance(d, str) for d in holidays):
        raise ApplicationError(ERR_BUSINESS_HOURS, field="business_hours")
    for value in holidays:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ApplicationError(ERR_HOLIDAY_DATE, field="business_hours",
                                   params={"value": value[:20]})
        if len(value) != 10:
            raise ApplicationError(ERR_HOLIDAY_DATE, field="business_hours",
                                   params={"value": value[:20]})
    return sorted(set(holidays))


def validate_business_hours(value: dict) -> dict:
    """Check and normalize a calendar `{"weekly": {"mon": [["09:00","18:00"]]}, "holidays": [...]}`:
    spans sorted and non-overlapping, closed days dropped, holidays real dates; {} = none."""
    if not value:
        return {}
    weekly = value.get("weekly") if isinstance(value, dict) else None
    if not isinstance(weekly, dict) or set(weekly) - set(WEEKDAYS) or set(value) - {"weekly",
                                                                                   "holidays"}:
        raise ApplicationError(ERR_BUSINESS_HOURS, field="business_hours")
    days = {day: _check_day(day, weekly[day]) for day in WEEKDAYS if day in weekly}
    days = {day: spans for day, spans in days.items() if spans}
    holidays = _check_holidays(value.get("holidays", []))
    if not days:
        if holidays:
            raise ApplicationError(ERR_HOLIDAYS_WITHOUT_HOURS, field="business_hours")
        return {}
    return {"weekly": days, "holidays": holidays}


def _check_timezone(tz: str) -> None:
    if tz not in zoneinfo.available_timezones():
        raise ApplicationError(ERR_BAD_TIMEZONE, field="timezone")


@transaction.atomic
def organization_create(*, slug: str, name: str, tz: str = "Asia/Shanghai",
                        business_hours: dict | None = None, admin_user=None) -> Organization:
    """Create a tenant (and its admin membership); announces `organization.created`."""
    from cem.services.members import membership_set

    if Organization.objects.filter(slug=slug).exists():
        raise ApplicationError(ERR_SLUG_TAKEN, field="slug")
    _check_timezone(tz)
    org = Organization.objects.create(
        slug=slug, name=name, timezone=tz,
        business_hours=validate_business_hours(business_hours or {}),
    )
    audit_record(organization=org, actor=None, action=audit.ORGANIZATION_CREATED, target=org)
    if admin_user is not None:
        membership_set(organization=org, user=admin_user, role=Membership.Role.ADMIN)
    events.announce(events.ORGANIZATION_CREATED, organization_id=org.pk)
    return org


@transaction.atomic
def organization_update(*, organization: Organization, actor, name: str, tz: str,
                        business_hours: dict, survey_invite_cap_days: int) -> Organization:
    """Change the profile; records the changed fields ({"from", "to"}) in the audit history."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(ERR_NAME_REQUIRED, field="name")
    _check_timezone(tz)
    if not isinstance(survey_invite_cap_days, int) or not (
            0 <= survey_invite_cap_days <= MAX_INVITE_CAP_DAYS):
        raise ApplicationError(ERR_INVITE_CAP, field="survey_invite_cap_days")
    new = {"name": name[:200], "timezone": tz,
           "business_hours": validate_business_hours(business_hours),
           "survey_invite_cap_days": survey_invite_cap_days}
    org = Organization.objects.select_for_update(no_key=True).get(pk=organization.pk)
    changes = {field: {"from": getattr(org, field), "to": value} for field, value in new.items()
               if getattr(org, field) != value}
    if changes:
        for field, value in new.items():
            setattr(org, field, value)
        org.save(update_fields=list(new))
        audit_record(organization=org, actor=actor, action=audit.ORGANIZATION_CHANGED,
                     target=org, details=changes)
    return org
