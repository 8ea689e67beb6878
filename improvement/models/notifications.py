"""In-app notifications (the bell), each optionally mailed once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cem.models import OrgOwnedModel
from improvement.models.tickets import Ticket


class Notification(OrgOwnedModel):
    """One message to one user; `event_key` makes creating it twice a no-op."""

    class EmailStatus(models.TextChoices):
        NONE = "none", _("Not mailed")
        PENDING = "pending", _("To be mailed")
        SENDING = "sending", _("Mailing")
        SENT = "sent", _("Mailed")
        FAILED = "failed", _("Mail failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="notifications")
    event = models.CharField(max_length=32)
    event_key = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, default="")
    url = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=16, choices=EmailStatus.choices,
                                    default=EmailStatus.NONE)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "recipient", "event_key"],
                                    name="notification_org_recipient_key_uniq"),
        ]
        indexes = [models.Index(fields=["organization", "recipient", "read_at"],
                                name="notification_org_unread_idx")]
