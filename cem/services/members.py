"""Writes of memberships: add an existing user or create one, change role/department, remove.

Invariant: an organization never loses its last administrator (checked under a row lock on
its admin memberships, so two concurrent demotions cannot both pass).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from cem import audit
from cem.errors import ApplicationError
from cem.models import Department, Membership, Organization
from cem.services.audit import audit_record

ERR_DEPARTMENT_OTHER_ORG = gettext_noop("The department does not belong to this organization.")
ERR_MEMBER_NEEDS_DEPARTMENT = gettext_noop("A department member needs a department.")
ERR_UNKNOWN_ROLE = gettext_noop("Unknown role.")
ERR_NO_SUCH_USER = gettext_noop(
    "No user with this username. Create the account instead (with a password).")
ERR_ALREADY_MEMBER = gettext_noop("%(username)s is already a member of this organization.")
ERR_USERNAME_TAKEN = gettext_noop(
    "This username is taken. To give that person access, add the existing user instead.")
ERR_USERNAME_INVALID = gettext_noop(
    "A username has up to 150 letters, digits and @/./+/-/_ characters.")
ERR_LAST_ADMIN = gettext_noop(
    "This is the organization's last administrator. Make someone else an administrator first.")


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


def _check_role(organization: Organization, role: str, department: Department | None) -> None:
    if role not in Membership.Role.values:
        raise ApplicationError(ERR_UNKNOWN_ROLE, field="role")
    if department is not None and department.organization_id != organization.pk:
        raise ApplicationError(ERR_DEPARTMENT_OTHER_ORG, field="department")
    if role == Membership.Role.DEPARTMENT_MEMBER and department is None:
        raise ApplicationError(ERR_MEMBER_NEEDS_DEPARTMENT, field="department")


@transaction.atomic
def membership_set(*, organization: Organization, user, role: str,
                   department: Department | None = None, actor=None) -> Membership:
    """Add a user to an organization or change their role; idempotent per (org, user).

    Used by commands and the demo; the settings pages use member_add / member_update."""
    _check_role(organization, role, department)
    existing = Membership.all_orgs.filter(organization=organization, user=user).first()
    if existing is not None:
        return member_update(membership=existing, role=role, department=department, actor=actor)
    membership = Membership.all_orgs.create(organization=organization, user=user, role=role,
                                            department=department)
    audit_record(organization=organization, actor=actor, action=audit.MEMBER_ADDED,
                 target=membership, target_label=user.get_username(),
                 details={"role": role, "department": department.name if department else None})
    return membership


@transaction.atomic
def member_add(*, organization: Organization, actor, username: str, role: str,
               department: Department | None = None) -> Membership:
    """Give an existing user (by username) a role in the organization."""
    user = get_user_model().objects.filter(username=(username or "").strip()).first()
    if user is None:
        raise ApplicationError(ERR_NO_SUCH_USER, field="username")
    if Membership.all_orgs.filter(organization=organization, user=user).exists():
        raise ApplicationError(ERR_ALREADY_MEMBER, field="username",
                               params={"username": user.get_username()})
    return membership_set(organization=organization, user=user, role=role,
                          department=department, actor=actor)


@transaction.atomic
def member_create_user(*, organization: Organization, actor, username: str, password: str,
                       role: str, department: Department | None = None,
                       email: str = "") -> Membership:
    """Create a login with a password (Django's password validators apply) and add it."""
    user_model = get_user_model()
    username = (username or "").strip()
    try:
        user_model.username_validator(username)
    except DjangoValidationError:
        raise ApplicationError(ERR_USERNAME_INVALID, field="username")
    if not username or len(username) > 150:
        raise ApplicationError(ERR_USERNAME_INVALID, field="username")
    if user_model.objects.filter(username=username).exists():
        raise ApplicationError(ERR_USERNAME_TAKEN, field="username")
    _check_role(organization, role, department)
    candidate = user_model(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password")
    user = user_get_or_create(username=username, password=password, email=email)
    audit_record(organization=organization, actor=actor, action=audit.USER_CREATED,
                 target_label=username, details={"email": email})
    return membership_set(organization=organization, user=user, role=role,
                          department=department, actor=actor)


def _lock_admins(organization_id: int) -> list[int]:
    """Ids of the organization's admin memberships, locked until the transaction ends."""
    return list(Membership.all_orgs.select_for_update()
                .filter(organization_id=organization_id, role=Membership.Role.ADMIN)
                .order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def member_update(*, membership: Membership, role: str, department: Department | None,
                  actor) -> Membership:
    """Change a member's role and department; refuses to demote the last administrator."""
    organization = membership.organization
    _check_role(organization, role, department)
    membership = (Membership.all_orgs.select_for_update(of=("self",)).select_related("user", "department")
                  .get(pk=membership.pk))
    if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        if _lock_admins(organization.pk) == [membership.pk]:
            raise ApplicationError(ERR_LAST_ADMIN, field="role")
    changes = {}
    if membership.role != role:
        changes["role"] = {"from": membership.role, "to": role}
    if membership.department_id != (department.pk if department else None):
        changes["department"] = {
            "from": membership.department.name if membership.department else None,
            "to": department.name if department else None}
    if changes:
        membership.role, membership.department = role, department
        membership.save(update_fields=["role", "department"])
        audit_record(organization=organization, actor=actor, action=audit.MEMBER_CHANGED,
                     target=membership, target_label=membership.user.get_username(),
                     details=changes)
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor) -> None:
    """Remove a membership (the login stays; it may belong to other organizations).

    Refuses the last administrator; departments this user led lose their lead."""
    organization = membership.organization
    membership = (Membership.all_orgs.select_for_update(of=("self",)).select_related("user")
                  .get(pk=membership.pk))
    if membership.role == Membership.Role.ADMIN and _lock_admins(organization.pk) == [membership.pk]:
        raise ApplicationError(ERR_LAST_ADMIN, field="membership")
    user = membership.user
    led = list(Department.all_orgs.filter(organization=organization, lead=user)
               .values_list("name", flat=True))
    Department.all_orgs.filter(organization=organization, lead=user).update(lead=None)
    audit_record(organization=organization, actor=actor, action=audit.MEMBER_REMOVED,
                 target=membership, target_label=user.get_username(),
                 details={"role": membership.role, "no_longer_leads": led})
    membership.delete()
