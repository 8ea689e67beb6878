"""Settings → Departments, through the pages (CX managers may manage them)."""

import pytest
from django.urls import reverse

from cem.models import Department, Membership
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant):
    return session_client(tenant.users["manager"])


def test_tree_lists_departments_with_members_and_default(tenant, manager):
    page = manager.get(reverse("settings-departments")).content.decode()
    for name in ("物流部", "客服中心", "质量部"):
        assert f'data-department="{name}"' in page
    assert "默认" in page and "BETA" not in page


def test_create_a_sub_department_with_a_lead(tenant, manager):
    logistics = tenant.departments["物流部"]
    form = manager.get(reverse("settings-department-add"), {"parent": logistics.pk}).content.decode()
    assert f'<option value="{logistics.pk}" selected>' in form
    response = manager.post(reverse("settings-department-add"), {
        "name": "华南仓", "parent": logistics.pk, "lead": tenant.users["member"].pk})
    assert response.status_code == 302
    created = Department.all_orgs.get(organization=tenant.org, name="华南仓")
    assert (created.parent, created.lead) == (logistics, tenant.users["member"])


def test_duplicate_name_is_refused_in_chinese(tenant, manager):
    response = manager.post(reverse("settings-department-add"), {"name": "质量部"})
    assert response.status_code == 200 and "已有同名部门" in response.content.decode()


def test_edit_cannot_choose_its_own_branch_as_parent(tenant, manager):
    logistics = tenant.departments["物流部"]
    manager.post(reverse("settings-department-add"), {"name": "华南仓", "parent": logistics.pk})
    child = Department.all_orgs.get(organization=tenant.org, name="华南仓")
    url = reverse("settings-department-edit", kwargs={"department_id": logistics.pk})
    form = manager.get(url).content.decode()
    parent_select = form.split('name="parent"')[1].split("</select>")[0]
    assert f'<option value="{child.pk}"' not in parent_select  # not offered
    response = manager.post(url, {"name": "物流部", "parent": child.pk})
    assert response.status_code == 200  # and refused when forced
    assert Department.all_orgs.get(pk=logistics.pk).parent is None


def test_make_another_department_the_default(tenant, manager):
    quality = tenant.departments["质量部"]
    url = reverse("settings-department-edit", kwargs={"department_id": quality.pk})
    assert manager.post(url, {"name": "质量部", "is_default": "on"}).status_code == 302
    assert list(Department.all_orgs.filter(organization=tenant.org, is_default=True)) == [quality]
    # and the old default cannot simply be unticked
    service_center = tenant.departments["客服中心"]
    url = reverse("settings-department-edit", kwargs={"department_id": quality.pk})
    response = manager.post(url, {"name": "质量部"})
    assert response.status_code == 200 and "默认部门" in response.content.decode()
    assert Department.all_orgs.get(pk=service_center.pk).is_default is False


def test_delete_says_what_happens_and_moves_members(tenant, manager):
    logistics = tenant.departments["物流部"]
    url = reverse("settings-department-delete", kwargs={"department_id": logistics.pk})
    page = manager.get(url).content.decode()
    assert "1 名成员将转入下方选择的部门" in page
    refused = manager.post(url, {})
    assert refused.status_code == 200 and "请选择他们要转入的部门" in refused.content.decode()
    assert Department.all_orgs.filter(pk=logistics.pk).exists()
    moved = manager.post(url, {"move_members_to": tenant.departments["质量部"].pk})
    assert moved.status_code == 302
    assert not Department.all_orgs.filter(pk=logistics.pk).exists()
    member = Membership.all_orgs.get(organization=tenant.org, user=tenant.users["member"])
    assert member.department.name == "质量部"


def test_the_default_department_cannot_be_deleted(tenant, manager):
    url = reverse("settings-department-delete",
                  kwargs={"department_id": tenant.departments["客服中心"].pk})
    assert "这是默认部门" in manager.get(url).content.decode()
    assert manager.post(url, {}).status_code == 200
    assert Department.all_orgs.filter(pk=tenant.departments["客服中心"].pk).exists()


def test_another_tenants_department_is_a_404(tenant, other_tenant, manager):
    theirs = other_tenant.departments["marked"]
    for name in ("settings-department-edit", "settings-department-delete"):
        url = reverse(name, kwargs={"department_id": theirs.pk})
        assert manager.get(url).status_code == 404
        assert manager.post(url, {"name": "hacked"}).status_code == 404
    assert Department.all_orgs.get(pk=theirs.pk).name == "BETA乙-秘密部门"
    response = manager.post(reverse("settings-department-add"), {"name": "x", "parent": theirs.pk})
    assert response.status_code == 200 and not Department.all_orgs.filter(name="x").exists()
