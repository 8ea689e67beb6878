"""Settings → API keys: create with scopes (shown once), list with last use, revoke."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cem.models import ApiKey, AuditEvent
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return session_client(tenant.users["admin"])


def test_create_shows_the_key_once_and_it_works(tenant, admin):
    response = admin.post(reverse("settings-api-keys"), {
        "name": "呼叫中心 CRM", "scopes": ["feedback:write", "metrics:read"]})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    key = ApiKey.all_orgs.get(organization=tenant.org, name="呼叫中心 CRM")
    assert key.scopes == ["feedback:write", "metrics:read"] and key.created_by == tenant.users["admin"]
    raw = body.split('id="new-key" class="mono" type="text" readonly value="')[1].split('"')[0]
    assert raw.startswith(key.prefix + ".")
    # shown once: the list never shows it again
    assert raw not in admin.get(reverse("settings-api-keys")).content.decode()
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert partner.get(reverse("api-organization")).status_code == 200
    listed = admin.get(reverse("settings-api-keys")).content.decode()
    row = listed.split(f'data-key="{key.prefix}"')[1].split("</tr>")[0]
    assert "从未" not in row  # last used is filled in


def test_create_needs_a_scope_and_a_name(admin):
    response = admin.post(reverse("settings-api-keys"), {"name": "", "scopes": []})
    assert response.status_code == 200
    assert "请至少为密钥选择一项权限范围" in response.content.decode()
    assert admin.post(reverse("settings-api-keys"), {"name": "x", "scopes": ["root"]}).status_code == 200


def test_revoke_asks_then_revokes(tenant, admin):
    url = reverse("settings-api-key-revoke", kwargs={"key_id": tenant.api_key.pk})
    page = admin.get(url).content.decode()
    assert tenant.api_key.prefix in page and "401 Unauthorized" in page
    assert admin.post(url).status_code == 302
    tenant.api_key.refresh_from_db()
    assert tenant.api_key.revoked_at is not None
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Api-Key {tenant.raw_key}")
    assert partner.get(reverse("api-organization")).status_code == 401
    assert AuditEvent.all_orgs.filter(organization=tenant.org, action="api_key.revoked").count() == 1
    admin.post(url)  # revoking twice is harmless and recorded once
    assert AuditEvent.all_orgs.filter(organization=tenant.org, action="api_key.revoked").count() == 1
    listed = admin.get(reverse("settings-api-keys"), {"status": "revoked"}).content.decode()
    assert tenant.api_key.prefix in listed and "已吊销" in listed
    active = admin.get(reverse("settings-api-keys"), {"status": "active"}).content.decode()
    assert tenant.api_key.prefix not in active


def test_another_tenants_key_is_a_404(tenant, other_tenant, admin):
    url = reverse("settings-api-key-revoke", kwargs={"key_id": other_tenant.api_key.pk})
    assert admin.get(url).status_code == 404 and admin.post(url).status_code == 404
    other_tenant.api_key.refresh_from_db()
    assert other_tenant.api_key.revoked_at is None


def test_empty_state_says_what_to_do(tenant, admin):
    ApiKey.all_orgs.filter(organization=tenant.org).delete()
    page = admin.get(reverse("settings-api-keys")).content.decode()
    assert "还没有 API 密钥" in page and 'open id="create-key"' in page
