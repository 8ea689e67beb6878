"""What the text-analytics workers store: keyword clouds, topic discovery, re-analysis jobs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel
from voice.models.topics import Topic


class KeywordSnapshot(OrgOwnedModel):
    """Keywords of recent feedback for one scope (organization, a touchpoint or a topic) and
    window, computed by a worker: words = [{"word", "weight" (0..1), "count"}], best first."""

    class Scope(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        TOUCHPOINT = "touchpoint", _("Touchpoint")
        TOPIC = "topic", _("Topic")

    scope_kind = models.CharField(max_length=16, choices=Scope.choices)
    #: the touchpoint's or topic's id; 0 for the whole organization
    scope_id = models.BigIntegerField(default=0)
    window_days = models.PositiveSmallIntegerField()
    words = models.JSONField(default=list, blank=True)
    feedback_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta(OrgOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "scope_kind", "scope_id", "window_days"],
                                    name="keyword_snapshot_scope_uniq"),
        ]


class TopicDiscoveryRun(OrgOwnedModel):
    """One clustering of recent negative feedback that matches no topic."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Too little feedback")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    window_days = models.PositiveSmallIntegerField(default=30)
    #: unmatched negative feedback considered, and suggestions made
    feedback_count = models.PositiveIntegerField(default=0)
    suggestion_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "created_at"], name="discovery_org_created_idx")]


class TopicSuggestion(OrgOwnedModel):
    """A cluster a discovery run found: its top terms and example quotes, pending a decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    run = models.ForeignKey(TopicDiscoveryRun, on_delete=models.CASCADE, related_name="suggestions")
    terms = models.JSONField(default=list)
    #: [{"id": feedback id, "text": quote}]
    examples = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-size", "id"]
        indexes = [models.Index(fields=["organization", "status"], name="suggestion_org_status_idx")]

    @property
    def default_name(self) -> str:
        return "".join(self.terms[:2])[:64]


class ReanalysisJob(OrgOwnedModel):
    """Re-analysis of an organization's past feedback with the current analyzer and taxonomy.

    `last_id` is the resume point: rows are processed in id order, chunk by chunk.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    last_id = models.BigIntegerField(default=0)
    model_version = models.CharField(max_length=64, blank=True, default="")
    error = models.TextField(blank=True, default="")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            # NOTE: one unfinished job per organization; a second request joins it.
            models.UniqueConstraint(fields=["organization"], name="reanalysis_one_active_per_org",
                                    condition=Q(status__in=["queued", "running"])),
        ]

    @property
    def percent(self) -> int:
        return min(100, round(self.done * 100 / self.total)) if self.total else (
            100 if self.status == self.Status.DONE else 0)
