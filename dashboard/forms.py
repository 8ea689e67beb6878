"""The dashboard's filters: a period (a preset or dates) and journey / touchpoint / channel /
segment. They live in the URL, so a view of the dashboard can be shared as a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journeys.selectors import journey_list, touchpoint_list
from metrics.periods import MAX_YEAR, MIN_YEAR
from voice.models import Channel

PRESETS = {"7d": 7, "30d": 30, "90d": 90, "180d": 180, "365d": 365}
DEFAULT_PRESET = "30d"
CUSTOM = "custom"
MAX_DAYS = 3 * 366
ERR_ORDER = _("The end date must not be before the start date.")
ERR_SPAN = _("Choose at most three years.")
ERR_YEAR = _("Use a date between %(min)d and %(max)d.")


@dataclass(frozen=True)
class Period:
    """`[start, end)` in the organization's zone; `first`/`last` are the inclusive local days."""

    first: date
    last: date
    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def interval(self) -> str:
        """The time-series step that gives a readable number of points."""
        return "day" if self.days <= 62 else "week" if self.days <= 366 else "month"


def _blank(label):
    return [("", label)]


class DashboardFilterForm(forms.Form):
    """GET filters; an invalid value is reported on the field and left out of the figures."""

    period = forms.ChoiceField(label=_("Period"), required=False, choices=[
        ("7d", _("Last 7 days")), ("30d", _("Last 30 days")), ("90d", _("Last 90 days")),
        ("180d", _("Last 180 days")), ("365d", _("Last 12 months")), (CUSTOM, _("Dates…"))])
    journey = forms.TypedChoiceField(label=_("Journey"), required=False, coerce=int,
                                     empty_value=None)
    touchpoint = forms.ChoiceField(label=_("Touchpoint"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=_blank(_("All channels")) + Channel.choices)
    segment = forms.CharField(label=_("Segment"), required=False, max_length=64)

    def __init__(self, data, *, organization, today: date):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("from") or data.get("to"):
            data["period"] = CUSTOM
        elif not data.get("period"):
            data["period"] = DEFAULT_PRESET
        super().__init__(data)
        self.today = today
        # NOTE: "from" is a Python keyword, so the date fields are added by name.
        date_widget = forms.DateInput(attrs={"type": "date"})
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=date_widget)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=date_widget)
        self.fields["journey"].choices = _blank(_("All journeys")) + [
            (j.pk, j.name) for j in journey_list(organization=organization).order_by("name")]
        self.fields["touchpoint"].choices = _blank(_("All touchpoints")) + [
            (tp.key, tp.name) for tp in touchpoint_list(organization=organization)
            .order_by("stage__journey__name", "stage__position", "position")]
        self.is_valid()

    def clean(self):
        data = super().clean()
        for name in ("from", "to"):
            day = data.get(name)
            if day and not MIN_YEAR <= day.year <= MAX_YEAR:
                # NOTE: also keeps `last + 1 day` from overflowing
                self.add_error(name, ERR_YEAR % {"min": MIN_YEAR, "max": MAX_YEAR})
        first, last = self._value("from"), self._value("to")
        if first and last and last < first:
            self.add_error("to", ERR_ORDER)
        elif first and (last or self.today) - first > timedelta(days=MAX_DAYS):
            self.add_error("from", ERR_SPAN)
        return data

    def _value(self, name):
        return self.cleaned_data.get(name) if name not in self.errors else None

    def date_range(self, tz) -> Period:
        """The chosen range: dates if given (missing end = today), else the preset (30 days)."""
        first, last = self._value("from"), self._value("to")
        if first or (last and self._value("period") == CUSTOM):
            last = last or self.today
            first = first or last - timedelta(days=PRESETS[DEFAULT_PRESET] - 1)
        else:
            days = PRESETS.get(self._value("period") or DEFAULT_PRESET, PRESETS[DEFAULT_PRESET])
            first, last = self.today - timedelta(days=days - 1), self.today
        return Period(first, last, datetime.combine(first, time(), tzinfo=tz),
                      datetime.combine(last + timedelta(days=1), time(), tzinfo=tz))

    def filters(self) -> dict:
        """The metric filters (journey id, touchpoint key, channel, segment) that are valid."""
        return {name: value for name in ("journey", "touchpoint", "channel", "segment")
                if (value := self._value(name)) not in (None, "")}

    def is_custom(self) -> bool:
        return bool(self._value("from") or self._value("to"))

    def is_default(self) -> bool:
        """The plain dashboard: the default period and no filter."""
        return not self.is_custom() and self._value("period") in (None, DEFAULT_PRESET) and \
            not self.filters()


def today_in(tz) -> date:
    return timezone.now().astimezone(tz).date()
