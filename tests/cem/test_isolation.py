"""Tenant-isolation harness (ACCEPTANCE T1, T6): every route, called with another tenant's
credentials and the victim's ids, answers 404 / an empty list, and never shows victim data."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.catalogue import EXCLUDED_PREFIXES, ROUTES
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


def iter_routes(resolver=None, prefix=""):
    """Yield (route string, url name) for every pattern in the URLconf."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from iter_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def catalogued_routes():
    seen = []
    for route, name in iter_routes():
        if any(route.startswith(p) for p in EXCLUDED_PREFIXES):
            continue
        seen.append((route, name))
    return seen


def test_every_route_is_in_the_catalogue():
    missing = [f"{route} (name={name})" for route, name in catalogued_routes() if name not in ROUTES]
    assert not missing, "Add these routes to tests/catalogue/<app>.py: " + ", ".join(missing)


def test_catalogue_has_no_stale_entries():
    names = {name for _route, name in catalogued_routes()}
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"Catalogue entries with no route: {stale}"


def _call(client, method, url, body):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def _attackers(attacker, kind):
    clients = [("session-admin", session_client(attacker.users["admin"]))]
    if kind == "api":
        key_client = APIClient()
        key_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {attacker.raw_key}")
        clients.append(("api-key", key_client))
    return clients


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def _check(response, *, who, method, url, victim, must_404):
    text = _body(response)
    problems = []
    if response.status_code >= 500:
        problems.append(f"{method} {url} as {who}: {response.status_code}")
    if victim.marker in text:
        problems.append(f"{method} {url} as {who}: victim data in the body")
    # A key without the route's scope is refused before any lookup (403 confirms nothing).
    allowed = {404} if who == "session-admin" else {403, 404}
    if must_404 and response.status_code not in allowed:
        problems.append(f"{method} {url} as {who}: {response.status_code}, want 404")
    return problems


def test_no_route_leaks_the_other_tenant(world):
    victim, attacker = world
    failures = []
    for name, spec in ROUTES.items():
        if spec.kind == "public":
            continue
        kwargs = spec.kwargs(victim)
        url = reverse(name, kwargs=kwargs)
        if spec.query:
            url += "?" + spec.query(victim)
        for method in spec.methods:
            body = spec.body(victim) if spec.body else None
            must_404 = bool(kwargs) or (method != "GET" and spec.body_has_victim_ids)
            for who, client in _attackers(attacker, spec.kind):
                response = _call(client, method, url, body)
                failures += _check(response, who=who, method=method, url=url, victim=victim,
                                   must_404=must_404)
    assert not failures, "\n".join(failures)
    victim.api_key.refresh_from_db()
    assert victim.api_key.revoked_at is None


def test_anonymous_is_sent_to_login_or_gets_401(world):
    tenant, _attacker = world
    client = APIClient()
    for name, spec in ROUTES.items():
        if spec.kind == "public":
            continue
        url = reverse(name, kwargs=spec.kwargs(tenant))
        for method in spec.methods:
            response = _call(client, method, url, spec.body(tenant) if spec.body else None)
            if spec.kind == "api":
                assert response.status_code == 401, (method, url, response.status_code)
            else:
                assert response.status_code == 302, (method, url, response.status_code)
                assert response["Location"].startswith(reverse("login"))


def test_switching_to_an_organization_without_membership_is_ignored(tenant, other_tenant):
    client = session_client(other_tenant.users["admin"])
    client.post(reverse("org-switch"), {"organization": tenant.org.pk})
    assert client.get(reverse("api-organization")).json()["slug"] == other_tenant.org.slug


def test_django_admin_is_not_open_to_tenant_admins(tenant):
    client = session_client(tenant.users["admin"])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
