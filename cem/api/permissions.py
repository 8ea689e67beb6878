"""Scope checks: API keys carry scopes; browser users get scopes from their role."""

from rest_framework import permissions

from cem.models import ApiKey, Membership

#: A pseudo-scope no API key can hold: tenant administration from the browser only.
ORG_ADMIN = "org:admin"
#: A pseudo-scope every key and every member holds: "who am I" style reads.
ANY_MEMBER = "org:any"

_R = Membership.Role
ROLE_SCOPES: dict[str, set[str]] = {
    _R.ADMIN: {"feedback:read", "feedback:write", "metrics:read", "tickets:read",
               "tickets:write", "manage", ORG_ADMIN},
    _R.CX_MANAGER: {"feedback:read", "feedback:write", "metrics:read", "tickets:read",
                    "tickets:write", "manage"},
    _R.DEPARTMENT_MEMBER: {"feedback:read", "metrics:read", "tickets:read", "tickets:write"},
    _R.VIEWER: {"feedback:read", "metrics:read", "tickets:read"},
}


def principal_has_scope(request, scope: str) -> bool:
    """True when the request's key or membership grants `scope`."""
    if isinstance(request.auth, ApiKey):
        return scope == ANY_MEMBER or request.auth.has_scope(scope)
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    return scope == ANY_MEMBER or scope in ROLE_SCOPES.get(membership.role, set())


def principal_scopes(request) -> list[str]:
    """The scopes the caller holds, for display."""
    if isinstance(request.auth, ApiKey):
        return sorted(request.auth.scopes)
    membership = getattr(request, "membership", None)
    return sorted(ROLE_SCOPES.get(membership.role, set())) if membership else []


class HasOrgScope(permissions.BasePermission):
    """Grants when an organization was resolved and the method's required scope is held."""

    message = "Your credentials do not allow this action."

    def has_permission(self, request, view):
        if getattr(request, "organization", None) is None:
            return False
        scope = view.scope_for(request.method)
        return scope is not None and principal_has_scope(request, scope)
