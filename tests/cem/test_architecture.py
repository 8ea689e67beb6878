"""Architecture rules: layering (import-linter), module size, the API base, no raw managers in views."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cem.api.base import OrgAPIView

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cem", "journeys", "voice", "metrics", "improvement", "dashboard")
MAX_MODULE_LINES = 400


def project_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_layers_hold():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_stay_under_400_lines():
    too_long = {str(p.relative_to(ROOT)): n for p in project_modules()
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not too_long, f"split these modules: {too_long}"


def test_views_and_apis_do_not_use_model_managers_directly():
    """Views and API modules go through selectors/services (STYLE §10)."""
    pattern = re.compile(r"\b[A-Z]\w+\.(objects|all_orgs)\.")
    offenders = []
    for path in project_modules():
        is_view = path.name.startswith("views") or (path.parent.name == "api" and path.name != "__init__.py")
        if is_view:
            offenders += [f"{path.relative_to(ROOT)}:{i}" for i, line in
                          enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                          if pattern.search(line)]
    assert not offenders, offenders


def test_api_views_cannot_skip_tenancy():
    with pytest.raises(TypeError, match="required_scopes"):
        type("NoScopesApi", (OrgAPIView,), {})
    with pytest.raises(TypeError, match="get_queryset"):
        type("SneakyApi", (OrgAPIView,), {"required_scopes": {"GET": "feedback:read"},
                                          "get_queryset": lambda self: None})


def test_every_api_route_uses_org_api_view():
    from django.urls import get_resolver

    from tests.cem.test_isolation import iter_routes

    resolver = get_resolver()
    for route, _name in iter_routes():
        if not route.startswith("api/v1/"):
            continue
        match = resolver.resolve("/" + re.sub(r"<[^>]+>", "1", route))
        view_class = getattr(match.func, "view_class", None)
        assert view_class is not None and issubclass(view_class, OrgAPIView), route


def test_compose_describes_the_full_stack_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert all("healthcheck" in spec for spec in services.values())
    assert "gunicorn" in services["web"]["command"]
