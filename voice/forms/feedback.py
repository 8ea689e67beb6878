"""The explorer's filters (the same names as the API's, so dashboards can link to them) and the
correction form."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from journeys.selectors import journey_list, touchpoint_list
from voice import selectors
from voice.models import Channel, Feedback, Polarity, Sentiment

ERR_DATE = _("Use a date like 2026-11-01 (or a date and time like 2026-11-01T09:30).")
REMOVE = "remove"


def _blank(label):
    return [("", label)]


class MomentField(forms.CharField):
    """A date (its midnight) or an ISO date-time, read in the active (the organization's) zone."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            moment = parse_datetime(value)
            day = None if moment else parse_date(value)
        except ValueError:
            moment = day = None
        if day is not None:
            moment = datetime.combine(day, time())
        if moment is None:
            raise forms.ValidationError(ERR_DATE)
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class FeedbackFilterForm(forms.Form):
    """GET filters of the explorer and the export; invalid fields are reported and ignored."""

    q = forms.CharField(label=_("Search text"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=_blank(_("All channels")) + Channel.choices)
    journey = forms.TypedChoiceField(label=_("Journey"), required=False, coerce=int,
                                     empty_value=None)
    touchpoint = forms.ChoiceField(label=_("Touchpoint"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_blank(_("Any status")) + Feedback.Status.choices)
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False,
                                  choices=_blank(_("Any sentiment")) + Sentiment.choices)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    polarity = forms.ChoiceField(label=_("Pain / delight"), required=False,
                                 choices=_blank(_("Pain or delight")) + Polarity.choices)
    segment = forms.CharField(label=_("Segment"), max_length=64, required=False)
    customer = forms.CharField(label=_("Customer ID"), max_length=128, required=False)
    external_id = forms.CharField(label=_("External ID"), max_length=128, required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        # NOTE: "from" is a Python keyword, so the date fields are added by name.
        self.fields["from"] = MomentField(label=_("From"), required=False)
        self.fields["to"] = MomentField(label=_("Before"), required=False,
                                        help_text=_("Up to, not including, this date."))
        self.fields["journey"].choices = _blank(_("All journeys")) + [
            (j.pk, j.name) for j in journey_list(organization=organization)]
        self.fields["touchpoint"].choices = _blank(_("All touchpoints")) + [
            (tp.key, f"{tp.name} ({tp.key})") for tp in touchpoint_list(organization=organization)]
        self.fields["topic"].choices = _blank(_("All topics")) + [
            (name, name) for name in selectors.topic_list(organization=organization)
            .values_list("name", flat=True)]

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped; `errors` says which)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())


class FeedbackCorrectionForm(forms.Form):
    """A label and the full topic set: each current topic keeps, changes or drops its polarity,
    and up to three topics can be added."""

    ADD_ROWS = 3

    label = forms.ChoiceField(label=_("Sentiment"), required=False,
                              choices=_blank(_("Keep the current sentiment")) + Sentiment.choices)

    def __init__(self, *args, feedback: Feedback, topic_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback = feedback
        self.current = [(link.topic.name, link.polarity) for link in feedback.topic_links.all()]
        polarity_choices = [*Polarity.choices, (REMOVE, _("Remove"))]
        for index, (name, polarity) in enumerate(self.current):
            self.fields[f"current_{index}"] = forms.ChoiceField(
                label=name, choices=polarity_choices, initial=polarity)
        # NOTE: no taxonomy yet, no rows to add topics from.
        self.add_row_count = self.ADD_ROWS if topic_names else 0
        for index in range(self.add_row_count):
            self.fields[f"add_topic_{index}"] = forms.ChoiceField(
                label=_("Add a topic"), required=False,
                choices=_blank("—") + [(n, n) for n in topic_names])
            self.fields[f"add_polarity_{index}"] = forms.ChoiceField(
                label=_("Polarity"), required=False, choices=Polarity.choices,
                initial=Polarity.PAIN)

    def current_rows(self):
        return [(name, self[f"current_{i}"]) for i, (name, _p) in enumerate(self.current)]

    def add_rows(self):
        return [(self[f"add_topic_{i}"], self[f"add_polarity_{i}"])
                for i in range(self.add_row_count)]

    def correction(self) -> tuple[str | None, list[dict] | None]:
        """(label or None, topic set or None); None means unchanged."""
        data = self.cleaned_data
        # NOTE: choosing the model's own label confirms it: it is recorded and then sticks.
        label = data.get("label") or None
        topics: dict[str, str] = {}
        for index, (name, _polarity) in enumerate(self.current):
            choice = data.get(f"current_{index}")
            if choice and choice != REMOVE:
                topics[name] = choice
        for index in range(self.add_row_count):
            name = data.get(f"add_topic_{index}")
            if name:
                topics[name] = data.get(f"add_polarity_{index}") or Polarity.PAIN
        changed = sorted(topics.items()) != sorted(self.current)
        topic_set = [{"name": n, "polarity": p} for n, p in topics.items()] if changed else None
        return label, topic_set
