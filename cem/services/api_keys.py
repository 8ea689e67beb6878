"""Writes of API keys: create (the raw key exists only in the return value), revoke, touch."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from cem import audit
from cem.errors import ApplicationError
from cem.models import ApiKey, Organization
from cem.services.audit import audit_record

ERR_UNKNOWN_SCOPE = "Unknown scope: {scope}."
ERR_NO_SCOPES = gettext_noop("Give the key at least one scope.")
ERR_KEY_NAME = gettext_noop("Give the key a name (up to 100 characters).")


@transaction.atomic
def api_key_create(*, organization: Organization, name: str, scopes: list[str],
                   created_by=None) -> tuple[ApiKey, str]:
    """Create a key; returns (key, raw) — the raw `<prefix>.<secret>` exists only in this return."""
    scopes = sorted(set(scopes))
    if not scopes:
        raise ApplicationError(ERR_NO_SCOPES, field="scopes")
    for scope in scopes:
        if scope not in ApiKey.Scope.values:
            raise ApplicationError(ERR_UNKNOWN_SCOPE.format(scope=scope), field="scopes")
    if len((name or "").strip()) > 100:
        raise ApplicationError(ERR_KEY_NAME, field="name")
    prefix = "ocm" + secrets.token_hex(5)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.all_orgs.create(
        organization=organization, name=(name or "").strip() or prefix, prefix=prefix,
        secret_hash=hashlib.sha256(secret.encode()).hexdigest(), scopes=scopes,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    audit_record(organization=organization, actor=created_by, action=audit.API_KEY_CREATED,
                 target=key, details={"prefix": prefix, "scopes": scopes})
    return key, f"{prefix}.{secret}"


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor=None) -> ApiKey:
    """Revoke a key; idempotent (a revoked key keeps its first revocation time)."""
    updated = ApiKey.all_orgs.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    key.refresh_from_db(fields=["revoked_at"])
    if updated:
        audit_record(organization=key.organization, actor=actor, action=audit.API_KEY_REVOKED,
                     target=key, details={"prefix": key.prefix})
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Record use, at most once per resolution window, so each request does not write."""
    now = timezone.now()
    window = timedelta(seconds=settings.API_KEY_LAST_USED_RESOLUTION_SECONDS)
    if key.last_used_at is None or now - key.last_used_at > window:
        ApiKey.all_orgs.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
