"""Reads of the bell and of the webhooks' configuration and delivery log."""

from __future__ import annotations

from django.db.models import QuerySet

from improvement.models import Notification, WebhookDelivery, WebhookEndpoint


def notification_list(*, organization, user) -> QuerySet[Notification]:
    return Notification.objects.filter(organization=organization, recipient=user).order_by(
        "-created_at", "-id")


def notification_unread_count(*, organization, user) -> int:
    return Notification.objects.filter(organization=organization, recipient=user,
                                       read_at__isnull=True).count()


def notification_get(*, organization, user, notification_id: int) -> Notification:
    """Raises Notification.DoesNotExist unless it is the user's own, in this organization."""
    return notification_list(organization=organization, user=user).get(pk=notification_id)


def webhook_endpoint_list(*, organization) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organization=organization).order_by("name", "id")


def webhook_endpoint_get(*, organization, endpoint_id: int) -> WebhookEndpoint:
    return webhook_endpoint_list(organization=organization).get(pk=endpoint_id)


def webhook_delivery_list(*, organization, filters: dict | None = None) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first; filters endpoint (id), status, event."""
    filters = filters or {}
    qs = WebhookDelivery.objects.filter(organization=organization).select_related("endpoint")
    for name, lookup in (("endpoint", "endpoint_id"), ("status", "status"), ("event", "event")):
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    return qs.order_by("-created_at", "-id")
