"""Every URL route, and how the isolation harness calls it with another tenant's credentials.

A route missing here fails `tests/cem/test_isolation.py`: add it when you add the route.
`kwargs(victim)` builds path arguments from the victim tenant's objects, so the attacker
(the other tenant) asks for the victim's ids; `body(victim)` is the JSON body for writes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    kind: str  # "page" (session), "api" (key + session), "public" (no tenant data)
    methods: tuple[str, ...] = ("GET",)
    kwargs: Callable = field(default=lambda victim: {})
    body: Callable | None = None
    #: the body carries victim ids, so the write must be refused (404) for the attacker
    body_has_victim_ids: bool = False
    reason: str = ""


def _victim_key(victim):
    return {"key_id": victim.api_key.pk}


ROUTES: dict[str, Route] = {
    # --- core pages
    "home": Route("page"),
    "login": Route("public", reason="login form"),
    "logout": Route("public", methods=("POST",), reason="ends the caller's own session"),
    "password_change": Route("page"),
    "password_change_done": Route("page"),
    "org-switch": Route("page", methods=("POST",),
                        body=lambda victim: {"organization": str(victim.org.pk)}),
    "no-organization": Route("public", reason="static help text"),
    "set_language": Route("public", methods=("POST",), reason="sets the caller's language"),
    "healthz": Route("public", reason="service health, no tenant data"),
    "api-schema": Route("public", reason="the OpenAPI document"),
    "api-docs": Route("public", reason="renders the OpenAPI document"),
    # --- core API
    "api-organization": Route("api"),
    "api-departments": Route("api", methods=("GET", "POST"),
                             body=lambda victim: {"name": "攻击者部门",
                                                  "parent": victim.departments["marked"].pk},
                             body_has_victim_ids=True),
    "api-keys": Route("api", methods=("GET", "POST"),
                      body=lambda victim: {"name": "k", "scopes": ["feedback:read"]}),
    "api-key-revoke": Route("api", methods=("POST",), kwargs=_victim_key),
}

#: URL prefixes outside the catalogue, with the reason.
EXCLUDED_PREFIXES = {
    "admin/": "Django admin: platform operators (superusers) only; tested in test_isolation",
    "static/": "static assets",
}
