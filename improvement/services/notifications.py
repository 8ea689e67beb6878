"""The bell (read/unread) and the mail copy of notifications.

Mail is idempotent: a notification is claimed (pending → sending) with a conditional UPDATE
before it is sent, so a redelivered task never mails twice; a claim older than the lease is
taken over.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from improvement.models import Notification

logger = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=5)
E = Notification.EmailStatus


def notification_mark_read(*, organization, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all of them when no ids); returns how many."""
    rows = Notification.objects.filter(organization=organization, recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


def _claim(notification_id: int) -> Notification | None:
    now = timezone.now()
    claimable = Q(email_status=E.PENDING) | Q(email_status=E.SENDING, email_claimed_at__lt=now - CLAIM_LEASE)
    if not Notification.objects.filter(Q(pk=notification_id) & claimable).update(
            email_status=E.SENDING, email_claimed_at=now):
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def notification_emails_send(*, notification_ids: list[int]) -> list[int]:
    """Mail each pending notification once; returns the ids that failed (left pending to retry)."""
    failed = []
    for notification_id in notification_ids:
        row = _claim(notification_id)
        if row is None:
            continue
        if not row.recipient.email:
            Notification.objects.filter(pk=row.pk).update(email_status=E.NONE)
            continue
        link = settings.PUBLIC_BASE_URL + row.url
        try:
            send_mail(subject=f"[OpenCEM] {row.title}", message=f"{row.body}\n\n{link}".strip(),
                      from_email=None, recipient_list=[row.recipient.email])
        except Exception:  # noqa: BLE001 (SMTP errors of every kind: retried by the task)
            logger.exception("mail of notification %s failed", row.pk)
            Notification.objects.filter(pk=row.pk).update(email_status=E.PENDING)
            failed.append(row.pk)
            continue
        Notification.objects.filter(pk=row.pk).update(email_status=E.SENT, emailed_at=timezone.now())
    return failed


def notification_emails_give_up(*, notification_ids: list[int]) -> None:
    Notification.objects.filter(pk__in=notification_ids, email_status=E.PENDING).update(
        email_status=E.FAILED)


def notifications_unmailed(*, organization_id: int, older_than: timedelta) -> list[int]:
    """Pending mails a lost message left behind (for the periodic sweep)."""
    cutoff = timezone.now() - older_than
    return list(Notification.objects.filter(
        Q(organization_id=organization_id)
        & (Q(email_status=E.PENDING, created_at__lt=cutoff)
           | Q(email_status=E.SENDING, email_claimed_at__lt=timezone.now() - CLAIM_LEASE)))
        .values_list("pk", flat=True)[:1000])
