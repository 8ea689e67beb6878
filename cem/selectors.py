"""Reads of the tenancy core. Tenant-owned reads take `organization=` and filter by it."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection, router
from django.db.models import Count, Q, QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from cem import rawsql
from cem.models import ApiKey, AuditEvent, Department, Membership, Organization


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


def department_tree(*, organization: Organization) -> list[tuple[Department, int]]:
    """Every department as (department, depth), parents before their children, siblings by name;
    each carries `member_count`. Two queries whatever the size of the tree."""
    departments = list(department_list(organization=organization)
                       .annotate(member_count=Count("memberships")).order_by("name"))
    children: dict[int | None, list[Department]] = {}
    known = {d.pk for d in departments}
    for department in departments:
        parent_id = department.parent_id if department.parent_id in known else None
        children.setdefault(parent_id, []).append(department)
    ordered: list[tuple[Department, int]] = []
    stack = [(d, 0) for d in reversed(children.get(None, []))]
    while stack:
        department, depth = stack.pop()
        ordered.append((department, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(department.pk, [])))
    return ordered


def department_get(*, organization: Organization, department_id: int) -> Department:
    """Raises Department.DoesNotExist for unknown ids and for other organizations' ids."""
    return department_list(organization=organization).get(pk=department_id)


def membership_list(*, organization: Organization, filters: dict | None = None
                    ) -> QuerySet[Membership]:
    """Members by username; filters: `role`, `department` (id), `q` (username, name or email)."""
    filters = filters or {}
    members = (Membership.objects.filter(organization=organization)
               .select_related("user", "department").order_by("user__username"))
    if filters.get("role"):
        members = members.filter(role=filters["role"])
    if filters.get("department"):
        members = members.filter(department_id=filters["department"])
    if filters.get("q"):
        q = filters["q"]
        members = members.filter(Q(user__username__icontains=q) | Q(user__email__icontains=q)
                                 | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q))
    return members


def membership_get(*, organization: Organization, membership_id: int) -> Membership:
    """Raises Membership.DoesNotExist for unknown ids and for other organizations' ids."""
    return membership_list(organization=organization).get(pk=membership_id)


def membership_admin_count(*, organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN).count()


def api_key_list(*, organization: Organization, status: str = "") -> QuerySet[ApiKey]:
    """Keys, newest first; `status` "active" or "revoked" narrows the list."""
    keys = ApiKey.objects.filter(organization=organization).select_related("created_by")
    if status == "active":
        keys = keys.filter(revoked_at__isnull=True)
    elif status == "revoked":
        keys = keys.filter(revoked_at__isnull=False)
    return keys


def api_key_get(*, organization: Organization, key_id: int) -> ApiKey:
    """Raises ApiKey.DoesNotExist for unknown ids and for other organizations' ids."""
    return api_key_list(organization=organization).get(pk=key_id)


def _api_key_with_organization(prefix: str) -> ApiKey | None:
    """`ApiKey.all_orgs.select_related("organization").filter(prefix=…).first()` in plain SQL.

    NOTE: every partner request authenticates; the ORM's compile of this query was a third of
    a single POST's CPU (bench/ingest_http.py).
    """
    key_cols, key_fields = rawsql.columns(ApiKey, "k")
    org_cols, _org_fields = rawsql.columns(Organization, "o")
    # tenancy-exempt: the key itself is what tells us the organization.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key_cols}, {org_cols} FROM {rawsql.quote(ApiKey._meta.db_table)} AS k "  # noqa: S608
            f"JOIN {rawsql.quote(Organization._meta.db_table)} AS o ON o.id = k.organization_id "
            f"WHERE k.prefix = %s", [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    key = rawsql.instance(ApiKey, row[:len(key_fields)])
    key.organization = rawsql.instance(Organization, row[len(key_fields):])
    return key


def api_key_for_raw(*, raw_key: str) -> ApiKey | None:
    """The active key matching `<prefix>.<secret>`, or None; constant-time secret check."""
    prefix, sep, secret = raw_key.strip().partition(".")
    if not sep or not prefix or not secret or len(prefix) > 16:
        return None
    key = _api_key_with_organization(prefix)
    if key is None or not key.is_active:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return key if hmac.compare_digest(digest, key.secret_hash) else None


@dataclass(frozen=True)
class ImpactItem:
    label: str
    count: int


@dataclass
class DeleteImpact:
    """What deleting a department does to other records (members and sub-departments aside)."""

    members: int = 0
    children: list[str] = field(default_factory=list)
    deleted: list[ImpactItem] = field(default_factory=list)
    cleared: list[ImpactItem] = field(default_factory=list)
    blocked_by: list[ImpactItem] = field(default_factory=list)


def _items(counts: dict[str, int]) -> list[ImpactItem]:
    return [ImpactItem(label, n) for label, n in sorted(counts.items()) if n]


def department_delete_impact(*, organization: Organization, department: Department) -> DeleteImpact:
    """Walk the delete collector (deletes nothing): rows deleted with the department, rows
    whose link is cleared (SET_NULL), and rows that forbid the deletion (PROTECT/RESTRICT)."""
    impact = DeleteImpact(
        members=Membership.objects.filter(organization=organization, department=department).count(),
        children=list(Department.objects.filter(organization=organization, parent=department)
                      .order_by("name").values_list("name", flat=True)),
    )
    handled = {Department, Membership}
    collector = Collector(using=router.db_for_write(Department))
    try:
        collector.collect([department])
    except (ProtectedError, RestrictedError) as exc:
        objs = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        counts: dict[str, int] = {}
        for obj in objs:
            label = str(obj._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + 1
        impact.blocked_by = _items(counts)
        return impact
    deleted = {str(m._meta.verbose_name_plural): len(rows) for m, rows in collector.data.items()
               if m not in handled}
    for qs in collector.fast_deletes:
        if qs.model not in handled:
            label = str(qs.model._meta.verbose_name_plural)
            deleted[label] = deleted.get(label, 0) + qs.count()
    cleared: dict[str, int] = {}
    for (fld, _value), groups in collector.field_updates.items():
        if fld.model in handled:
            continue
        label = str(fld.model._meta.verbose_name_plural)
        cleared[label] = cleared.get(label, 0) + sum(
            g.count() if isinstance(g, QuerySet) else len(g) for g in groups)
    impact.deleted, impact.cleared = _items(deleted), _items(cleared)
    return impact


def audit_event_list(*, organization: Organization, filters: dict | None = None
                     ) -> QuerySet[AuditEvent]:
    """Newest first; filters: `action`, `actor` (username), `start`/`end` (dates, inclusive,
    in the organization's time zone), `q` (text in the target)."""
    filters = filters or {}
    events = AuditEvent.objects.filter(organization=organization)
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor_label=filters["actor"])
    tz = organization.tzinfo
    if isinstance(filters.get("start"), date):
        events = events.filter(at__gte=datetime.combine(filters["start"], time.min, tzinfo=tz))
    if isinstance(filters.get("end"), date):
        events = events.filter(at__lte=datetime.combine(filters["end"], time.max, tzinfo=tz))
    if filters.get("q"):
        events = events.filter(target_label__icontains=filters["q"])
    return events


def audit_event_actors(*, organization: Organization) -> list[str]:
    """The usernames that appear in the audit history, for the filter."""
    return list(AuditEvent.objects.filter(organization=organization).exclude(actor_label="")
                .order_by("actor_label").values_list("actor_label", flat=True).distinct())
