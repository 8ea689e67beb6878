"""Browser tenancy: resolve the user's organization once and hold the scope around the view."""
import re

from django.utils import timezone

from cem.tenancy import enter_scope, exit_scope, resolve_organization


class TenancyMiddleware:
    """Sets `request.organization` / `request.membership` for signed-in users (None otherwise),
    and renders times in the organization's time zone for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = resolve_organization(request)
        if request.organization is None:
            return self.get_response(request)
        token = enter_scope(request.organization)
        timezone.activate(request.organization.tzinfo)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            exit_scope(token)


class SessionCookieGuardMiddleware:
    """Drops a session cookie that cannot be a Django session key before it reaches the DB.

    NOTE: Django keys are 32 chars of [a-z0-9]; a forged cookie with a NUL byte would otherwise
    make PostgreSQL raise inside the session lookup (found by schemathesis).
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.cookie_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        value = request.COOKIES.get(self.cookie_name)
        if value is not None and not _SESSION_KEY.fullmatch(value):
            del request.COOKIES[self.cookie_name]
        return self.get_response(request)


_SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")

