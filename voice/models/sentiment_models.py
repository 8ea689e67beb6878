from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel


class SentimentModel(OrgOwnedModel):
    """An organization's own sentiment model (`train_sentiment --org S`).

    The artifact file is a cache: `extra_rows` ([label 1/0, text] pairs beyond the default
    corpus) are the recorded inputs a worker rebuilds it from, deterministically, when the file
    is missing. At most one active model per organization; none means the default model.
    """

    version = models.CharField(_("version"), max_length=64)
    artifact_key = models.CharField(max_length=32)
    trained_at = models.DateTimeField(_("trained at"))
    rows_default = models.PositiveIntegerField(default=0)
    rows_corrections = models.PositiveIntegerField(default=0)
    rows_csv = models.PositiveIntegerField(default=0)
    extra_rows = models.JSONField(default=list, blank=True)
    evaluation = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization"], condition=models.Q(is_active=True),
                                    name="sentiment_model_one_active_per_org"),
        ]

    def __str__(self):
        return self.version
