"""Browser imports of historical feedback from CSV or Excel files."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel


def import_upload_to(instance, filename: str) -> str:
    """Files live under MEDIA_ROOT/imports/<organization id>/."""
    return f"imports/{instance.organization_id}/{filename}"


class ImportJob(OrgOwnedModel):
    """One uploaded file and its progress. `processed_rows` is the resume point of the task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    file = models.FileField(upload_to=import_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(max_length=8, choices=Format.choices)
    #: the text encoding detected at upload (CSV only): utf-8-sig or gb18030
    encoding = models.CharField(max_length=16, blank=True, default="")
    columns = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    accepted_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    #: [{"row": <1-based line number in the file, header = 1>, "reason": "..."}], capped
    errors = models.JSONField(default=list, blank=True)
    failure_reason = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: moves with every committed chunk: a running job whose clock stopped has lost its worker
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "created_at"], name="import_org_created_idx")]

    def __str__(self):
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def can_resume(self, *, stalled_after: timedelta = timedelta(minutes=2)) -> bool:
        """Queued (the broker lost the task), or running with no progress for a while."""
        if self.status == self.Status.QUEUED:
            return True
        return (self.status == self.Status.RUNNING
                and self.updated_at < timezone.now() - stalled_after)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
