from django.db import models

from cem.models import OrgOwnedModel


class IdempotencyRecord(OrgOwnedModel):
    """`Idempotency-Key` bookkeeping: per organization, kept 24 h, the first response stored."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        DONE = "done"

    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    endpoint = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta(OrgOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="idem_org_key_uniq"),
        ]
        indexes = [models.Index(fields=["organization", "expires_at"], name="idem_org_expires_idx")]
