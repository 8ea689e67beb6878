"""API keys: 401 for missing/wrong/revoked keys, 403 out of scope, scopes per method (T6)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cem import services
from cem.models import Department

pytestmark = pytest.mark.django_db


def test_missing_key_is_401_with_challenge():
    response = APIClient().get(reverse("api-organization"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("header", ["Api-Key nope", "Api-Key abc.def", "Api-Key a b", "Api-Key "])
def test_wrong_or_malformed_key_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(reverse("api-organization")).status_code == 401


def test_valid_key_resolves_its_organization_and_scopes(tenant, api_client):
    response = api_client(scopes=["metrics:read"]).get(reverse("api-organization"))
    assert response.status_code == 200
    assert response.json() == {
        "id": tenant.org.pk, "slug": "alpha", "name": tenant.org.name, "timezone": "Asia/Shanghai",
        "has_business_hours": False, "scopes": ["metrics:read"],
    }


def test_revoked_key_is_401(tenant):
    key, raw = services.api_key_create(organization=tenant.org, name="x", scopes=["manage"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get(reverse("api-departments")).status_code == 200
    services.api_key_revoke(key=key)
    assert client.get(reverse("api-departments")).status_code == 401


def test_out_of_scope_is_403_and_writes_nothing(tenant, api_client):
    client = api_client(scopes=["feedback:read"])
    response = client.post(reverse("api-departments"), {"name": "新部门"}, format="json")
    assert response.status_code == 403
    with tenant.scope():
        assert not Department.objects.filter(name="新部门").exists()


def test_manage_scope_creates_department_with_parent(tenant, api_client):
    client = api_client(scopes=["manage"])
    parent = tenant.departments["物流部"]
    response = client.post(reverse("api-departments"), {"name": "华东仓配", "parent": parent.pk},
                           format="json")
    assert response.status_code == 201
    assert response.json()["parent"] == {"id": parent.pk, "name": "物流部"}


def test_duplicate_department_name_is_400_naming_the_field(api_client):
    response = api_client(scopes=["manage"]).post(reverse("api-departments"), {"name": "物流部"},
                                                  format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["A department with this name already exists."]}


def test_key_use_is_recorded(tenant):
    key, raw = services.api_key_create(organization=tenant.org, name="x", scopes=["manage"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    client.get(reverse("api-departments"))
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_api_keys_cannot_manage_api_keys(api_client):
    """Key management is for browser admins only: no scope lets a key mint keys."""
    client = api_client()
    assert client.get(reverse("api-keys")).status_code == 403
    assert client.post(reverse("api-keys"), {"name": "k", "scopes": ["manage"]},
                       format="json").status_code == 403


def test_admin_session_creates_key_shown_once_then_revokes(tenant, admin_client_):
    response = admin_client_.post(reverse("api-keys"), {"name": "呼叫中心", "scopes": ["feedback:write"]},
                                  format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["key"].startswith(created["prefix"] + ".")
    listing = admin_client_.get(reverse("api-keys")).json()
    assert all("key" not in item for item in listing)
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Api-Key {created['key']}")
    assert partner.get(reverse("api-organization")).status_code == 200
    revoke = admin_client_.post(reverse("api-key-revoke", kwargs={"key_id": created["id"]}))
    assert revoke.status_code == 200 and revoke.json()["revoked_at"]
    assert partner.get(reverse("api-organization")).status_code == 401


def test_unknown_scope_is_400(admin_client_):
    response = admin_client_.post(reverse("api-keys"), {"name": "k", "scopes": ["root"]}, format="json")
    assert response.status_code == 400
    assert "scopes" in response.json()["errors"]
