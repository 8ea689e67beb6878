"""Browser tenancy: resolve the user's organization once and hold the scope around the view."""

from cem.tenancy import enter_scope, exit_scope, resolve_organization


class TenancyMiddleware:
    """Sets `request.organization` / `request.membership` for signed-in users (None otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = resolve_organization(request)
        if request.organization is None:
            return self.get_response(request)
        token = enter_scope(request.organization)
        try:
            return self.get_response(request)
        finally:
            exit_scope(token)
