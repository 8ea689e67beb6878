"""Choices shared by rules and tickets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")
