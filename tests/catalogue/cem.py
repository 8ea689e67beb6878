"""Routes of the core (cem) app, for the isolation harness."""

from tests.catalogue.route import Route


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
    "api-keys": Route("api", methods=("GET", "POST"),
                      body=lambda victim: {"name": "k", "scopes": ["feedback:read"]}),
    "api-key-revoke": Route("api", methods=("POST",), kwargs=_victim_key),
}
