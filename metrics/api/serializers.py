"""Serializers of the metrics API (unique names: they become OpenAPI components)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from metrics import definitions as d
from metrics.periods import INTERVALS, MAX_YEAR, MIN_YEAR, local_day, local_midnight
from metrics.selectors.common import BREAKDOWNS
from voice.models import Channel

ERR_MOMENT = _("Use a date (2026-11-01) or an ISO 8601 date-time (2026-11-01T09:30:00+08:00).")
ERR_SPAN = _("The range may span at most {days} days.")
MAX_SPAN_DAYS = 3700
DEFAULT_DAYS = {"day": 30, "week": 84, "month": 365}


@extend_schema_field(OpenApiTypes.STR)
class MomentField(serializers.Field):
    """A date (its local midnight) or a date-time; naive values are in the organization's zone."""

    default_error_messages = {"invalid": ERR_MOMENT}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 64:
            self.fail("invalid")
        text = data.strip()
        try:
            moment = parse_datetime(text) if len(text) > 10 else None
            day = parse_date(text) if len(text) == 10 else None
        except ValueError:
            self.fail("invalid")
        tz = self.context["tzinfo"]
        if day is not None:
            moment = local_midnight(day, tz)
        if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
            self.fail("invalid")
        return timezone.make_aware(moment, tz) if timezone.is_naive(moment) else moment


class MetricsFilterInput(serializers.Serializer):
    """Range and filters shared by the metrics endpoints (defaults: the last 30 days)."""

    # NOTE: `from` is a Python keyword, hence the declared names below.
    journey = serializers.IntegerField(required=False, min_value=1, max_value=2**53)
    touchpoint = serializers.CharField(required=False, max_length=64)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    segment = serializers.CharField(required=False, max_length=64)
    topic = serializers.CharField(required=False, max_length=64)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = MomentField(required=False, help_text="Inclusive: a date or date-time.")
        fields["to"] = MomentField(required=False, help_text="Exclusive: a date or date-time.")
        return fields

    def default_days(self, attrs) -> int:
        return 30

    def validate(self, attrs):
        tz = self.context["tzinfo"]
        end = attrs.pop("to", None)
        start = attrs.pop("from", None)
        if end is None:
            end = local_midnight(local_day(timezone.now(), tz) + timedelta(days=1), tz)
        if start is None:
            start = end - timedelta(days=self.default_days(attrs))
        if end <= start:
            raise serializers.ValidationError({"to": [_("The end of the range must be after its start.")]})
        if end - start > timedelta(days=MAX_SPAN_DAYS):
            raise serializers.ValidationError({"from": [ERR_SPAN.format(days=MAX_SPAN_DAYS)]})
        filters = {k: attrs[k] for k in ("journey", "touchpoint", "channel", "segment", "topic")
                   if k in attrs}
        return {"start": start, "end": end, "filters": filters, **{
            k: v for k, v in attrs.items() if k not in filters}}


class TimeseriesInput(MetricsFilterInput):
    metric = serializers.ChoiceField(choices=d.METRICS)
    interval = serializers.ChoiceField(choices=INTERVALS, required=False, default="day")

    def default_days(self, attrs) -> int:
        return DEFAULT_DAYS[attrs.get("interval", "day")]


class BreakdownInput(MetricsFilterInput):
    metric = serializers.ChoiceField(choices=d.METRICS)
    by = serializers.ChoiceField(choices=BREAKDOWNS)


# --- outputs -------------------------------------------------------------------------------

class NpsOut(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="−100..100")
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()
    responses = serializers.IntegerField()


class CsatOut(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="% scoring 4–5")
    mean = serializers.FloatField(allow_null=True)
    responses = serializers.IntegerField()


class CesOut(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="mean effort score 1–7")
    easy_share = serializers.FloatField(allow_null=True, help_text="% scoring 5–7")
    responses = serializers.IntegerField()


class ChurnOut(serializers.Serializer):
    rate = serializers.FloatField(allow_null=True)
    churned = serializers.IntegerField()
    active_at_start = serializers.IntegerField()
    note = serializers.CharField(required=False)


class BusinessDurationOut(serializers.Serializer):
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)
    mean_seconds = serializers.FloatField(allow_null=True)
    interactions = serializers.IntegerField()
    note = serializers.CharField(required=False, help_text="Why the figures are null.")


class DurationOut(serializers.Serializer):
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)
    mean_seconds = serializers.FloatField(allow_null=True)
    interactions = serializers.IntegerField()
    business_hours = BusinessDurationOut(help_text="The same within the business hours.")
    note = serializers.CharField(required=False)


class NegativeShareOut(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    negatives = serializers.IntegerField()
    responses = serializers.IntegerField()


class VolumeOut(serializers.Serializer):
    feedback = serializers.IntegerField()
    analyzed = serializers.IntegerField()


class ResponseRateOut(serializers.Serializer):
    rate = serializers.FloatField(allow_null=True, help_text="Responses ÷ invitations, %.")
    invitations = serializers.IntegerField()
    responses = serializers.IntegerField()
    note = serializers.CharField(required=False)


def _compared(base, name: str):
    """`base` plus `previous` (the previous period's figure) and `change` of the headline."""
    return type(name, (base,), {
        "previous": base(help_text="The previous period of equal length."),
        "change": serializers.FloatField(allow_null=True, help_text="Now − previous."),
    })


class RangeOut(serializers.Serializer):
    to = serializers.DateTimeField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField()
        return fields


class MetricsSummaryOut(serializers.Serializer):
    nps = _compared(NpsOut, "NpsComparedOut")()
    csat = _compared(CsatOut, "CsatComparedOut")()
    ces = _compared(CesOut, "CesComparedOut")()
    churn = _compared(ChurnOut, "ChurnComparedOut")()
    first_response_time = _compared(DurationOut, "FirstResponseComparedOut")()
    resolution_time = _compared(DurationOut, "ResolutionComparedOut")()
    negative_share = _compared(NegativeShareOut, "NegativeShareComparedOut")()
    volume = _compared(VolumeOut, "VolumeComparedOut")()
    response_rate = _compared(ResponseRateOut, "ResponseRateComparedOut")(
        help_text="Survey invitations sent in the period and how many were answered.")
    period = RangeOut()
    previous_period = RangeOut()


class MetricPointOut(serializers.Serializer):
    period = serializers.DateField()
    value = serializers.FloatField(allow_null=True)
    responses = serializers.IntegerField()


class MetricsTimeseriesOut(serializers.Serializer):
    metric = serializers.CharField()
    interval = serializers.CharField()
    points = MetricPointOut(many=True)


class BreakdownItemOut(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    responses = serializers.IntegerField()


class MetricsBreakdownOut(serializers.Serializer):
    metric = serializers.CharField()
    by = serializers.CharField()
    items = BreakdownItemOut(many=True)


class KeyDriverOut(serializers.Serializer):
    topic = serializers.CharField()
    impact = serializers.FloatField(allow_null=True, help_text="NPS points the topic adds (−: pulls down).")
    nps_with = serializers.FloatField(allow_null=True)
    nps_without = serializers.FloatField(allow_null=True)
    responses_with = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    mentions = serializers.IntegerField()
    pain = serializers.IntegerField()
    delight = serializers.IntegerField()
    neutral = serializers.IntegerField()


class KeyDriversOut(serializers.Serializer):
    nps = NpsOut()
    items = KeyDriverOut(many=True)
