"""Reads of the tenancy core. Tenant-owned reads take `organization=` and filter by it."""

from __future__ import annotations

import hashlib
import hmac

from django.db.models import QuerySet

from cem.models import ApiKey, Department, Membership, Organization


def membership_list_for_user(*, user) -> list[Membership]:
    """Every membership of a user, across organizations, oldest first."""
    # tenancy-exempt: a user's memberships span organizations by design (org switcher).
    return list(
        Membership.all_orgs.filter(user=user).select_related("organization", "department")
        .order_by("created_at", "id")
    )


def organization_ids() -> list[int]:
    """Every organization id (for beat jobs that fan out one task per organization)."""
    return list(Organization.objects.order_by("pk").values_list("pk", flat=True))


def organization_get_by_slug(*, slug: str) -> Organization:
    """Raises Organization.DoesNotExist when no such slug."""
    return Organization.objects.get(slug=slug)


def department_list(*, organization: Organization) -> QuerySet[Department]:
    return Department.objects.filter(organization=organization).select_related("parent", "lead")


def department_get(*, organization: Organization, department_id: int) -> Department:
    """Raises Department.DoesNotExist for unknown ids and for other organizations' ids."""
    return department_list(organization=organization).get(pk=department_id)


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return (Membership.objects.filter(organization=organization)
            .select_related("user", "department").order_by("user__username"))


def api_key_list(*, organization: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organization=organization).select_related("created_by")


def api_key_for_raw(*, raw_key: str) -> ApiKey | None:
    """The active key matching `<prefix>.<secret>`, or None; constant-time secret check."""
    prefix, sep, secret = raw_key.strip().partition(".")
    if not sep or not prefix or not secret or len(prefix) > 16:
        return None
    # tenancy-exempt: the key itself is what tells us the organization.
    key = ApiKey.all_orgs.select_related("organization").filter(prefix=prefix).first()
    if key is None or not key.is_active:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return key if hmac.compare_digest(digest, key.secret_hash) else None
