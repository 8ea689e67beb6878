"""Rate limits: per API key (partners) or per user (browser), counted in the shared cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from cem.models import ApiKey


class PrincipalRateThrottle(SimpleRateThrottle):
    """`settings.API_KEY_RATE_LIMIT` per key; one key's burst never slows another key or tenant."""

    scope = "principal"

    def get_rate(self):
        return settings.API_KEY_RATE_LIMIT

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return f"throttle:{ident}"

    def allow_request(self, request, view):
        # NOTE: re-read the setting each time so deployments (and tests) can change it live.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
