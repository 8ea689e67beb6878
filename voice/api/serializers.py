"""Serializers of the partner API (unique names: they become OpenAPI components)."""

from rest_framework import serializers

from voice.models import Channel, Customer, Feedback, Polarity, Sentiment
from voice.validation import MAX_TEXT_CHARS, FeedbackCreateInput, FlexibleDateTimeField

__all__ = ["FeedbackCreateInput"]


class FeedbackBatchInput(serializers.Serializer):
    items = serializers.ListField(child=serializers.DictField(), allow_empty=False,
                                  help_text="Up to 1000 feedback items (all-or-nothing).")


class FeedbackAcceptedOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class FeedbackBatchOut(serializers.Serializer):
    items = FeedbackAcceptedOut(many=True)
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()


class CustomerRefOut(serializers.Serializer):
    external_id = serializers.CharField()
    segment = serializers.CharField()


class SentimentOut(serializers.Serializer):
    label = serializers.ChoiceField(choices=Sentiment.choices)
    score = serializers.FloatField()


class TopicPolarityOut(serializers.Serializer):
    name = serializers.CharField()
    polarity = serializers.CharField()


class FeedbackOut(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    channel = serializers.CharField()
    touchpoint = serializers.CharField(allow_null=True, source="touchpoint.key", default=None)
    customer = CustomerRefOut(allow_null=True)
    text = serializers.CharField(max_length=MAX_TEXT_CHARS)
    nps = serializers.IntegerField(allow_null=True)
    csat = serializers.IntegerField(allow_null=True)
    ces = serializers.IntegerField(allow_null=True)
    occurred_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField()
    metadata = serializers.DictField()
    status = serializers.CharField()
    failure_reason = serializers.CharField()
    sentiment = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()

    def get_sentiment(self, obj) -> SentimentOut(allow_null=True):
        if obj.sentiment_label is None or obj.sentiment_score is None:
            return None
        return {"label": obj.sentiment_label, "score": obj.sentiment_score}

    def get_topics(self, obj) -> TopicPolarityOut(many=True):
        return [{"name": link.topic.name, "polarity": link.polarity}
                for link in obj.topic_links.all()]


class FeedbackPageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FeedbackOut(many=True)


class FeedbackFilterInput(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    touchpoint = serializers.CharField(max_length=64, required=False)
    status = serializers.ChoiceField(choices=Feedback.Status.choices, required=False)
    sentiment = serializers.ChoiceField(choices=Sentiment.choices, required=False)
    topic = serializers.CharField(max_length=64, required=False)
    customer = serializers.CharField(max_length=128, required=False)
    external_id = serializers.CharField(max_length=128, required=False)
    q = serializers.CharField(max_length=200, required=False)
    journey = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False,
                                       help_text="A journey's id: feedback on its touchpoints.")
    segment = serializers.CharField(max_length=64, required=False)
    polarity = serializers.ChoiceField(choices=Polarity.choices, required=False,
                                       help_text="Feedback with a topic of this polarity "
                                                 "(with `topic`: that topic in this polarity).")

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        errors = {}
        for name in ("from", "to"):
            if data.get(name):
                try:
                    field = FlexibleDateTimeField(tzinfo=self.context.get("tzinfo"))
                    values[name] = field.run_validation(_as_datetime(data[name]))
                except serializers.ValidationError as exc:
                    errors[name] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return values


def _as_datetime(value: str) -> str:
    """Accept a plain date (`2026-11-01`) as its midnight."""
    return f"{value}T00:00:00" if isinstance(value, str) and len(value) == 10 else value


class CustomerUpsertInput(serializers.Serializer):
    external_id = serializers.CharField(max_length=128)
    segment = serializers.CharField(max_length=64, required=False, allow_blank=True)
    since = FlexibleDateTimeField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Customer.Status.choices, required=False)
    churned_at = FlexibleDateTimeField(required=False, allow_null=True)
    attributes = serializers.DictField(required=False)

    def validate(self, attrs):
        since, churned_at = attrs.get("since"), attrs.get("churned_at")
        if since and churned_at and churned_at < since:
            raise serializers.ValidationError({"churned_at": ["churned_at is before since."]})
        if churned_at and attrs.get("status") == Customer.Status.ACTIVE:
            raise serializers.ValidationError({"status": ["An active customer has no churned_at."]})
        return attrs


class CustomerOut(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    segment = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    churned_at = serializers.DateTimeField(allow_null=True)
    attributes = serializers.DictField()


class InteractionUpsertInput(serializers.Serializer):
    external_id = serializers.CharField(max_length=128)
    channel = serializers.ChoiceField(choices=Channel.choices)
    customer = serializers.DictField(required=False, allow_null=True)
    touchpoint = serializers.CharField(max_length=64, required=False, allow_null=True,
                                       allow_blank=True)
    agent = serializers.CharField(max_length=128, required=False, allow_blank=True)
    team = serializers.CharField(max_length=128, required=False, allow_blank=True)
    opened_at = FlexibleDateTimeField()
    reopened_at = FlexibleDateTimeField(required=False, allow_null=True)
    first_response_at = FlexibleDateTimeField(required=False, allow_null=True)
    resolved_at = FlexibleDateTimeField(required=False, allow_null=True)
    csat = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)

    def validate_customer(self, value):
        if value is None:
            return None
        ref = value.get("external_id")
        if not isinstance(ref, str) or not ref or len(ref) > 128:
            raise serializers.ValidationError("Give the customer's external_id (≤ 128 chars).")
        segment = value.get("segment") or ""
        if not isinstance(segment, str) or len(segment) > 64:
            raise serializers.ValidationError("segment must be a string of ≤ 64 chars.")
        return {"external_id": ref, "segment": segment}

    def validate_touchpoint(self, value):
        if value and value not in self.context.get("touchpoints", {}):
            raise serializers.ValidationError(f"Unknown touchpoint key: {value}.")
        return value or None

    def validate(self, attrs):
        opened = attrs["opened_at"]
        errors = {name: [f"{name} is before opened_at."]
                  for name in ("reopened_at", "first_response_at", "resolved_at")
                  if attrs.get(name) and attrs[name] < opened}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class InteractionBatchInput(serializers.Serializer):
    items = serializers.ListField(child=serializers.DictField(), allow_empty=False)


class InteractionOut(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    created = serializers.BooleanField()
