"""Routing: which department gets a ticket, and who owns which topics and touchpoints.

Order: the rule's department, else the touchpoint's owner, else the topic's owner, else the
organization's default department (None when there is none: CX managers then route it).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cem import audit
from cem import services as cem_services
from cem.errors import ApplicationError
from cem.models import Department
from improvement import audit as improvement_audit
from journeys.models import Touchpoint
from voice.models import Topic

ERR_OTHER_ORG = _("The department does not belong to this organization.")
ERR_UNKNOWN_TOPICS = _("Unknown topics: {names}. Create them in the topic taxonomy first.")
ERR_DEFAULT_REQUIRED = _("Tickets nobody routes go to the default department: choose another "
                         "department as the default instead of none.")


def route_department(*, organization, rule=None, touchpoint=None, topic=None) -> Department | None:
    """The department a new ticket goes to (see the module docstring for the order)."""
    for candidate in (getattr(rule, "department", None), getattr(touchpoint, "department", None),
                      getattr(topic, "department", None)):
        if candidate is not None:
            return candidate
    return Department.objects.filter(organization=organization, is_default=True).first()


def _check_department(organization, department: Department | None) -> None:
    if department is not None and department.organization_id != organization.pk:
        raise ApplicationError(ERR_OTHER_ORG, field="department")


def _set_owner(organization, model, item, department: Department | None, actor):
    """Move `item` (a topic or touchpoint) to `department`; audited when the owner changes."""
    _check_department(organization, department)
    current = (model.objects.select_for_update(of=("self",)).select_related("department")
               .get(organization=organization, pk=item.pk))
    item.department = department
    if current.department_id == getattr(department, "pk", None):
        return item
    model.objects.filter(organization=organization, pk=item.pk).update(department=department)
    cem_services.audit_record(
        organization=organization, actor=actor, action=improvement_audit.OWNER_CHANGED,
        target=current, details={"department": {"from": getattr(current.department, "name", None),
                                                "to": getattr(department, "name", None)}})
    return item


@transaction.atomic
def topic_set_owner(*, organization, topic: Topic, department: Department | None,
                    actor=None) -> Topic:
    """Give a topic to a department (None: nobody owns it); audited with `actor`."""
    return _set_owner(organization, Topic, topic, department, actor)


@transaction.atomic
def touchpoint_set_owner(*, organization, touchpoint: Touchpoint,
                         department: Department | None, actor=None) -> Touchpoint:
    """Give a touchpoint to a department (None: nobody owns it); audited with `actor`."""
    return _set_owner(organization, Touchpoint, touchpoint, department, actor)


@transaction.atomic
def department_set_default(*, organization, department: Department | None, actor=None) -> None:
    """Make `department` the one that gets unrouted tickets; audited with `actor` (a user or None).

    None is refused while a default exists (raises ApplicationError): an organization keeps its
    default department, as `cem.services.department_update` and `department_delete` ensure; it
    only changes nothing for an organization that has none yet.
    """
    _check_department(organization, department)
    current = list(Department.objects.select_for_update().filter(organization=organization,
                                                                 is_default=True))
    if department is None:
        if current:
            raise ApplicationError(ERR_DEFAULT_REQUIRED, field="default_department")
        return
    if [d.pk for d in current] == [department.pk]:
        return
    Department.objects.filter(organization=organization, is_default=True).exclude(
        pk=department.pk).update(is_default=False)
    Department.objects.filter(organization=organization, pk=department.pk).update(is_default=True)
    department.is_default = True
    cem_services.audit_record(
        organization=organization, actor=actor, action=audit.DEPARTMENT_CHANGED, target=department,
        details={"is_default": {"from": False, "to": True},
                 "previous_default": ", ".join(d.name for d in current) or None})


@transaction.atomic
def department_create_with_topics(*, organization, name: str, parent: Department | None = None,
                                  is_default: bool = False, topics: list[str] | None = None,
                                  actor=None) -> Department:
    """Create a department that owns `topics` (names in the taxonomy; moved from their owner).
    The audit event names `actor` (the user; None for a partner key or a command)."""
    names = list(dict.fromkeys(n.strip() for n in topics or [] if n.strip()))
    found = {t.name: t for t in Topic.objects.filter(organization=organization, name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise ApplicationError(ERR_UNKNOWN_TOPICS.format(names="、".join(missing)), field="topics")
    department = cem_services.department_create(organization=organization, name=name, parent=parent,
                                                is_default=is_default, actor=actor)
    for topic in found.values():
        _set_owner(organization, Topic, topic, department, actor)
    return department
