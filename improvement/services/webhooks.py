"""Webhook endpoints (CRUD, test message) and the delivery of one outbox row.

Delivery is idempotent and safe under redelivery: a worker claims the row with a conditional
UPDATE (pending/retrying and due, or a `sending` claim older than the lease), sends outside any
transaction, and records the outcome. Network errors, 5xx, 429 and robot error codes are
retried with exponential back-off and jitter up to WEBHOOK_MAX_ATTEMPTS; other 4xx fail at once.
"""

from __future__ import annotations

import http.client
import random
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from cem.services import audit_record
from improvement import audit
from improvement.models import WebhookDelivery, WebhookEndpoint
from improvement.webhooks import formats, transport

ERR_NAME = _("Give the webhook a name.")
ERR_EVENTS = _("Choose at least one event.")
ERR_UNKNOWN_EVENT = _("Unknown event: {event}.")
ERR_FORMAT = _("Unknown message format.")
ERR_URL = _("This URL is not allowed: {reason}")
ERR_ENDPOINT_OFF = "The endpoint is disabled."
#: A `sending` claim older than this is taken over (the worker died mid-request).
CLAIM_LEASE = timedelta(minutes=2)
EARLY_SLACK = timedelta(seconds=1)
D = WebhookDelivery.Status


def policy() -> transport.Policy:
    return transport.Policy.build(settings.WEBHOOK_ALLOWED_NETWORKS, settings.WEBHOOK_ALLOW_HTTP)


def webhook_url_check(url: str) -> transport.Target:
    """Raises ApplicationError (field url) when the URL breaks the SSRF policy."""
    try:
        return transport.check_url(url, policy())
    except transport.UnsafeUrl as exc:
        raise ApplicationError(ERR_URL.format(reason=exc), field="url")


def _clean(name: str, url: str, fmt: str, events: list[str]) -> list[str]:
    if not name.strip():
        raise ApplicationError(ERR_NAME, field="name")
    if fmt not in WebhookEndpoint.Format.values:
        raise ApplicationError(ERR_FORMAT, field="format")
    events = list(dict.fromkeys(events))
    if not events:
        raise ApplicationError(ERR_EVENTS, field="events")
    for event in events:
        if event not in WebhookEndpoint.Event.values:
            raise ApplicationError(ERR_UNKNOWN_EVENT.format(event=event), field="events")
    webhook_url_check(url)
    return events


@transaction.atomic
def webhook_endpoint_create(*, organization, name: str, url: str, fmt: str, events: list[str],
                            secret: str = "", created_by=None) -> WebhookEndpoint:
    """Add an endpoint; the URL must pass the SSRF policy now (and again at every send)."""
    events = _clean(name, url, fmt, events)
    endpoint = WebhookEndpoint.objects.create(organization=organization, name=name.strip(), url=url.strip(),
                                              format=fmt, events=events, secret=secret.strip(),
                                              created_by=created_by)
    audit_record(organization=organization, actor=created_by, action=audit.WEBHOOK_CREATED,
                 target=endpoint, details=_audited(endpoint))
    return endpoint


def _audited(endpoint: WebhookEndpoint) -> dict:
    """What the audit keeps of an endpoint: never the secret, and the URL by host only."""
    return {"name": endpoint.name, "host": audit.url_host(endpoint.url), "format": endpoint.format,
            "events": list(endpoint.events), "is_active": endpoint.is_active}


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, name: str, url: str, fmt: str,
                            events: list[str], secret: str | None = None, is_active: bool = True,
                            actor=None) -> WebhookEndpoint:
    """Change an endpoint; `secret=None` keeps the stored one. Audited with `actor`."""
    before, old_url, old_secret = _audited(endpoint), endpoint.url, endpoint.secret
    endpoint.events = _clean(name, url, fmt, events)
    endpoint.name, endpoint.url, endpoint.format, endpoint.is_active = name.strip(), url.strip(), fmt, is_active
    if secret is not None:
        endpoint.secret = secret.strip()
    endpoint.save()
    after = _audited(endpoint)
    changed = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    # NOTE: only whether they changed: robots' URLs carry a token, secrets stay out of the audit.
    changed.update({name: True for name, moved in (("url_changed", endpoint.url != old_url),
                                                   ("secret_changed", endpoint.secret != old_secret))
                    if moved})
    if changed:
        audit_record(organization=endpoint.organization, actor=actor, action=audit.WEBHOOK_CHANGED,
                     target=endpoint, details=changed)
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor=None) -> None:
    audit_record(organization=endpoint.organization, actor=actor, action=audit.WEBHOOK_DELETED,
                 target=endpoint, details={"host": audit.url_host(endpoint.url)})
    endpoint.delete()


