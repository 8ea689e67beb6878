"""The emotion-curve API of one journey (scope metrics:read)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from cem.api.base import OrgAPIView
from metrics.api.serializers import MetricsFilterInput, RangeOut
from metrics.selectors.emotion import journey_emotion_curve

DEFAULT_DAYS = 90


class EmotionCurveInput(MetricsFilterInput):
    """`from` / `to` (default: the last 90 days), `channel`, `segment`."""

    journey = None
    touchpoint = None
    topic = None

    def default_days(self, attrs) -> int:
        return DEFAULT_DAYS


class TopicMentionOut(serializers.Serializer):
    topic = serializers.CharField()
    mentions = serializers.IntegerField()


class CurveDepartmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CurveTouchpointOut(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField())
    department = CurveDepartmentOut(allow_null=True)


class CurveStageOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CurvePointOut(serializers.Serializer):
    touchpoint = CurveTouchpointOut()
    stage = CurveStageOut()
    volume = serializers.IntegerField(help_text="Feedback in the period.")
    sentiment = serializers.FloatField(allow_null=True, help_text="Mean sentiment score −1..1.")
    nps = serializers.FloatField(allow_null=True)
    nps_responses = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True, help_text="% scoring 4–5.")
    csat_responses = serializers.IntegerField()
    pain = TopicMentionOut(many=True, help_text="Top 3 pain topics.")
    delight = TopicMentionOut(many=True, help_text="Top 3 delight topics.")
    moments = serializers.ListField(child=serializers.ChoiceField(choices=["peak", "low", "end"]))


class CurveMomentOut(serializers.Serializer):
    index = serializers.IntegerField()
    touchpoint = serializers.CharField()
    name = serializers.CharField()
    sentiment = serializers.FloatField()


class CurveJourneyOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EmotionCurveOut(serializers.Serializer):
    journey = CurveJourneyOut()
    period = RangeOut()
    filters = serializers.DictField(child=serializers.CharField())
    points = CurvePointOut(many=True)
    peak = CurveMomentOut(allow_null=True, help_text="高光点: the highest mean sentiment.")
    low = CurveMomentOut(allow_null=True, help_text="至暗点: the lowest mean sentiment.")
    end = CurveMomentOut(allow_null=True, help_text="The last touchpoint with data.")


class JourneyEmotionCurveApi(OrgAPIView):
    """Per touchpoint in journey order: mean sentiment, NPS, CSAT, volume, top pain and
    delight topics; the peak, the low and the end moment marked (peak-end rule)."""

    required_scopes = {"GET": "metrics:read"}

    @extend_schema(parameters=[EmotionCurveInput], responses=EmotionCurveOut)
    def get(self, request, journey_id: int):
        payload = EmotionCurveInput(data=request.query_params,
                                    context={"tzinfo": request.organization.tzinfo})
        payload.is_valid(raise_exception=True)
        curve = journey_emotion_curve(organization=request.organization, journey_id=journey_id,
                                      **payload.validated_data)
        return Response(EmotionCurveOut(curve).data)
