"""`OrgAPIView`: the only base for OpenCEM API endpoints.

It resolves the organization once, sets the tenant scope around the view, and checks the
scope each HTTP method requires. Subclasses may not override the access hooks, and must
declare `required_scopes`; both are enforced at import time (PostHog's __init_subclass__).
"""

from rest_framework.views import APIView

from cem.services.audit import api_key_acting, api_key_released
from cem.tenancy import enter_scope, exit_scope, resolve_organization

_FORBIDDEN_OVERRIDES = ("get_queryset", "get_object", "get_permissions",
                        "get_authenticators", "perform_authentication", "dispatch")


class OrgAPIView(APIView):
    """Base API view. `required_scopes` maps HTTP methods (GET, POST, …) to a scope string."""

    required_scopes: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _FORBIDDEN_OVERRIDES:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} must not override {name}(): tenancy lives in OrgAPIView.")
        if not cls.__dict__.get("abstract") and not getattr(cls, "required_scopes", None):
            raise TypeError(f"{cls.__name__} must declare required_scopes.")

    def scope_for(self, method: str) -> str | None:
        method = "GET" if method in ("HEAD", "OPTIONS") else method
        return self.required_scopes.get(method)

    def perform_authentication(self, request):
        request.user  # noqa: B018  (runs the authenticators)
        django_request = request._request
        organization = getattr(django_request, "organization", None)
        if request.auth is not None or organization is None:
            organization = resolve_organization(request)
        else:
            request.membership = getattr(django_request, "membership", None)
        request.organization = organization
        if organization is not None:
            self._scope_token = enter_scope(organization)
        if request.auth is not None:
            self._key_token = api_key_acting(request.auth)

    def dispatch(self, request, *args, **kwargs):
        self._scope_token = self._key_token = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._key_token is not None:
                api_key_released(self._key_token)
            if self._scope_token is not None:
                exit_scope(self._scope_token)
