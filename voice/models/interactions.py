from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel
from journeys.models import Touchpoint
from voice.models.customers import Customer


class Interaction(OrgOwnedModel):
    """A service contact. First response runs from the last (re)opening; resolution from opening."""

    external_id = models.CharField(_("external id"), max_length=128)
    channel = models.CharField(_("channel"), max_length=32)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="interactions")
    touchpoint = models.ForeignKey(Touchpoint, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="interactions")
    segment = models.CharField(max_length=64, blank=True, default="")
    agent = models.CharField(_("agent"), max_length=128, blank=True, default="")
    team = models.CharField(_("team"), max_length=128, blank=True, default="")
    opened_at = models.DateTimeField(_("opened at"))
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "external_id"],
                                    name="interaction_org_external_uniq"),
        ]
        indexes = [
            models.Index(fields=["organization", "opened_at"], name="inter_org_opened_idx"),
            models.Index(fields=["organization", "channel", "opened_at"], name="inter_org_ch_idx"),
        ]
