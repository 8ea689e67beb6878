"""The tenant scope: which organization the current request or task works for.

The organization is resolved once per request (`resolve_organization`) or per task
(`org_task`), and held in a context variable for the duration of the work. Scoped managers
read it and fail closed when it is missing.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cem.models import Membership, Organization

_current_org_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "opencem_current_org_id", default=None
)

SESSION_ORG_KEY = "opencem_org_id"


class TenantScopeMissing(RuntimeError):
    """Raised when tenant-owned rows are read or written with no organization in scope."""


def current_organization_id() -> int:
    """The organization id in scope; raises TenantScopeMissing outside any scope."""
    org_id = _current_org_id.get()
    if org_id is None:
        raise TenantScopeMissing(
            "No organization in scope: wrap the work in org_scope(organization) "
            "or run it through an @org_task."
        )
    return org_id


def current_organization_id_or_none() -> int | None:
    return _current_org_id.get()


@contextmanager
def org_scope(organization):
    """Set the tenant scope for a block; accepts an Organization or its id. Nests safely."""
    org_id = organization if isinstance(organization, int) else organization.pk
    token = _current_org_id.set(org_id)
    try:
        yield
    finally:
        _current_org_id.reset(token)


def enter_scope(organization) -> contextvars.Token:
    """Set the scope without a block (for request/response hooks); pair with exit_scope."""
    return _current_org_id.set(organization.pk)


def exit_scope(token: contextvars.Token) -> None:
    _current_org_id.reset(token)


def membership_for_request(request) -> Membership | None:
    """The browser user's active membership: the session's choice if still valid, else the first.

    NOTE: checked on every request, so a revoked membership takes effect at once.
    """
    from cem import selectors

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = selectors.membership_list_for_user(user=user)
    request.memberships = memberships
    wanted = request.session.get(SESSION_ORG_KEY) if hasattr(request, "session") else None
    chosen = next((m for m in memberships if m.organization_id == wanted), None)
    return chosen or (memberships[0] if memberships else None)


def resolve_organization(request) -> Organization | None:
    """Resolve the request's organization once: from the API key, else from the membership."""
    from cem.models import ApiKey

    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        request.membership = None
        return auth.organization
    membership = membership_for_request(request)
    request.membership = membership
    return membership.organization if membership else None
