"""Routes of the core (cem) app, for the isolation harness."""

from cem.models import Membership
from tests.catalogue.route import Route


def _victim_key(victim):
    return {"key_id": victim.api_key.pk}


def _victim_membership(victim):
    member = Membership.all_orgs.get(organization=victim.org, user=victim.users["member"])
    return {"membership_id": member.pk}


def _victim_department(victim):
    return {"department_id": victim.departments["marked"].pk}


def _form(**values):
    """Page forms read form posts; the harness sends JSON, so these bodies document intent."""
    return lambda victim: values


ROUTES: dict[str, Route] = {
    # --- core pages
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
    # --- settings pages (forms post form data; the harness's JSON posts leave them empty)
    "settings-index": Route("page"),
    "settings-members": Route("page"),
    "settings-member-add": Route("page", methods=("GET", "POST"),
                                 body=_form(username="beta-admin", role="viewer")),
    "settings-member-edit": Route("page", methods=("GET", "POST"), kwargs=_victim_membership,
                                  body=_form(role="admin")),
    "settings-member-remove": Route("page", methods=("GET", "POST"), kwargs=_victim_membership),
    "settings-departments": Route("page"),
    "settings-department-add": Route("page", methods=("GET", "POST"),
                                     body=_form(name="攻击者部门")),
    "settings-department-edit": Route("page", methods=("GET", "POST"), kwargs=_victim_department,
                                      body=_form(name="改名")),
    "settings-department-delete": Route("page", methods=("GET", "POST"),
                                        kwargs=_victim_department),
    "settings-api-keys": Route("page", methods=("GET", "POST"),
                               body=_form(name="k", scopes=["feedback:read"])),
    "settings-api-key-revoke": Route("page", methods=("GET", "POST"), kwargs=_victim_key),
    "settings-organization": Route("page", methods=("GET", "POST"), body=_form(name="攻击")),
    "settings-audit": Route("page"),
    # --- core API
    "api-organization": Route("api"),
    "api-keys": Route("api", methods=("GET", "POST"),
                      body=lambda victim: {"name": "k", "scopes": ["feedback:read"]}),
    "api-key-revoke": Route("api", methods=("POST",), kwargs=_victim_key),
}
