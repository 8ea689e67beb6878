from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel
from journeys.models import Touchpoint
from voice.models.customers import Customer
from voice.models.topics import Polarity, Topic


class Channel(models.TextChoices):
    SURVEY = "survey", _("Survey")
    APP = "app", _("App")
    WEB = "web", _("Web")
    CALL_CENTER = "call_center", _("Call center")
    EMAIL = "email", _("Email")
    ECOMMERCE_REVIEW = "ecommerce_review", _("E-commerce review")
    SOCIAL = "social", _("Social media")
    STORE = "store", _("Store")
    PARTNER = "partner", _("Partner")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Feedback(OrgOwnedModel):
    """One piece of customer voice. Stored `pending`; a worker fills the analysis fields."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ANALYZING = "analyzing", _("Analyzing")
        ANALYZED = "analyzed", _("Analyzed")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        API = "api", _("Partner API")
        SURVEY = "survey", _("Survey link")
        IMPORT = "import", _("File import")
        MANUAL = "manual", _("Entered by hand")
        DEMO = "demo", _("Demo data")

    # NOTE: NULL, not "", when absent: the partial unique constraint skips rows without one.
    external_id = models.CharField(_("external id"), max_length=128, null=True,  # noqa: DJ001
                                   blank=True)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.API)
    touchpoint = models.ForeignKey(Touchpoint, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="feedback", verbose_name=_("touchpoint"))
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="feedback")
    # NOTE: the customer's segment when the feedback arrived, so metrics filter without a join.
    segment = models.CharField(_("segment"), max_length=64, blank=True, default="")
    text = models.TextField(_("text"), blank=True, default="")
    nps = models.PositiveSmallIntegerField("NPS", null=True, blank=True)
    csat = models.PositiveSmallIntegerField("CSAT", null=True, blank=True)
    ces = models.PositiveSmallIntegerField("CES", null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    failure_reason = models.TextField(_("failure reason"), blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    analyzed_at = models.DateTimeField(null=True, blank=True)
    # NOTE: NULL means "not analyzed yet", distinct from the label neutral.
    sentiment_label = models.CharField(max_length=16, choices=Sentiment.choices,  # noqa: DJ001
                                       null=True, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)
    sentiment_corrected = models.BooleanField(default=False)
    # NOTE: once a CX manager set the topics by hand, re-analysis leaves them as they are.
    topics_corrected = models.BooleanField(default=False)
    model_version = models.CharField(max_length=64, blank=True, default="")

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "channel", "external_id"], name="feedback_org_channel_ext_uniq",
                condition=Q(external_id__isnull=False) & ~Q(external_id=""),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "occurred_at"], name="fb_org_occurred_idx"),
            models.Index(fields=["organization", "status", "received_at"], name="fb_org_status_idx"),
            models.Index(fields=["organization", "touchpoint", "occurred_at"], name="fb_org_tp_idx"),
            models.Index(fields=["organization", "channel", "occurred_at"], name="fb_org_channel_idx"),
            models.Index(fields=["organization", "sentiment_label", "occurred_at"],
                         name="fb_org_sentiment_idx"),
            models.Index(fields=["organization", "customer"], name="fb_org_customer_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.text[:30]}"


class FeedbackAnalysis(OrgOwnedModel):
    """One scoring of a feedback by one model version, with its explanation (clauses, words)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="analyses")
    model_version = models.CharField(max_length=64)
    label = models.CharField(max_length=16, choices=Sentiment.choices)
    score = models.FloatField()
    explanation = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "feedback", "model_version"],
                                    name="analysis_feedback_model_uniq"),
        ]


class FeedbackTopic(OrgOwnedModel):
    """A topic found in a feedback, with the polarity of the clause that mentions it."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="feedback_links")
    polarity = models.CharField(max_length=16, choices=Polarity.choices)
    clause = models.CharField(max_length=500, blank=True, default="")
    corrected = models.BooleanField(default=False)

    class Meta(OrgOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "feedback", "topic"],
                                    name="feedback_topic_uniq"),
        ]
        indexes = [models.Index(fields=["organization", "topic", "polarity"],
                                name="fbtopic_org_topic_idx")]


class FeedbackCorrection(OrgOwnedModel):
    """A CX manager's correction of a feedback's sentiment and/or topics: the audit trail and
    the training data of the organization's own model (`train_sentiment --org`)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="corrections")
    # NOTE: NULL label / topics mean "not corrected in this step".
    label = models.CharField(max_length=16, choices=Sentiment.choices, null=True,  # noqa: DJ001
                             blank=True)
    previous_label = models.CharField(max_length=16, choices=Sentiment.choices,  # noqa: DJ001
                                      null=True, blank=True)
    #: [{"name": "物流配送", "polarity": "pain"}, ...] — the full corrected set
    topics = models.JSONField(null=True, blank=True)
    previous_topics = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at"], name="fbcorr_org_created_idx"),
            models.Index(fields=["organization", "feedback"], name="fbcorr_org_feedback_idx"),
        ]
