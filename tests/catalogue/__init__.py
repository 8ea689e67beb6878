"""The route catalogue: every URL route, one module per app. A route missing here fails
`tests/cem/test_isolation.py`: add it to `tests/catalogue/<app>.py` when you add the route."""

from importlib import import_module

from tests.catalogue.route import Route

APPS = ("cem", "journeys", "voice", "voice_analysis", "voice_pages", "voice_topics", "metrics",
        "improvement", "dashboard")

ROUTES: dict[str, Route] = {}
for _app in APPS:
    try:
        _module = import_module(f"tests.catalogue.{_app}")
    except ModuleNotFoundError as exc:
        if exc.name != f"tests.catalogue.{_app}":
            raise
        continue
    _duplicates = set(ROUTES) & set(_module.ROUTES)
    assert not _duplicates, f"route names catalogued twice: {_duplicates}"
    ROUTES.update(_module.ROUTES)

#: URL prefixes outside the catalogue, with the reason.
EXCLUDED_PREFIXES = {
    "admin/": "Django admin: platform operators (superusers) only; tested in test_isolation",
    "static/": "static assets",
}

__all__ = ["EXCLUDED_PREFIXES", "ROUTES", "Route"]
