"""Demo data: the core part of `seed_demo`, and the registry other apps add their steps to.

Apps register `register_seed_step(order, func)` in `AppConfig.ready()`; `seed_demo` runs the
steps in order with the demo organization in scope. Every step must be idempotent.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from cem import services
from cem.models import Department, Membership, Organization

DEMO_SLUG = "demo"
DEMO_NAME = "演示公司"
DEMO_DEPARTMENTS = ("物流部", "客服中心", "质量部", "门店运营部")
DEFAULT_DEPARTMENT = "客服中心"
#: (username, role, department, email)
DEMO_USERS = (
    ("admin", Membership.Role.ADMIN, None, "admin@demo.opencem.local"),
    ("manager", Membership.Role.CX_MANAGER, None, "manager@demo.opencem.local"),
    ("logistics", Membership.Role.DEPARTMENT_MEMBER, "物流部", "logistics@demo.opencem.local"),
    ("viewer", Membership.Role.VIEWER, None, "viewer@demo.opencem.local"),
)

_steps: list[tuple[int, str, Callable[[Organization], None]]] = []


def register_seed_step(order: int, name: str, func: Callable[[Organization], None]) -> None:
    """Add an idempotent demo step; lower `order` runs first (core 0, journeys 10, voice 20 …)."""
    if all(existing[1] != name for existing in _steps):
        _steps.append((order, name, func))


def seed_steps() -> list[tuple[int, str, Callable[[Organization], None]]]:
    return sorted([(0, "core", seed_core), *_steps], key=lambda step: step[0])


@transaction.atomic
def seed_core(org: Organization) -> None:
    """Departments and the four demo logins; re-running changes nothing."""
    departments = {d.name: d for d in Department.all_orgs.filter(organization=org)}
    for name in DEMO_DEPARTMENTS:
        if name not in departments:
            departments[name] = services.department_create(
                organization=org, name=name, is_default=(name == DEFAULT_DEPARTMENT))
    for username, role, department, email in DEMO_USERS:
        user = services.user_get_or_create(username=username, password=settings.DEMO_PASSWORD,
                                           email=email)
        services.membership_set(organization=org, user=user, role=role,
                                department=departments.get(department) if department else None)
    lead = Membership.all_orgs.filter(organization=org, user__username="logistics").first()
    logistics = departments["物流部"]
    if lead and logistics.lead_id is None:
        logistics.lead = lead.user
        logistics.save(update_fields=["lead"])


def demo_organization_get_or_create() -> Organization:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    return org or services.organization_create(slug=DEMO_SLUG, name=DEMO_NAME)
