"""SLA policy: first-response and resolution targets per ticket priority."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel


class SlaPolicy(OrgOwnedModel):
    """Targets for one priority; missing rows fall back to DEFAULT_SLA (improvement.sla)."""

    priority = models.CharField(_("priority"), max_length=16)
    first_response_minutes = models.PositiveIntegerField(_("first response target (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (minutes)"))
    use_business_hours = models.BooleanField(_("count business hours only"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "priority"], name="sla_org_priority_uniq"),
        ]

    def __str__(self):
        return f"SLA {self.priority}"
