"""Serializers of the survey-link API (unique names: they become OpenAPI components)."""

from rest_framework import serializers

from voice.models import SurveyInvitation, SurveyLink


class SurveyLinkCreateInput(serializers.Serializer):
    touchpoint = serializers.CharField(max_length=64, help_text="The touchpoint's key.")
    question = serializers.ChoiceField(choices=SurveyLink.Question.choices)
    title = serializers.CharField(max_length=200)
    intro = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class SurveyLinkOut(serializers.Serializer):
    id = serializers.IntegerField()
    touchpoint = serializers.CharField(source="touchpoint.key", allow_null=True, default=None)
    question = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField()
    is_active = serializers.BooleanField()
    url = serializers.SerializerMethodField()
    response_count = serializers.IntegerField()
    invitations_sent = serializers.IntegerField(default=0)
    invitations_answered = serializers.IntegerField(default=0)
    response_rate = serializers.SerializerMethodField()
    last_response_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_url(self, obj) -> str:
        return self.context["url_for"](obj)

    def get_response_rate(self, obj) -> float | None:
        sent = getattr(obj, "invitations_sent", 0)
        return round(obj.invitations_answered * 100 / sent, 1) if sent else None


class SurveyLinkPageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SurveyLinkOut(many=True)


class SurveyInvitationCustomerInput(serializers.Serializer):
    external_id = serializers.CharField(max_length=128)
    segment = serializers.CharField(max_length=64, required=False, allow_blank=True)


class SurveyInvitationCreateInput(serializers.Serializer):
    customer = SurveyInvitationCustomerInput()
    send_email = serializers.BooleanField(
        required=False, default=False,
        help_text="true: OpenCEM emails the personal link; false: you deliver the returned url.")
    email = serializers.EmailField(required=False, allow_blank=True, default="",
                                   help_text="Needed with send_email unless the customer's "
                                             "attributes hold an 'email'.")


class SurveyInvitationOut(serializers.Serializer):
    id = serializers.IntegerField()
    survey_link = serializers.IntegerField(source="link_id")
    customer = serializers.CharField(source="customer.external_id")
    channel = serializers.ChoiceField(choices=SurveyInvitation.Channel.choices)
    url = serializers.CharField(help_text="The customer's personal survey link.")
    sent_at = serializers.DateTimeField(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
