from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel


class Customer(OrgOwnedModel):
    """A customer known by the partner's `external_id` (unique per organization)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CHURNED = "churned", _("Churned")

    external_id = models.CharField(_("external id"), max_length=128)
    segment = models.CharField(_("segment"), max_length=64, blank=True, default="")
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    since = models.DateTimeField(_("customer since"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE)
    churned_at = models.DateTimeField(_("churned at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "external_id"],
                                    name="customer_org_external_uniq"),
        ]
        indexes = [
            models.Index(fields=["organization", "segment"], name="customer_org_segment_idx"),
            models.Index(fields=["organization", "status", "churned_at"],
                         name="customer_org_churn_idx"),
            models.Index(fields=["organization", "since"], name="customer_org_since_idx"),
        ]

    def __str__(self):
        return self.external_id
