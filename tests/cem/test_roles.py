"""Role × endpoint matrix (ACCEPTANCE T6): only the allowed cells succeed."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import session_client

pytestmark = pytest.mark.django_db

# (route, method, body) → roles allowed
MATRIX = [
    ("api-organization", "get", None, {"admin", "manager", "member", "viewer"}),
    ("api-departments", "get", None, {"admin", "manager", "member", "viewer"}),
    ("api-departments", "post", {"name": "新部门{role}"}, {"admin", "manager"}),
    ("api-keys", "get", None, {"admin"}),
    ("api-keys", "post", {"name": "k", "scopes": ["feedback:read"]}, {"admin"}),
]


@pytest.mark.parametrize("role", ["admin", "manager", "member", "viewer"])
def test_role_matrix(tenant, role):
    client = session_client(tenant.users[role])
    for name, method, body, allowed in MATRIX:
        if body:
            body = {k: v.format(role=role) if isinstance(v, str) else v for k, v in body.items()}
        response = getattr(client, method)(reverse(name), body, format="json")
        if role in allowed:
            assert response.status_code in (200, 201), (name, method, role, response.content)
        else:
            assert response.status_code == 403, (name, method, role, response.status_code)


def test_partner_key_cannot_open_dashboard_pages(tenant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {tenant.raw_key}")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_user_without_membership_sees_the_no_organization_page(db):
    from cem import services

    user = services.user_get_or_create(username="loner", password="x-very-long-password")
    client = session_client(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("no-organization")
    assert client.get(reverse("api-organization")).status_code == 403
