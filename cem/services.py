"""Writes of the tenancy core: organizations, departments, memberships, API keys."""

from __future__ import annotations

import hashlib
import re
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cem import events
from cem.errors import ApplicationError
from cem.models import ApiKey, Department, Membership, Organization

ERR_SLUG_TAKEN = "An organization with this slug already exists."
ERR_BAD_TIMEZONE = "Unknown time zone."
ERR_DEPARTMENT_OTHER_ORG = "The department does not belong to this organization."
ERR_MEMBER_NEEDS_DEPARTMENT = "A department member needs a department."
ERR_UNKNOWN_SCOPE = "Unknown scope: {scope}."
ERR_NO_SCOPES = "Give the key at least one scope."
ERR_DEPARTMENT_NAME_TAKEN = "A department with this name already exists."
ERR_DEPARTMENT_CYCLE = "A department cannot be its own ancestor."
ERR_BUSINESS_HOURS = "Business hours must map weekdays (mon…sun) to lists of [\"HH:MM\", \"HH:MM\"]."

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_business_hours(value: dict) -> dict:
    """Check a calendar `{"weekly": {"mon": [["09:00","18:00"]]}, "holidays": [...]}`; {} = none."""
    if not value:
        return {}
    weekly = value.get("weekly") if isinstance(value, dict) else None
    if not isinstance(weekly, dict) or set(weekly) - set(WEEKDAYS):
        raise ApplicationError(ERR_BUSINESS_HOURS, field="business_hours")
    for spans in weekly.values():
        for span in spans if isinstance(spans, list) else [None]:
            ok = (isinstance(span, list) and len(span) == 2 and all(
                isinstance(t, str) and _HHMM.match(t) for t in span) and span[0] < span[1])
            if not ok:
                raise ApplicationError(ERR_BUSINESS_HOURS, field="business_hours")
    holidays = value.get("holidays", [])
    if not isinstance(holidays, list) or not all(isinstance(d, str) for d in holidays):
        raise ApplicationError(ERR_BUSINESS_HOURS, field="business_hours")
    return {"weekly": weekly, "holidays": holidays}


@transaction.atomic
def organization_create(*, slug: str, name: str, tz: str = "Asia/Shanghai",
                        business_hours: dict | None = None, admin_user=None) -> Organization:
    """Create a tenant (and its admin membership); announces `organization.created`."""
    if Organization.objects.filter(slug=slug).exists():
        raise ApplicationError(ERR_SLUG_TAKEN, field="slug")
    if tz not in zoneinfo.available_timezones():
        raise ApplicationError(ERR_BAD_TIMEZONE, field="timezone")
    org = Organization.objects.create(
        slug=slug, name=name, timezone=tz,
        business_hours=validate_business_hours(business_hours or {}),
    )
    if admin_user is not None:
        membership_set(organization=org, user=admin_user, role=Membership.Role.ADMIN)
    events.announce(events.ORGANIZATION_CREATED, organization_id=org.pk)
    return org


def user_get_or_create(*, username: str, password: str | None = None, email: str = ""):
    """A login by username; sets the password only when the user is new."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def department_create(*, organization: Organization, name: str, parent: Department | None = None,
                      lead=None, is_default: bool = False) -> Department:
    """Create a department; the parent must be of the same organization, names are unique."""
    name = name.strip()
    if parent is not None and parent.organization_id != organization.pk:
        raise ApplicationError(ERR_DEPARTMENT_OTHER_ORG, field="parent")
    if Department.all_orgs.filter(organization=organization, name=name).exists():
        raise ApplicationError(ERR_DEPARTMENT_NAME_TAKEN, field="name")
    if is_default:
        Department.all_orgs.filter(organization=organization).update(is_default=False)
    return Department.all_orgs.create(organization=organization, name=name, parent=parent,
                                      lead=lead, is_default=is_default)


@transaction.atomic
def department_set_parent(*, department: Department, parent: Department | None) -> Department:
    """Move a department in the tree; refuses other organizations and cycles."""
    node = parent
    while node is not None:
        if node.organization_id != department.organization_id:
            raise ApplicationError(ERR_DEPARTMENT_OTHER_ORG, field="parent")
        if node.pk == department.pk:
            raise ApplicationError(ERR_DEPARTMENT_CYCLE, field="parent")
        node = node.parent
    department.parent = parent
    department.save(update_fields=["parent"])
    return department


@transaction.atomic
def membership_set(*, organization: Organization, user, role: str,
                   department: Department | None = None) -> Membership:
    """Add a user to an organization or change their role; idempotent per (org, user)."""
    if department is not None and department.organization_id != organization.pk:
        raise ApplicationError(ERR_DEPARTMENT_OTHER_ORG, field="department")
    if role == Membership.Role.DEPARTMENT_MEMBER and department is None:
        raise ApplicationError(ERR_MEMBER_NEEDS_DEPARTMENT, field="department")
    membership, _ = Membership.all_orgs.update_or_create(
        organization=organization, user=user, defaults={"role": role, "department": department},
    )
    return membership


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
    prefix = "ocm" + secrets.token_hex(5)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.all_orgs.create(
        organization=organization, name=name.strip() or prefix, prefix=prefix,
        secret_hash=hashlib.sha256(secret.encode()).hexdigest(), scopes=scopes,
        created_by=created_by,
    )
    return key, f"{prefix}.{secret}"


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoke a key; idempotent (a revoked key keeps its first revocation time)."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Record use, at most once per resolution window, so each request does not write."""
    now = timezone.now()
    window = timedelta(seconds=settings.API_KEY_LAST_USED_RESOLUTION_SECONDS)
    if key.last_used_at is None or now - key.last_used_at > window:
        ApiKey.all_orgs.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