@transaction.atomic
def webhook_send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a test message to one endpoint (shown in the delivery log like any other)."""
    from improvement.services.publish import enqueue_on_commit

    payload = {"event": "webhook.test", "organization": {"id": endpoint.organization_id},
               "summary": {"title": "OpenCEM 测试消息 / test message",
                           "body": f"{endpoint.name}: 如果您看到这条消息，webhook 已配置成功。"}}
    delivery = WebhookDelivery.objects.create(organization_id=endpoint.organization_id,
                                              endpoint=endpoint, event="webhook.test",
                                              event_key=f"test:{uuid.uuid4().hex}", payload=payload)
    enqueue_on_commit(organization_id=endpoint.organization_id, delivery_ids=[delivery.pk])
    return delivery


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    # NOTE: a countdown message may run a moment before `next_attempt_at`; accept that slack.
    due = Q(status__in=(D.PENDING, D.RETRYING)) & (Q(next_attempt_at__isnull=True)
                                                   | Q(next_attempt_at__lte=now + EARLY_SLACK))
    stale = Q(status=D.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    claimed = WebhookDelivery.objects.filter(Q(pk=delivery_id) & (due | stale)).update(
        status=D.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def _attempt(delivery: WebhookDelivery) -> tuple[int | None, str, int | None, bool]:
    """(status code, error or "", milliseconds, retryable)."""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return None, ERR_ENDPOINT_OFF, None, False
    request = formats.render(endpoint.format, url=endpoint.url, payload=delivery.payload,
                             secret=endpoint.secret, delivery_id=delivery.pk, now=time.time())
    try:
        target = transport.check_url(request.url, policy())
        status, text, millis = transport.post(target, request.body, request.headers,
                                              timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    except transport.UnsafeUrl as exc:
        return None, f"refused by the SSRF policy: {exc}", None, False
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500], None, True
    error = formats.robot_result(endpoint.format, status, text)
    retryable = error is not None and (status >= 500 or status in (408, 429) or 200 <= status < 300)
    return status, error or "", millis, retryable


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt: exponential back-off with jitter (half fixed, half random)."""
    delay = min(settings.WEBHOOK_RETRY_MAX_SECONDS,
                settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return delay / 2 + random.uniform(0, delay / 2)


def _not_yet_due(delivery_id: int) -> float | None:
    """Seconds until a retrying delivery is due (None when it is not waiting): the caller re-queues."""
    row = WebhookDelivery.objects.filter(pk=delivery_id, status__in=(D.PENDING, D.RETRYING),
                                         next_attempt_at__isnull=False).values_list("next_attempt_at", flat=True)
    due = next(iter(row), None)
    return max((due - timezone.now()).total_seconds(), 0.1) if due else None


def webhook_deliver(*, delivery_id: int) -> tuple[str, float | None]:
    """Send one delivery if it is due; returns (status after the attempt, seconds to retry in).

    A delivery that is not due yet returns ("skipped", seconds until due) so the task waits again.
    """
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped", _not_yet_due(delivery_id)
    status_code, error, millis, retryable = _attempt(delivery)
    now = timezone.now()
    fields = {"last_status_code": status_code, "last_error": error, "last_duration_ms": millis}
    if not error:
        fields.update(status=D.SUCCEEDED, delivered_at=now, next_attempt_at=None)
    elif retryable and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        delay = retry_delay(delivery.attempts)
        fields.update(status=D.RETRYING, next_attempt_at=now + timedelta(seconds=delay))
        WebhookDelivery.objects.filter(pk=delivery.pk, status=D.SENDING).update(**fields)
        return D.RETRYING, delay
    else:
        fields.update(status=D.FAILED, next_attempt_at=None)
    WebhookDelivery.objects.filter(pk=delivery.pk, status=D.SENDING).update(**fields)
    return fields["status"], None


def outbox_overdue(*, organization_id: int, older_than: timedelta) -> list[int]:
    """Deliveries a lost message left behind: pending/retrying and due for a while, or stale claims."""
    now = timezone.now()
    rows = WebhookDelivery.objects.filter(organization_id=organization_id).filter(
        Q(status=D.PENDING, created_at__lt=now - older_than, next_attempt_at__isnull=True)
        | Q(status__in=(D.PENDING, D.RETRYING), next_attempt_at__lt=now - older_than)
        | Q(status=D.SENDING, claimed_at__lt=now - CLAIM_LEASE))
    return list(rows.values_list("pk", flat=True)[:1000])
