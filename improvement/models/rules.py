"""Alert rules (what to watch) and their matches (which feedback a rule has already counted)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import Department, OrgOwnedModel
from improvement.models.choices import Priority
from journeys.models import Touchpoint
from voice.models import Feedback, Topic


class AlertRule(OrgOwnedModel):
    """A condition that opens a ticket when it holds: a topic's negative count in a window, a
    metric past a threshold over a window, or severe keywords in one feedback."""

    class Kind(models.TextChoices):
        TOPIC_NEGATIVE_COUNT = "topic_negative_count", _("Negative feedback on a topic")
        METRIC_THRESHOLD = "metric_threshold", _("Metric past a threshold")
        KEYWORD = "keyword", _("Severe keywords")

    class Metric(models.TextChoices):
        NPS = "nps", _("NPS")
        CSAT = "csat", _("CSAT")
        CES = "ces", _("CES")
        NEGATIVE_SHARE = "negative_share", _("Negative share")
        FRT = "frt", _("First response time")
        RESOLUTION = "resolution", _("Resolution time")

    class Comparison(models.TextChoices):
        LT = "lt", _("below")
        GT = "gt", _("above")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices,
                                default=Priority.HIGH)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="alert_rules", verbose_name=_("department"))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="alert_rules", verbose_name=_("topic"))
    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices, blank=True)
    comparison = models.CharField(_("comparison"), max_length=2, choices=Comparison.choices,
                                  blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    window_minutes = models.PositiveIntegerField(_("window (minutes)"), null=True, blank=True)
    min_responses = models.PositiveIntegerField(_("minimum responses"), default=0)
    touchpoint = models.ForeignKey(Touchpoint, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="alert_rules", verbose_name=_("touchpoint"))
    channel = models.CharField(_("channel"), max_length=32, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    cooldown_minutes = models.PositiveIntegerField(_("cooldown after close (minutes)"),
                                                   default=1440)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_evaluated_at = models.DateTimeField(null=True, blank=True)
    last_fired_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "is_enabled"],
                                name="alertrule_org_kind_idx")]

    def __str__(self):
        return self.name


class RuleMatch(OrgOwnedModel):
    """One feedback counted by one rule, once: re-evaluating a feedback is a no-op (ACCEPTANCE R4).

    `run` is the evaluation that inserted the row, so a run can tell its own new matches from
    rows another (duplicate) run inserted first.
    """

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="matches")
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="+")
    run = models.CharField(max_length=32)
    matched_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "rule", "feedback"],
                                    name="rulematch_org_rule_feedback_uniq"),
        ]
        indexes = [models.Index(fields=["organization", "run"], name="rulematch_org_run_idx")]
