"""Rate limits: per API key (partners) or per user (browser), counted in the shared cache.

NOTE: the limiter fails open. When the cache (Redis) is unreachable the request is served and
a warning logged: an outage of the cache must not turn partners' posts into 500s (ACCEPTANCE R5).
"""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from cem.models import ApiKey

logger = logging.getLogger(__name__)


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
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 (cache down: serve the request, see module note)
            logger.warning("rate limiter unavailable (cache error); request allowed")
            return True
