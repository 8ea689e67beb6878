"""Serializers of the journeys API (unique names: they become OpenAPI components)."""

from rest_framework import serializers

from journeys.models import CHANNELS
from journeys.services import MAX_STAGES, MAX_TOUCHPOINTS

ID_MAX = 2**53


class TouchpointInput(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX,
                                  help_text="Keep (and update) this touchpoint; omit to create one.")
    key = serializers.RegexField(r"^[-a-zA-Z0-9_]+$", max_length=64,
                                 help_text="Unique per organization; feedback refers to it.")
    name = serializers.CharField(max_length=200)
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                          max_value=ID_MAX, help_text="Owning department id.")
    channels = serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS),
                                     required=False, max_length=len(CHANNELS))
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StageInput(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX,
                                  help_text="Keep (and update) this stage; omit to create one.")
    name = serializers.CharField(max_length=200)
    touchpoints = TouchpointInput(many=True, required=False, max_length=MAX_TOUCHPOINTS)


class JourneyCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    persona = serializers.CharField(required=False, allow_blank=True, max_length=200)
    stages = StageInput(many=True, required=False, max_length=MAX_STAGES)


class JourneyUpdateInput(serializers.Serializer):
    """Every field optional; `stages`, when given, is the whole new structure, in order."""

    name = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    persona = serializers.CharField(required=False, allow_blank=True, max_length=200)
    stages = StageInput(many=True, required=False, max_length=MAX_STAGES)


class DepartmentBriefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TouchpointOut(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    department = DepartmentBriefOut(allow_null=True)
    channels = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    position = serializers.IntegerField()


class StageOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.IntegerField()
    touchpoints = TouchpointOut(many=True, source="touchpoints.all")


class JourneyOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    persona = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    stages = StageOut(many=True, source="stages.all")


class JourneyPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = JourneyOut(many=True)
