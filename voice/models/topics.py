from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import Department, OrgOwnedModel


class Polarity(models.TextChoices):
    PAIN = "pain", _("Pain point")
    DELIGHT = "delight", _("Delight point")
    NEUTRAL = "neutral", _("Neutral")


class Topic(OrgOwnedModel):
    """A taxonomy entry (物流配送 …) with its keywords and the department that owns it."""

    class Origin(models.TextChoices):
        DEFAULT = "default", _("Default taxonomy")
        CUSTOM = "custom", _("Added by the organization")
        DISCOVERED = "discovered", _("Accepted from topic discovery")

    name = models.CharField(_("name"), max_length=64)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="topics", verbose_name=_("owning department"))
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.CUSTOM)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="topic_org_name_uniq"),
        ]

    def __str__(self):
        return self.name
