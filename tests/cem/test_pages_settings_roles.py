"""Role × settings page (ACCEPTANCE T6): admins manage members, keys and the profile; CX managers
departments; members and viewers read nothing of settings; a partner key opens no page."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cem.models import Membership
from tests.conftest import session_client

pytestmark = pytest.mark.django_db

ADMIN_ONLY = {"admin"}
MANAGERS = {"admin", "manager"}


def _kwargs(tenant, name):
    membership = Membership.all_orgs.get(organization=tenant.org, user=tenant.users["viewer"])
    return {
        "settings-member-edit": {"membership_id": membership.pk},
        "settings-member-remove": {"membership_id": membership.pk},
        "settings-department-edit": {"department_id": tenant.departments["质量部"].pk},
        "settings-department-delete": {"department_id": tenant.departments["质量部"].pk},
        "settings-api-key-revoke": {"key_id": tenant.api_key.pk},
    }.get(name, {})


PAGES = {
    "settings-index": MANAGERS,
    "settings-members": ADMIN_ONLY, "settings-member-add": ADMIN_ONLY,
    "settings-member-edit": ADMIN_ONLY, "settings-member-remove": ADMIN_ONLY,
    "settings-departments": MANAGERS, "settings-department-add": MANAGERS,
    "settings-department-edit": MANAGERS, "settings-department-delete": MANAGERS,
    "settings-api-keys": ADMIN_ONLY, "settings-api-key-revoke": ADMIN_ONLY,
    "settings-organization": ADMIN_ONLY, "settings-audit": ADMIN_ONLY,
}


WRITES = {"settings-member-add", "settings-member-edit", "settings-member-remove",
          "settings-department-add", "settings-department-edit", "settings-department-delete",
          "settings-api-keys", "settings-api-key-revoke", "settings-organization"}


@pytest.mark.parametrize("role", ["admin", "manager", "member", "viewer"])
def test_settings_pages_by_role(tenant, role):
    client = session_client(tenant.users[role])
    for name, allowed in PAGES.items():
        url = reverse(name, kwargs=_kwargs(tenant, name))
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (name, role)
        if role not in allowed and name in WRITES:  # a refused write says so plainly
            response = client.post(url, {"name": "x", "role": "admin", "scopes": ["manage"]})
            assert response.status_code == 403, (name, role)
            assert "403" in response.content.decode()


def test_a_partner_key_opens_no_settings_page(tenant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {tenant.raw_key}")
    for name in PAGES:
        response = client.get(reverse(name, kwargs=_kwargs(tenant, name)))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_settings_navigation_matches_the_role(tenant):
    admin = session_client(tenant.users["admin"]).get(reverse("settings-index")).content.decode()
    for name in ("settings-members", "settings-departments", "settings-api-keys",
                 "settings-organization", "settings-audit"):
        assert reverse(name) in admin
    manager = session_client(tenant.users["manager"]).get(reverse("settings-index")).content.decode()
    assert reverse("settings-departments") in manager
    assert reverse("settings-members") not in manager and reverse("settings-api-keys") not in manager
    for role in ("member", "viewer"):
        home = session_client(tenant.users[role]).get(reverse("home")).content.decode()
        assert reverse("settings-index") not in home


def test_refused_page_explains_in_plain_words(tenant):
    response = session_client(tenant.users["viewer"]).get(reverse("settings-members"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "您无法打开这个页面" in body and "只读成员" in body  # says the role, in Chinese
