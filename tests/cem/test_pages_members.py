"""Settings → Members and roles, through the pages."""

import pytest
from django.urls import reverse

from cem.models import AuditEvent, Membership
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return session_client(tenant.users["admin"])


def _membership(tenant, label):
    return Membership.all_orgs.get(organization=tenant.org, user=tenant.users[label])


def test_list_filters_and_paginates(tenant, admin):
    page = admin.get(reverse("settings-members")).content.decode()
    for label in ("admin", "manager", "member", "viewer"):
        assert f'data-username="alpha-{label}"' in page
    assert "beta-admin" not in page
    members = admin.get(reverse("settings-members"), {"role": "department_member"}).content.decode()
    assert 'data-username="alpha-member"' in members and 'data-username="alpha-viewer"' not in members
    none = admin.get(reverse("settings-members"), {"q": "无此人"}).content.decode()
    assert "没有符合筛选条件的成员" in none
    bad = admin.get(reverse("settings-members"), {"department": "999999", "page": "abc"})
    assert bad.status_code == 200  # an unknown filter value is ignored, not an error


def test_add_an_existing_user(tenant, other_tenant, admin):
    response = admin.post(reverse("settings-member-add"), {
        "action": "add", "username": "beta-manager", "role": "department_member",
        "department": tenant.departments["质量部"].pk})
    assert response.status_code == 302 and response["Location"] == reverse("settings-members")
    added = Membership.all_orgs.get(organization=tenant.org, user=other_tenant.users["manager"])
    assert (added.role, added.department.name) == ("department_member", "质量部")
    assert "beta-manager 已成为成员" in admin.get(reverse("settings-members")).content.decode()


def test_add_names_the_problem_in_chinese(tenant, admin):
    response = admin.post(reverse("settings-member-add"), {
        "action": "add", "username": "nobody-here", "role": "viewer"})
    assert response.status_code == 200
    assert "没有这个用户名的账号" in response.content.decode()


def test_a_department_of_another_tenant_is_an_invalid_choice(tenant, other_tenant, admin):
    response = admin.post(reverse("settings-member-add"), {
        "action": "add", "username": "beta-viewer", "role": "department_member",
        "department": other_tenant.departments["marked"].pk})
    assert response.status_code == 200
    assert other_tenant.marker not in response.content.decode()
    assert not Membership.all_orgs.filter(organization=tenant.org,
                                          user=other_tenant.users["viewer"]).exists()


def test_create_a_login(tenant, admin):
    response = admin.post(reverse("settings-member-add"), {
        "action": "create", "new_username": "wang.wu", "email": "ww@example.cn",
        "password": "长城-Passw0rd-2026", "role": "viewer"})
    assert response.status_code == 302
    membership = Membership.all_orgs.get(organization=tenant.org, user__username="wang.wu")
    assert membership.user.check_password("长城-Passw0rd-2026")
    weak = admin.post(reverse("settings-member-add"), {
        "action": "create", "new_username": "zhao.liu", "password": "123", "role": "viewer"})
    assert weak.status_code == 200 and 'id="create-user"' in weak.content.decode()


def test_change_role(tenant, admin):
    viewer = _membership(tenant, "viewer")
    url = reverse("settings-member-edit", kwargs={"membership_id": viewer.pk})
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"role": "cx_manager", "department": ""})
    assert response.status_code == 302
    assert _membership(tenant, "viewer").role == "cx_manager"
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="member.changed")
    assert event.actor == tenant.users["admin"]


def test_last_admin_is_kept_and_the_page_says_why(tenant, admin):
    me = _membership(tenant, "admin")
    response = admin.post(reverse("settings-member-edit", kwargs={"membership_id": me.pk}),
                          {"role": "viewer"})
    assert response.status_code == 200 and "最后一位管理员" in response.content.decode()
    page = admin.get(reverse("settings-member-remove", kwargs={"membership_id": me.pk}))
    assert "最后一位管理员" in page.content.decode() and "<button" not in page.content.decode().split(
        'class="settings-main"')[1]
    assert admin.post(reverse("settings-member-remove", kwargs={"membership_id": me.pk})).status_code == 200
    assert _membership(tenant, "admin").role == "admin"


def test_remove_a_member(tenant, admin):
    member = _membership(tenant, "member")
    url = reverse("settings-member-remove", kwargs={"membership_id": member.pk})
    assert "alpha-member" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 302
    assert not Membership.all_orgs.filter(pk=member.pk).exists()
    assert admin.get(url).status_code == 404
    removed = session_client(tenant.users["member"]).get(reverse("home"))
    assert removed["Location"] == reverse("no-organization")


def test_another_tenants_member_is_a_404(tenant, other_tenant, admin):
    theirs = _membership(other_tenant, "viewer")
    for name in ("settings-member-edit", "settings-member-remove"):
        url = reverse(name, kwargs={"membership_id": theirs.pk})
        assert admin.get(url).status_code == 404
        assert admin.post(url, {"role": "admin"}).status_code == 404
    assert _membership(other_tenant, "viewer").role == "viewer"
