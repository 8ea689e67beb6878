"""Membership services: add an existing user, create a login, change role, remove; never the
last administrator; every change is in the audit history."""

import pytest

from cem import services
from cem.errors import ApplicationError
from cem.models import AuditEvent, Department, Membership

pytestmark = pytest.mark.django_db

ADMIN, VIEWER, MEMBER = Membership.Role.ADMIN, Membership.Role.VIEWER, Membership.Role.DEPARTMENT_MEMBER


def _membership(tenant, label):
    return Membership.all_orgs.get(organization=tenant.org, user=tenant.users[label])


def test_add_an_existing_user_of_another_organization(tenant, other_tenant):
    actor = tenant.users["admin"]
    added = services.member_add(organization=tenant.org, actor=actor, username="beta-viewer",
                                role=VIEWER)
    assert added.organization_id == tenant.org.pk and added.user == other_tenant.users["viewer"]
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="member.added",
                                    target_label="beta-viewer")
    assert event.actor == actor and event.actor_label == "alpha-admin"
    assert event.details == {"role": "viewer", "department": None}
    assert not AuditEvent.all_orgs.filter(organization=other_tenant.org, action="member.added",
                                          actor=actor).exists()


def test_add_refuses_unknown_users_and_existing_members(tenant):
    actor = tenant.users["admin"]
    with pytest.raises(ApplicationError, match="No user with this username") as exc:
        services.member_add(organization=tenant.org, actor=actor, username="nobody", role=VIEWER)
    assert exc.value.field == "username"
    with pytest.raises(ApplicationError, match="already a member") as exc:
        services.member_add(organization=tenant.org, actor=actor, username="alpha-viewer",
                            role=VIEWER)
    assert exc.value.params == {"username": "alpha-viewer"}


def test_create_a_login_with_a_password(tenant):
    membership = services.member_create_user(
        organization=tenant.org, actor=tenant.users["admin"], username="zhang.san",
        password="长城-Passw0rd-2026", email="zs@example.cn", role=MEMBER,
        department=tenant.departments["质量部"])
    assert membership.user.check_password("长城-Passw0rd-2026")
    assert membership.department.name == "质量部"
    actions = list(AuditEvent.all_orgs.filter(organization=tenant.org, target_label="zhang.san")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["member.added", "user.created"]


@pytest.mark.parametrize(("username", "password", "field"), [
    ("alpha-viewer", "长城-Passw0rd-2026", "username"),   # taken
    ("bad name!", "长城-Passw0rd-2026", "username"),       # invalid characters
    ("", "长城-Passw0rd-2026", "username"),
    ("li.si", "123", "password"),                          # Django's validators
    ("li.si", "password", "password"),
])
def test_create_validates_username_and_password(tenant, username, password, field):
    with pytest.raises(ApplicationError) as exc:
        services.member_create_user(organization=tenant.org, actor=None, username=username,
                                    password=password, role=VIEWER)
    assert exc.value.field == field
    assert not Membership.all_orgs.filter(organization=tenant.org, user__username="li.si").exists()


def test_department_member_needs_a_department_of_this_organization(tenant, other_tenant):
    viewer = _membership(tenant, "viewer")
    with pytest.raises(ApplicationError, match="needs a department"):
        services.member_update(membership=viewer, role=MEMBER, department=None, actor=None)
    with pytest.raises(ApplicationError, match="does not belong"):
        services.member_update(membership=viewer, role=MEMBER, actor=None,
                               department=other_tenant.departments["物流部"])
    with pytest.raises(ApplicationError, match="Unknown role"):
        services.member_update(membership=viewer, role="owner", department=None, actor=None)


def test_role_change_is_audited_with_before_and_after(tenant):
    viewer = _membership(tenant, "viewer")
    services.member_update(membership=viewer, role=MEMBER, department=tenant.departments["质量部"],
                           actor=tenant.users["admin"])
    event = AuditEvent.all_orgs.filter(organization=tenant.org, action="member.changed").get()
    assert event.details == {"role": {"from": "viewer", "to": "department_member"},
                             "department": {"from": None, "to": "质量部"}}
    # saving the same values again records nothing
    services.member_update(membership=viewer, role=MEMBER, department=tenant.departments["质量部"],
                           actor=tenant.users["admin"])
    assert AuditEvent.all_orgs.filter(organization=tenant.org, action="member.changed").count() == 1


def test_the_last_admin_can_be_neither_demoted_nor_removed(tenant):
    admin = _membership(tenant, "admin")
    with pytest.raises(ApplicationError, match="last administrator"):
        services.member_update(membership=admin, role=VIEWER, department=None, actor=None)
    with pytest.raises(ApplicationError, match="last administrator"):
        services.member_remove(membership=admin, actor=None)
    services.member_update(membership=_membership(tenant, "manager"), role=ADMIN, department=None,
                           actor=None)
    services.member_update(membership=admin, role=VIEWER, department=None, actor=None)
    assert _membership(tenant, "admin").role == VIEWER


def test_a_stale_instance_cannot_demote_the_last_admin(tenant):
    """Two admins, each demoted through an instance loaded before the other's demotion."""
    second = services.membership_set(organization=tenant.org, user=tenant.users["manager"],
                                     role=ADMIN)
    first = _membership(tenant, "admin")
    services.member_update(membership=first, role=VIEWER, department=None, actor=None)
    second.role = ADMIN  # stale view: still believes there are two admins
    with pytest.raises(ApplicationError, match="last administrator"):
        services.member_update(membership=second, role=VIEWER, department=None, actor=None)


def test_remove_clears_the_departments_the_user_led(tenant):
    member = _membership(tenant, "member")
    logistics = tenant.departments["物流部"]
    services.department_update(department=logistics, actor=None, name=logistics.name, parent=None,
                               lead=tenant.users["member"])
    services.member_remove(membership=member, actor=tenant.users["admin"])
    assert not Membership.all_orgs.filter(pk=member.pk).exists()
    assert Department.all_orgs.get(pk=logistics.pk).lead is None
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="member.removed")
    assert event.details == {"role": "department_member", "no_longer_leads": ["物流部"]}
    tenant.users["member"].refresh_from_db()  # the login itself stays


def test_membership_set_is_idempotent(tenant):
    before = AuditEvent.all_orgs.filter(organization=tenant.org).count()
    services.membership_set(organization=tenant.org, user=tenant.users["viewer"], role=VIEWER)
    assert AuditEvent.all_orgs.filter(organization=tenant.org).count() == before
