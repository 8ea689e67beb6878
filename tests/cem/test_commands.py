"""Management commands in the exact forms outside tools call."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from cem.models import ApiKey, Department, Membership, Organization

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_create_org_and_api_key_then_call_the_api():
    run("create_org", "--slug", "acme", "--name", "极客商城", "--admin-username", "boss",
        "--admin-password", "s3cret-pass-word")
    org = Organization.objects.get(slug="acme")
    assert Membership.all_orgs.get(organization=org, user__username="boss").role == "admin"
    assert authenticate(username="boss", password="s3cret-pass-word") is not None
    output = run("create_api_key", "--org", "acme", "--name", "crm", "--scopes",
                 "feedback:write,metrics:read")
    raw = output.strip().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    body = client.get("/api/v1/organization/").json()
    assert body["slug"] == "acme" and body["scopes"] == ["feedback:write", "metrics:read"]


def test_create_org_twice_is_a_clear_error():
    run("create_org", "--slug", "acme", "--name", "A", "--admin-username", "u", "--admin-password", "p")
    with pytest.raises(CommandError, match="slug"):
        run("create_org", "--slug", "acme", "--name", "A", "--admin-username", "u",
            "--admin-password", "p")


def test_create_api_key_errors():
    with pytest.raises(CommandError, match="No organization"):
        run("create_api_key", "--org", "nope", "--name", "x", "--scopes", "manage")
    run("create_org", "--slug", "acme", "--name", "A", "--admin-username", "u", "--admin-password", "p")
    with pytest.raises(CommandError, match="Unknown scope"):
        run("create_api_key", "--org", "acme", "--name", "x", "--scopes", "everything")
    assert not ApiKey.all_orgs.exists()


def test_seed_demo_is_idempotent_and_logins_work():
    run("seed_demo")
    counts = (Organization.objects.count(), Department.all_orgs.count(), Membership.all_orgs.count())
    output = run("seed_demo")
    assert (Organization.objects.count(), Department.all_orgs.count(),
            Membership.all_orgs.count()) == counts
    assert "opencem-demo" in output
    demo = Organization.objects.get(slug="demo")
    assert demo.name == "演示公司"
    assert {"物流部", "客服中心", "质量部", "门店运营部"} <= set(
        Department.all_orgs.filter(organization=demo).values_list("name", flat=True))
    roles = dict(Membership.all_orgs.filter(organization=demo)
                 .values_list("user__username", "role"))
    assert roles["admin"] == "admin" and roles["manager"] == "cx_manager"
    assert roles["logistics"] == "department_member"
    logistics = Membership.all_orgs.get(organization=demo, user__username="logistics")
    assert logistics.department.name == "物流部"
    for username in ("admin", "manager", "logistics"):
        assert authenticate(username=username, password="opencem-demo") is not None
