"""Serializers of the taxonomy, keyword, discovery and re-analysis endpoints (unique names)."""

from rest_framework import serializers

from voice.models import ReanalysisJob, Topic, TopicDiscoveryRun, TopicSuggestion


class TopicOut(serializers.ModelSerializer):
    department = serializers.SerializerMethodField()
    #: links of feedback of the last 30 days (voice.selectors_topics.COUNT_WINDOW_DAYS)
    pain_count = serializers.IntegerField(read_only=True)
    delight_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "name", "keywords", "department", "origin", "is_active", "pain_count",
                  "delight_count", "created_at", "updated_at"]

    def get_department(self, topic) -> dict | None:
        if topic.department_id is None:
            return None
        return {"id": topic.department_id, "name": topic.department.name}


class TopicPageOut(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = TopicOut(many=True)


class TopicFilterInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=64)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class TopicWriteInput(serializers.Serializer):
    """POST needs name and keywords; PATCH any subset. `department` is an id or null."""

    name = serializers.CharField(max_length=64)
    keywords = serializers.ListField(child=serializers.CharField(max_length=32, allow_blank=True),
                                     max_length=200)
    department = serializers.IntegerField(allow_null=True, required=False)
    is_active = serializers.BooleanField(required=False)


class KeywordFilterInput(serializers.Serializer):
    touchpoint = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                       help_text="a touchpoint key")
    topic = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                  help_text="a topic name")
    window = serializers.ChoiceField(choices=[30, 90], required=False, default=30,
                                     help_text="days")
    limit = serializers.IntegerField(required=False, default=60, min_value=1, max_value=80)


class KeywordWordOut(serializers.Serializer):
    word = serializers.CharField()
    weight = serializers.FloatField()
    count = serializers.IntegerField()


class KeywordCloudOut(serializers.Serializer):
    words = KeywordWordOut(many=True)
    window_days = serializers.IntegerField()
    feedback_count = serializers.IntegerField()
    computed_at = serializers.DateTimeField(allow_null=True)


class KeywordRefreshOut(serializers.Serializer):
    status = serializers.CharField(help_text="queued: a worker recomputes the snapshots")


class TopicSuggestionOut(serializers.ModelSerializer):
    default_name = serializers.CharField(read_only=True)

    class Meta:
        model = TopicSuggestion
        fields = ["id", "terms", "default_name", "examples", "size", "status", "topic"]


class TopicDiscoveryRunOut(serializers.ModelSerializer):
    class Meta:
        model = TopicDiscoveryRun
        fields = ["id", "status", "window_days", "feedback_count", "suggestion_count", "error",
                  "created_at", "started_at", "finished_at"]


class TopicDiscoveryOut(serializers.Serializer):
    run = TopicDiscoveryRunOut(allow_null=True)
    suggestions = TopicSuggestionOut(many=True)


class SuggestionAcceptInput(serializers.Serializer):
    name = serializers.CharField(max_length=64, required=False)


class ReanalysisJobOut(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReanalysisJob
        fields = ["id", "status", "total", "done", "percent", "model_version", "error",
                  "created_at", "started_at", "finished_at"]


class ReanalysisJobPageOut(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ReanalysisJobOut(many=True)
