"""Customer journeys: Journey → ordered Stages → Touchpoints (key unique per organization)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import Department, OrgOwnedModel

#: The channels of the Partner API contract (DESIGN.md); voice.models.Channel holds the same
#: codes with labels (a test keeps them equal; journeys may not import voice).
CHANNELS = ("survey", "app", "web", "call_center", "email", "ecommerce_review", "social", "store",
            "partner")


class Journey(OrgOwnedModel):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    persona = models.CharField(_("persona"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organization", "name"], name="journey_org_name_idx")]

    def __str__(self):
        return self.name


class Stage(OrgOwnedModel):
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["journey_id", "position", "id"]
        indexes = [models.Index(fields=["organization", "journey", "position"],
                                name="stage_org_journey_pos_idx")]

    def __str__(self):
        return self.name


class Touchpoint(OrgOwnedModel):
    """A moment of contact; feedback points at it by `key`. Deleting it unlinks its feedback."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints")
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="touchpoints", verbose_name=_("owning department"))
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["stage_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="touchpoint_org_key_uniq"),
        ]

    def __str__(self):
        return f"{self.name} ({self.key})"
