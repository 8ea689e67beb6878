"""Outgoing webhooks: endpoints (generic signed JSON or a group robot) and the delivery log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cem.models import OrgOwnedModel


class WebhookEndpoint(OrgOwnedModel):
    """Where events go, in which message format, for which events."""

    class Format(models.TextChoices):
        GENERIC = "generic", _("Generic JSON (HMAC-SHA256 signed)")
        WECOM = "wecom", _("WeCom group robot (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")
        FEISHU = "feishu", _("Feishu group robot (飞书)")

    class Event(models.TextChoices):
        FEEDBACK_ANALYZED = "feedback.analyzed", _("Feedback analyzed")
        TICKET_CREATED = "ticket.created", _("Ticket created")
        TICKET_UPDATED = "ticket.updated", _("Ticket updated")
        TICKET_OVERDUE = "ticket.overdue", _("Ticket overdue")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices,
                              default=Format.GENERIC)
    #: HMAC key of generic payloads; the robot's signing secret (钉钉 加签, 飞书 签名校验).
    secret = models.CharField(_("signing secret"), max_length=200, blank=True, default="")
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class WebhookDelivery(OrgOwnedModel):
    """One event for one endpoint: an outbox row written with the change, sent by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery", "Pending")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE,
                                 related_name="deliveries")
    event = models.CharField(max_length=32)
    event_key = models.CharField(max_length=120)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwnedModel.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "endpoint", "event_key"],
                                    name="delivery_org_endpoint_key_uniq"),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "created_at"], name="delivery_org_status_idx"),
            models.Index(fields=["organization", "endpoint", "created_at"], name="delivery_org_ep_idx"),
        ]
