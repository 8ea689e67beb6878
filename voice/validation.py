"""One validation of a raw feedback item, shared by the partner API, surveys and file import.

`feedback_item_clean` turns a JSON-like dict into clean data for `feedback_ingest`, or raises a
DRF ValidationError whose keys name the failing fields. Callers can never set status, scores
of the analysis or the organization: unknown keys are dropped.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from voice.models import Channel

MAX_TEXT_CHARS = 10_000
MAX_METADATA_BYTES = 16 * 1024
MAX_FUTURE = timedelta(days=1)
MAX_UTC_OFFSET = timedelta(hours=14)

ERR_NEEDS_CONTENT = _("Give a text or at least one score (nps, csat, ces).")
ERR_UNKNOWN_TOUCHPOINT = _("Unknown touchpoint key: {key}.")
ERR_METADATA_SIZE = _("metadata is larger than 16 KB once serialized.")
ERR_FUTURE = _("occurred_at is more than a day in the future.")
ERR_BAD_DATETIME = _("Use an ISO 8601 date-time, e.g. 2026-11-01T09:30:00+08:00.")
ERR_NOT_OBJECT = _("Each item must be a JSON object.")


@extend_schema_field(OpenApiTypes.DATETIME)
class FlexibleDateTimeField(serializers.Field):
    """ISO 8601 date-time; a naive value is read in the organization's time zone."""

    default_error_messages = {"invalid": ERR_BAD_DATETIME}

    def __init__(self, *args, tzinfo=None, **kwargs):
        self.tzinfo = tzinfo
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 64:
            self.fail("invalid")
        try:
            value = parse_datetime(data.strip())
        except ValueError:
            value = None
        if value is None:
            self.fail("invalid")
        try:
            if timezone.is_naive(value):
                tzinfo = self.tzinfo or self.context.get("tzinfo") or timezone.get_current_timezone()
                value = timezone.make_aware(value, tzinfo)
            # NOTE: real offsets lie within ±14 h; PostgreSQL refuses beyond ±15:59 (a 500
            # found by schemathesis), and the UTC value must stay a representable date.
            if abs(value.utcoffset()) > MAX_UTC_OFFSET:
                self.fail("invalid")
            value.astimezone(UTC)
        except (OverflowError, ValueError):
            self.fail("invalid")
        return value

    def to_representation(self, value):
        return value.isoformat()


class CustomerRefInput(serializers.Serializer):
    external_id = serializers.CharField(max_length=128)
    segment = serializers.CharField(max_length=64, required=False, allow_blank=True)


class FeedbackCreateInput(serializers.Serializer):
    """The partner API's feedback item (contract: DESIGN.md, Partner API v1)."""

    external_id = serializers.CharField(max_length=128, required=False, allow_null=True,
                                        allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    touchpoint = serializers.CharField(max_length=64, required=False, allow_null=True,
                                       allow_blank=True)
    customer = CustomerRefInput(required=False, allow_null=True)
    text = serializers.CharField(max_length=MAX_TEXT_CHARS, required=False, allow_blank=True,
                                 trim_whitespace=True)
    nps = serializers.IntegerField(min_value=0, max_value=10, required=False, allow_null=True)
    csat = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    ces = serializers.IntegerField(min_value=1, max_value=7, required=False, allow_null=True)
    occurred_at = FlexibleDateTimeField(required=False)
    metadata = serializers.DictField(required=False)

    def validate_metadata(self, value):
        if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
            raise serializers.ValidationError(ERR_METADATA_SIZE)
        return value

    def validate_occurred_at(self, value):
        if value > timezone.now() + MAX_FUTURE:
            raise serializers.ValidationError(ERR_FUTURE)
        return value

    def validate_touchpoint(self, value):
        if not value:
            return None
        touchpoints = self.context.get("touchpoints", {})
        if touchpoints is not ANY_TOUCHPOINT and value not in touchpoints:
            raise serializers.ValidationError(ERR_UNKNOWN_TOUCHPOINT.format(key=value))
        return value

    def validate(self, attrs):
        has_score = any(attrs.get(name) is not None for name in ("nps", "csat", "ces"))
        if not attrs.get("text") and not has_score:
            raise serializers.ValidationError({"text": [ERR_NEEDS_CONTENT]})
        attrs["external_id"] = attrs.get("external_id") or None
        attrs.setdefault("occurred_at", timezone.now())
        attrs.setdefault("metadata", {})
        attrs.setdefault("text", "")
        return attrs


#: Validation context value: the touchpoint key is checked by the caller's own query
#: (voice.services.ingest_one), which falls back to a full validation for an unknown key.
ANY_TOUCHPOINT = object()


def validation_context(*, organization, touchpoints: dict) -> dict:
    """Context for FeedbackCreateInput: the organization's touchpoints by key and its time zone."""
    return {"touchpoints": touchpoints, "tzinfo": organization.tzinfo}


_per_thread = threading.local()


def feedback_item_clean(*, organization, raw, touchpoints: dict) -> dict:
    """Validate one raw item; raises serializers.ValidationError naming the fields.

    NOTE: one cleaner per thread, given this call's context: building it (DRF deep-copies the
    fields) was a tenth of a single POST's CPU (bench/ingest_http.py).
    """
    cleaner = getattr(_per_thread, "cleaner", None)
    if cleaner is None:
        cleaner = _per_thread.cleaner = FeedbackItemCleaner(organization=organization,
                                                            touchpoints=touchpoints)
    else:
        cleaner.use(organization=organization, touchpoints=touchpoints)
    return cleaner.clean(raw)


class FeedbackItemCleaner:
    """Validates many raw items with one serializer instance.

    NOTE: a DRF serializer deep-copies its declared fields when it is built; building one per
    item cost ~1 ms, two thirds of a 1000-item batch (bench/ingest_http.py). The fields are
    reused here, as DRF's own ListSerializer reuses its child.
    """

    def __init__(self, *, organization, touchpoints: dict):
        self._serializer = FeedbackCreateInput(
            context=validation_context(organization=organization, touchpoints=touchpoints))

    def use(self, *, organization, touchpoints: dict) -> None:
        """Validate the next items for this organization and these touchpoints."""
        self._serializer._context = validation_context(organization=organization,
                                                       touchpoints=touchpoints)

    def clean(self, raw) -> dict:
        """The clean item; raises serializers.ValidationError naming the fields."""
        if not isinstance(raw, dict):
            raise serializers.ValidationError({"non_field_errors": [ERR_NOT_OBJECT]})
        try:
            return dict(self._serializer.run_validation(raw))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
