"""`Idempotency-Key` handling (Stripe's model), per organization, kept 24 hours.

The key is claimed in its own committed row (`in_progress`) before the work starts, so a
concurrent request with the same key sees it and gets 409. The work and the stored response
commit together; if the work fails the claim is removed so the key can be retried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cem.errors import ApplicationError, ConflictError
from voice.models import IdempotencyRecord

ERR_KEY_REUSED = "This Idempotency-Key was already used with a different request body."
ERR_IN_PROGRESS = "A request with this Idempotency-Key is still being processed; retry shortly."
ERR_KEY_TOO_LONG = "Idempotency-Key must be at most 255 characters."
#: A claim older than this is treated as abandoned (its process died before finishing).
STALE_CLAIM = timedelta(minutes=2)


@dataclass
class StoredResponse:
    status: int
    body: dict | list | None


def request_fingerprint(*, endpoint: str, payload) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{endpoint}\n{canonical}".encode()).hexdigest()


def _claim(*, organization, key: str, fingerprint: str, endpoint: str) -> StoredResponse | None:
    """Insert the in-progress claim (autocommit); returns a stored response to replay, if any.

    NOTE: the existing record is read before any write, so a request racing a held claim gets
    its 409 at once even where writers are serialized (SQLite's embedded default).
    """
    now = timezone.now()
    for _attempt in range(3):
        record = IdempotencyRecord.all_orgs.filter(organization=organization, key=key).first()
        if record is not None:
            abandoned = (record.state == IdempotencyRecord.State.IN_PROGRESS
                         and now - record.created_at > STALE_CLAIM)
            if record.expires_at <= now or abandoned:
                IdempotencyRecord.all_orgs.filter(pk=record.pk).delete()
                continue
            if record.request_hash != fingerprint:
                raise ApplicationError(ERR_KEY_REUSED, status_code=422)
            if record.state == IdempotencyRecord.State.IN_PROGRESS:
                raise ConflictError(ERR_IN_PROGRESS, retry_after=1)
            return StoredResponse(record.response_status, record.response_body)
        try:
            with transaction.atomic():
                IdempotencyRecord.all_orgs.create(
                    organization=organization, key=key, request_hash=fingerprint,
                    endpoint=endpoint, created_at=now,
                    expires_at=now + timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS))
            return None
        except IntegrityError:
            continue  # a concurrent request claimed the key first: read its record
    raise ConflictError(ERR_IN_PROGRESS, retry_after=1)


def idempotent_call(*, organization, key: str | None, endpoint: str, payload,
                    work: Callable[[], StoredResponse]) -> StoredResponse:
    """Run `work` once per (organization, key); replays the first response for the same payload."""
    if not key:
        return work()
    if len(key) > 255:
        raise ApplicationError(ERR_KEY_TOO_LONG, field="Idempotency-Key")
    fingerprint = request_fingerprint(endpoint=endpoint, payload=payload)
    replay = _claim(organization=organization, key=key, fingerprint=fingerprint, endpoint=endpoint)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            result = work()
            IdempotencyRecord.all_orgs.filter(organization=organization, key=key).update(
                state=IdempotencyRecord.State.DONE, response_status=result.status,
                response_body=result.body)
    except BaseException:
        IdempotencyRecord.all_orgs.filter(organization=organization, key=key,
                                          state=IdempotencyRecord.State.IN_PROGRESS).delete()
        raise
    return result


def idempotency_purge(*, organization_id: int) -> int:
    """Delete expired records of one organization; returns how many."""
    deleted, _ = IdempotencyRecord.all_orgs.filter(
        organization_id=organization_id, expires_at__lte=timezone.now()).delete()
    return deleted
