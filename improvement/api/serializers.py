"""Serializers of the improvement API (unique names: they become OpenAPI components)."""

import math

from rest_framework import serializers

from improvement.models import AlertRule, Priority, Ticket
from voice.models import Channel

MAX_FEEDBACK_REFS = 100


def _finite(value):
    if value is not None and not math.isfinite(value):
        raise serializers.ValidationError("A finite number is required.")
    return value


class ImprovementDepartmentRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ImprovementUserRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class DepartmentWithTopicsOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = ImprovementDepartmentRefOut(allow_null=True)
    is_default = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    topics = serializers.ListField(child=serializers.CharField())
    touchpoints = serializers.ListField(child=serializers.CharField())


class DepartmentWithTopicsCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, trim_whitespace=True)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    is_default = serializers.BooleanField(required=False, default=False)
    topics = serializers.ListField(child=serializers.CharField(max_length=64), required=False,
                                   default=list, max_length=200,
                                   help_text="Names of topics in the taxonomy this department owns.")


class AlertRuleCreateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AlertRule.Kind.choices)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=64, required=False, help_text="A topic name.")
    threshold = serializers.FloatField(required=False, min_value=-1e9, max_value=1e9,
                                       validators=[_finite])
    window_minutes = serializers.IntegerField(required=False, min_value=1, max_value=129600)
    metric = serializers.ChoiceField(choices=AlertRule.Metric.choices, required=False)
    comparison = serializers.ChoiceField(choices=AlertRule.Comparison.choices, required=False)
    min_responses = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000,
                                             default=0)
    touchpoint = serializers.CharField(max_length=64, required=False, help_text="A touchpoint key.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    keywords = serializers.ListField(child=serializers.CharField(max_length=50), required=False,
                                     max_length=50)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    cooldown_minutes = serializers.IntegerField(required=False, min_value=0, max_value=525600)
    is_enabled = serializers.BooleanField(required=False, default=True)


class AlertRuleUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_enabled = serializers.BooleanField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    threshold = serializers.FloatField(required=False, min_value=-1e9, max_value=1e9,
                                       validators=[_finite])
    window_minutes = serializers.IntegerField(required=False, min_value=1, max_value=129600)
    min_responses = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000)
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    keywords = serializers.ListField(child=serializers.CharField(max_length=50), required=False,
                                     max_length=50)
    cooldown_minutes = serializers.IntegerField(required=False, min_value=0, max_value=525600)


class AlertRuleOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    is_enabled = serializers.BooleanField()
    priority = serializers.CharField()
    department = ImprovementDepartmentRefOut(allow_null=True)
    topic = serializers.CharField(source="topic.name", allow_null=True, default=None)
    metric = serializers.CharField(allow_blank=True)
    comparison = serializers.CharField(allow_blank=True)
    threshold = serializers.FloatField(allow_null=True)
    window_minutes = serializers.IntegerField(allow_null=True)
    min_responses = serializers.IntegerField()
    touchpoint = serializers.CharField(source="touchpoint.key", allow_null=True, default=None)
    channel = serializers.CharField(allow_blank=True)
    keywords = serializers.ListField(child=serializers.CharField())
    cooldown_minutes = serializers.IntegerField()
    active_tickets = serializers.IntegerField(default=0)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    last_evaluated_at = serializers.DateTimeField(allow_null=True)
    last_fired_at = serializers.DateTimeField(allow_null=True)


class AlertRulePageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AlertRuleOut(many=True)


class AlertRuleFilterInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AlertRule.Kind.choices, required=False)
    enabled = serializers.BooleanField(required=False, allow_null=True, default=None)


class TicketOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Ticket.Status.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    source = serializers.CharField()
    department = ImprovementDepartmentRefOut(allow_null=True)
    rule = serializers.IntegerField(source="rule_id", allow_null=True)
    assignee = ImprovementUserRefOut(allow_null=True)
    touchpoint = serializers.CharField(source="touchpoint.key", allow_null=True, default=None)
    topic = serializers.CharField(source="topic.name", allow_null=True, default=None)
    channel = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_response_due_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    first_response_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")
    evidence_count = serializers.IntegerField(default=0)


class TicketPageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TicketOut(many=True)


class TicketEventOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    data = serializers.DictField()
    created_at = serializers.DateTimeField()


class TicketEvidenceOut(serializers.Serializer):
    feedback = serializers.IntegerField(source="feedback_id")
    text = serializers.CharField(source="feedback.text", allow_blank=True)
    channel = serializers.CharField(source="feedback.channel")
    touchpoint = serializers.CharField(source="feedback.touchpoint.key", allow_null=True, default=None)
    sentiment = serializers.CharField(source="feedback.sentiment_label", allow_null=True)
    occurred_at = serializers.DateTimeField(source="feedback.occurred_at")
    after_resolution = serializers.BooleanField()
    added_at = serializers.DateTimeField()


class TicketDetailOut(TicketOut):
    description = serializers.CharField(allow_blank=True)
    trigger = serializers.DictField()
    effect = serializers.DictField()
    effect_final = serializers.BooleanField()
    events = TicketEventOut(many=True)
    evidence = TicketEvidenceOut(many=True)


class TicketFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Ticket.Status.choices, required=False)
    department = serializers.IntegerField(required=False, min_value=1, max_value=2 ** 62)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    rule = serializers.IntegerField(required=False, min_value=1, max_value=2 ** 62)
    assignee = serializers.IntegerField(required=False, min_value=1, max_value=2 ** 62)
    source = serializers.ChoiceField(choices=Ticket.Source.choices, required=False)
    q = serializers.CharField(required=False, max_length=200)


class TicketCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default="normal")
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    touchpoint = serializers.CharField(max_length=64, required=False, help_text="A touchpoint key.")
    topic = serializers.CharField(max_length=64, required=False, help_text="A topic name.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    feedback = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2 ** 62),
                                     required=False, default=list, max_length=MAX_FEEDBACK_REFS,
                                     help_text="Ids of feedback linked as evidence.")


class TicketTransitionInput(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Ticket.Status.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class TicketCommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class TicketCommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    ticket = serializers.IntegerField(source="ticket_id")
    text = serializers.CharField(source="comment")
    actor = serializers.CharField(source="actor_label")
    created_at = serializers.DateTimeField()



class TicketStatsFilterInput(serializers.Serializer):
    """`from` / `to`: days in the organization's time zone, both included (default: last 30 days)."""

    def get_fields(self):
        return {"from": serializers.DateField(required=False), "to": serializers.DateField(required=False)}

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to"):
            if attrs["from"] > attrs["to"]:
                raise serializers.ValidationError({"to": ["`to` is before `from`."]})
            if (attrs["to"] - attrs["from"]).days > 366:
                raise serializers.ValidationError({"from": ["At most 366 days per report."]})
        return attrs


class TicketBusinessDurationOut(serializers.Serializer):
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)
    mean_seconds = serializers.FloatField(allow_null=True)
    tickets = serializers.IntegerField()
    note = serializers.CharField(required=False)


class TicketDurationOut(serializers.Serializer):
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)
    mean_seconds = serializers.FloatField(allow_null=True)
    tickets = serializers.IntegerField()
    business_hours = TicketBusinessDurationOut()


class TicketDepartmentStatsOut(serializers.Serializer):
    department = ImprovementDepartmentRefOut(allow_null=True)
    tickets = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    resolved = serializers.IntegerField()
    sla_met_share = serializers.FloatField(allow_null=True)
    first_response_time = TicketDurationOut()
    resolution_time = TicketDurationOut()


class TicketStatsOut(serializers.Serializer):
    period = serializers.DictField(child=serializers.CharField())
    departments = TicketDepartmentStatsOut(many=True)
    total = TicketDepartmentStatsOut()
