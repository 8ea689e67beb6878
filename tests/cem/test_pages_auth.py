"""Browser login, logout, password change, organization switch, language switch."""

import pytest
from django.urls import reverse

from cem import services
from cem.models import Membership
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


def test_login_page_then_home(client, tenant):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = client.post(reverse("login"), {"username": "alpha-manager",
                                              "password": "opencem-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert tenant.org.name in home.content.decode()


def test_wrong_password_shows_an_error(client, tenant):
    response = client.post(reverse("login"), {"username": "alpha-manager", "password": "nope"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "class=\"error\"" in response.content.decode()


def test_logout_ends_the_session(tenant):
    client = session_client(tenant.users["manager"])
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(tenant):
    client = session_client(tenant.users["viewer"])
    response = client.post(reverse("password_change"), {
        "old_password": "opencem-demo", "new_password1": "新的-Passw0rd-2026",
        "new_password2": "新的-Passw0rd-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    tenant.users["viewer"].refresh_from_db()
    assert tenant.users["viewer"].check_password("新的-Passw0rd-2026")


def test_switch_between_own_organizations(tenant, other_tenant):
    user = tenant.users["manager"]
    services.membership_set(organization=other_tenant.org, user=user, role=Membership.Role.VIEWER)
    client = session_client(user)
    assert client.get(reverse("api-organization")).json()["slug"] == "alpha"
    assert other_tenant.org.name in client.get(reverse("home")).content.decode()  # switcher lists it
    response = client.post(reverse("org-switch"), {"organization": other_tenant.org.pk,
                                                   "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("api-organization")).json()["slug"] == "beta"


def test_revoked_membership_takes_effect_at_once(tenant):
    client = session_client(tenant.users["viewer"])
    assert client.get(reverse("home")).status_code == 200
    Membership.all_orgs.filter(user=tenant.users["viewer"]).delete()
    assert client.get(reverse("home"))["Location"] == reverse("no-organization")


def test_english_is_switchable(tenant):
    client = session_client(tenant.users["manager"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("home")).content.decode()
