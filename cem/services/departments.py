"""Writes of departments: the tree (create, rename, move), lead, default, delete."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from cem import audit, selectors
from cem.errors import ApplicationError
from cem.models import Department, Membership, Organization
from cem.services.audit import audit_record

ERR_DEPARTMENT_OTHER_ORG = gettext_noop("The department does not belong to this organization.")
ERR_DEPARTMENT_NAME_TAKEN = gettext_noop("A department with this name already exists.")
ERR_DEPARTMENT_NAME_REQUIRED = gettext_noop("Give the department a name (up to 100 characters).")
ERR_DEPARTMENT_CYCLE = gettext_noop("A department cannot be its own ancestor.")
ERR_LEAD_NOT_MEMBER = gettext_noop("The lead must be a member of this organization.")
ERR_DEFAULT_REQUIRED = gettext_noop(
    "Tickets nobody routes go to the default department: make another department the default "
    "instead.")
ERR_DELETE_DEFAULT = gettext_noop(
    "This is the default department. Make another department the default before deleting it.")
ERR_DEPARTMENT_HAS_MEMBERS = gettext_noop(
    "%(count)s members still belong to this department: choose the department they move to.")
ERR_MOVE_TO_SELF = gettext_noop("Members cannot move to the department being deleted.")
ERR_DEPARTMENT_IN_USE = gettext_noop(
    "Other records still need this department (%(what)s): reassign them first.")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ApplicationError(ERR_DEPARTMENT_NAME_REQUIRED, field="name")
    return name


def _check_lead(organization: Organization, lead) -> None:
    if lead is not None and not Membership.all_orgs.filter(organization=organization,
                                                           user=lead).exists():
        raise ApplicationError(ERR_LEAD_NOT_MEMBER, field="lead")


def _check_parent(department: Department | None, organization: Organization,
                  parent: Department | None) -> None:
    """The parent is of the same organization and not the department or one of its children."""
    node = parent
    while node is not None:
        if node.organization_id != organization.pk:
            raise ApplicationError(ERR_DEPARTMENT_OTHER_ORG, field="parent")
        if department is not None and node.pk == department.pk:
            raise ApplicationError(ERR_DEPARTMENT_CYCLE, field="parent")
        node = node.parent


def _name_taken(organization: Organization, name: str, exclude_pk=None) -> bool:
    return (Department.all_orgs.filter(organization=organization, name=name)
            .exclude(pk=exclude_pk).exists())


def _make_default(department: Department) -> None:
    (Department.all_orgs.filter(organization_id=department.organization_id, is_default=True)
     .exclude(pk=department.pk).update(is_default=False))


@transaction.atomic
def department_create(*, organization: Organization, name: str, parent: Department | None = None,
                      lead=None, is_default: bool = False, actor=None) -> Department:
    """Create a department; the parent must be of the same organization, names are unique."""
    name = _clean_name(name)
    _check_parent(None, organization, parent)
    if _name_taken(organization, name):
        raise ApplicationError(ERR_DEPARTMENT_NAME_TAKEN, field="name")
    _check_lead(organization, lead)
    department = Department.all_orgs.create(organization=organization, name=name, parent=parent,
                                            lead=lead, is_default=is_default)
    if is_default:
        _make_default(department)
    audit_record(organization=organization, actor=actor, action=audit.DEPARTMENT_CREATED,
                 target=department, details={"parent": parent.name if parent else None,
                                             "is_default": is_default})
    return department


@transaction.atomic
def department_update(*, department: Department, actor, name: str, parent: Department | None,
                      lead=None, is_default: bool = False) -> Department:
    """Rename, move in the tree, set the lead or make it the default; refuses cycles and a
    tenant without a default department (another one must become the default instead)."""
    organization = department.organization
    name = _clean_name(name)
    _check_parent(department, organization, parent)
    if _name_taken(organization, name, exclude_pk=department.pk):
        raise ApplicationError(ERR_DEPARTMENT_NAME_TAKEN, field="name")
    _check_lead(organization, lead)
    if department.is_default and not is_default:
        raise ApplicationError(ERR_DEFAULT_REQUIRED, field="is_default")
    before = {"name": department.name,
              "parent": department.parent.name if department.parent else None,
              "lead": department.lead.get_username() if department.lead else None,
              "is_default": department.is_default}
    department.name, department.parent, department.lead = name, parent, lead
    department.is_default = is_default
    department.save(update_fields=["name", "parent", "lead", "is_default"])
    if is_default:
        _make_default(department)
    after = {"name": name, "parent": parent.name if parent else None,
             "lead": lead.get_username() if lead else None, "is_default": is_default}
    changes = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    if changes:
        audit_record(organization=organization, actor=actor, action=audit.DEPARTMENT_CHANGED,
                     target=department, details=changes)
    return department


@transaction.atomic
def department_set_parent(*, department: Department, parent: Department | None,
                          actor=None) -> Department:
    """Move a department in the tree; refuses other organizations and cycles."""
    return department_update(department=department, actor=actor, name=department.name,
                             parent=parent, lead=department.lead, is_default=department.is_default)


@transaction.atomic
def department_delete(*, department: Department, actor,
                      move_members_to: Department | None = None) -> None:
    """Delete a department: its members move to `move_members_to` (required when it has any),
    its sub-departments move up to its parent. Refuses the default department and departments
    other records protect (e.g. tickets that must keep a department)."""
    organization = department.organization
    if department.is_default:
        raise ApplicationError(ERR_DELETE_DEFAULT, field="department")
    members = Membership.all_orgs.filter(organization=organization, department=department)
    count = members.count()
    if move_members_to is not None:
        if move_members_to.organization_id != organization.pk:
            raise ApplicationError(ERR_DEPARTMENT_OTHER_ORG, field="move_members_to")
        if move_members_to.pk == department.pk:
            raise ApplicationError(ERR_MOVE_TO_SELF, field="move_members_to")
    elif count:
        raise ApplicationError(ERR_DEPARTMENT_HAS_MEMBERS, field="move_members_to",
                               params={"count": count})
    impact = selectors.department_delete_impact(organization=organization, department=department)
    if impact.blocked_by:
        what = ", ".join(f"{item.count} {item.label}" for item in impact.blocked_by)
        raise ApplicationError(ERR_DEPARTMENT_IN_USE, field="department", params={"what": what})
    if count:
        members.update(department=move_members_to)
    children = list(Department.all_orgs.filter(parent=department).values_list("name", flat=True))
    Department.all_orgs.filter(parent=department).update(parent=department.parent)
    audit_record(organization=organization, actor=actor, action=audit.DEPARTMENT_DELETED,
                 target=department, details={
                     "members_moved_to": move_members_to.name if count else None,
                     "members_moved": count, "children_moved_up": children})
    department.delete()
