"""Per-app builders of a tenant's data for cross-tenant tests: `tests/world/<app>.py` defines
`build(tenant)` that adds objects (with `tenant.marker` in their text) to `tenant.extra`."""

from importlib import import_module

APPS = ("journeys", "voice", "voice_pages", "voice_analysis", "voice_topics", "metrics", "improvement",
        "dashboard")


def build_world(tenant) -> None:
    """Run every app's builder in dependency order, inside the tenant's scope."""
    for app in APPS:
        try:
            module = import_module(f"tests.world.{app}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.world.{app}":
                raise
            continue
        with tenant.scope():
            module.build(tenant)
