"""Tenancy core services and the fail-closed manager."""

import pytest

from cem import selectors, services
from cem.errors import ApplicationError
from cem.models import Department, Membership
from cem.tenancy import TenantScopeMissing, org_scope

pytestmark = pytest.mark.django_db


def test_scoped_manager_fails_closed_without_a_scope(tenant):
    with pytest.raises(TenantScopeMissing):
        list(Department.objects.all())


def test_scoped_manager_sees_only_the_organization_in_scope(tenant, other_tenant):
    with org_scope(tenant.org):
        names = set(Department.objects.values_list("name", flat=True))
        assert "ALPHA甲-秘密部门" in names and "BETA乙-秘密部门" not in names
        # an explicit filter for another organization cannot widen the scope
        assert not Department.objects.filter(organization=other_tenant.org).exists()


def test_scopes_nest_and_restore(tenant, other_tenant):
    with org_scope(tenant.org):
        with org_scope(other_tenant.org):
            assert Department.objects.filter(name="BETA乙-秘密部门").exists()
        assert Department.objects.filter(name="ALPHA甲-秘密部门").exists()


def test_department_get_of_other_org_is_does_not_exist(tenant, other_tenant):
    theirs = other_tenant.departments["marked"]
    with org_scope(tenant.org), pytest.raises(Department.DoesNotExist):
        selectors.department_get(organization=tenant.org, department_id=theirs.pk)


def test_department_tree_refuses_cycles_and_other_orgs(tenant, other_tenant):
    logistics = tenant.departments["物流部"]
    child = services.department_create(organization=tenant.org, name="华南仓", parent=logistics)
    with pytest.raises(ApplicationError, match="own ancestor"):
        services.department_set_parent(department=logistics, parent=child)
    with pytest.raises(ApplicationError, match="does not belong"):
        services.department_create(organization=tenant.org, name="x",
                                   parent=other_tenant.departments["物流部"])


def test_only_one_default_department(tenant):
    services.department_create(organization=tenant.org, name="总部", is_default=True)
    defaults = Department.all_orgs.filter(organization=tenant.org, is_default=True)
    assert list(defaults.values_list("name", flat=True)) == ["总部"]


def test_member_needs_a_department_of_the_same_org(tenant, other_tenant):
    user = services.user_get_or_create(username="newbie", password="a-long-password-1")
    with pytest.raises(ApplicationError, match="needs a department"):
        services.membership_set(organization=tenant.org, user=user,
                                role=Membership.Role.DEPARTMENT_MEMBER)
    with pytest.raises(ApplicationError, match="does not belong"):
        services.membership_set(organization=tenant.org, user=user,
                                role=Membership.Role.DEPARTMENT_MEMBER,
                                department=other_tenant.departments["物流部"])


def test_a_user_can_belong_to_several_organizations(tenant, other_tenant):
    user = tenant.users["manager"]
    services.membership_set(organization=other_tenant.org, user=user, role=Membership.Role.VIEWER)
    orgs = [m.organization.slug for m in selectors.membership_list_for_user(user=user)]
    assert orgs == ["alpha", "beta"]


@pytest.mark.parametrize("calendar", [
    {"weekly": {"funday": [["09:00", "18:00"]]}},
    {"weekly": {"mon": [["18:00", "09:00"]]}},
    {"weekly": {"mon": [["9:00", "18:00"]]}},
    {"weekly": {"mon": "09:00-18:00"}},
    {"weekly": {"mon": [["09:00", "18:00"]]}, "holidays": "2026-10-01"},
])
def test_bad_business_hours_are_refused(calendar):
    with pytest.raises(ApplicationError):
        services.validate_business_hours(calendar)


def test_business_hours_are_stored(db):
    calendar = {"weekly": {"mon": [["09:00", "12:00"], ["13:00", "18:00"]]},
                "holidays": ["2026-10-01"]}
    org = services.organization_create(slug="cal", name="日历公司", business_hours=calendar)
    assert org.business_hours == calendar


def test_slug_and_timezone_are_validated(tenant):
    with pytest.raises(ApplicationError, match="slug"):
        services.organization_create(slug="alpha", name="重复")
    with pytest.raises(ApplicationError, match="time zone"):
        services.organization_create(slug="tz", name="时区", tz="Mars/Olympus")
