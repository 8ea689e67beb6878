"""Department services: tree moves, lead, default, and deletion that says what happens."""

import pytest

from cem import selectors, services
from cem.errors import ApplicationError
from cem.models import AuditEvent, Department, Membership

pytestmark = pytest.mark.django_db


def _update(department, **changes):
    values = {"name": department.name, "parent": department.parent, "lead": department.lead,
              "is_default": department.is_default, **changes}
    return services.department_update(department=department, actor=None, **values)


def test_rename_move_and_lead(tenant):
    logistics, quality = tenant.departments["物流部"], tenant.departments["质量部"]
    _update(logistics, name="物流与仓储部", parent=quality, lead=tenant.users["member"])
    logistics.refresh_from_db()
    assert (logistics.name, logistics.parent, logistics.lead) == (
        "物流与仓储部", quality, tenant.users["member"])
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="department.changed")
    assert event.details["name"] == {"from": "物流部", "to": "物流与仓储部"}
    assert event.details["parent"] == {"from": None, "to": "质量部"}
    assert event.details["lead"] == {"from": None, "to": "alpha-member"}


def test_update_refuses_cycles_duplicates_and_outsiders(tenant, other_tenant):
    logistics = tenant.departments["物流部"]
    child = services.department_create(organization=tenant.org, name="华南仓", parent=logistics)
    with pytest.raises(ApplicationError, match="own ancestor"):
        _update(logistics, parent=child)
    with pytest.raises(ApplicationError, match="own ancestor"):
        _update(logistics, parent=logistics)
    with pytest.raises(ApplicationError, match="already exists"):
        _update(child, name="质量部")
    with pytest.raises(ApplicationError, match="does not belong"):
        _update(child, parent=other_tenant.departments["物流部"])
    with pytest.raises(ApplicationError, match="lead must be a member"):
        _update(child, lead=other_tenant.users["admin"])
    with pytest.raises(ApplicationError, match="a name"):
        _update(child, name="   ")


def test_one_default_and_never_none(tenant):
    service_center, quality = tenant.departments["客服中心"], tenant.departments["质量部"]
    with pytest.raises(ApplicationError, match="make another department the default"):
        _update(service_center, is_default=False)
    _update(quality, is_default=True)
    assert list(Department.all_orgs.filter(organization=tenant.org, is_default=True)) == [quality]


def test_delete_moves_members_and_children(tenant):
    logistics = tenant.departments["物流部"]
    child = services.department_create(organization=tenant.org, name="华南仓", parent=logistics)
    with pytest.raises(ApplicationError, match="1 members still belong") as exc:
        services.department_delete(department=logistics, actor=None)
    assert exc.value.field == "move_members_to"
    with pytest.raises(ApplicationError, match="being deleted"):
        services.department_delete(department=logistics, actor=None, move_members_to=logistics)
    with tenant.scope():
        services.department_delete(department=logistics, actor=tenant.users["manager"],
                                   move_members_to=tenant.departments["质量部"])
    member = Membership.all_orgs.get(organization=tenant.org, user=tenant.users["member"])
    assert member.department.name == "质量部"
    child.refresh_from_db()
    assert child.parent is None
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="department.deleted")
    assert event.details == {"members_moved_to": "质量部", "members_moved": 1,
                             "children_moved_up": ["华南仓"]}
    assert event.actor_label == "alpha-manager"


def test_delete_refuses_the_default_and_other_tenants_targets(tenant, other_tenant):
    with pytest.raises(ApplicationError, match="default department"):
        services.department_delete(department=tenant.departments["客服中心"], actor=None)
    with pytest.raises(ApplicationError, match="does not belong"):
        services.department_delete(department=tenant.departments["物流部"], actor=None,
                                   move_members_to=other_tenant.departments["质量部"])


def test_delete_impact_lists_members_and_children(tenant):
    logistics = tenant.departments["物流部"]
    services.department_create(organization=tenant.org, name="华北仓", parent=logistics)
    with tenant.scope():
        impact = selectors.department_delete_impact(organization=tenant.org, department=logistics)
    assert impact.members == 1 and impact.children == ["华北仓"]
    assert impact.blocked_by == [] and impact.deleted == []


def test_tree_puts_children_under_their_parent(tenant):
    logistics = tenant.departments["物流部"]
    services.department_create(organization=tenant.org, name="华南仓", parent=logistics)
    with tenant.scope():
        tree = [(d.name, depth) for d, depth in selectors.department_tree(organization=tenant.org)]
    index = tree.index(("物流部", 0))
    assert tree[index + 1] == ("华南仓", 1)
    assert {name for name, _depth in tree} >= {"客服中心", "质量部", "ALPHA甲-秘密部门"}


def test_delete_impact_counts_records_that_lose_the_department(tenant):
    from journeys.models import Journey, Stage, Touchpoint

    logistics = tenant.departments["物流部"]
    journey = Journey.all_orgs.create(organization=tenant.org, name="网购")
    stage = Stage.all_orgs.create(organization=tenant.org, journey=journey, name="配送")
    for key in ("delivery", "pickup"):
        Touchpoint.all_orgs.create(organization=tenant.org, stage=stage, key=key, name=key,
                                   department=logistics)
    with tenant.scope():
        impact = selectors.department_delete_impact(organization=tenant.org, department=logistics)
        assert [item.count for item in impact.cleared] == [2]
        assert impact.deleted == [] and impact.blocked_by == []
        services.department_delete(department=logistics, actor=None,
                                   move_members_to=tenant.departments["质量部"])
    assert not Touchpoint.all_orgs.filter(organization=tenant.org, department__isnull=False).exists()
