"""Rate limit of the public survey form: `settings.SURVEY_RATE_LIMIT` submissions per client IP.

Counted in the shared cache with DRF's sliding-window throttle, so every web process sees the
same counts. A cache outage lets submissions through (logged) rather than losing answers.
"""

import logging

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class SurveySubmitThrottle(SimpleRateThrottle):
    scope = "survey"

    def get_rate(self):
        return settings.SURVEY_RATE_LIMIT

    def get_cache_key(self, request, view):
        return f"throttle:survey:{self.get_ident(request)}"

    def get_ident(self, request):
        """The client address. X-Forwarded-For counts only when the deployment says how many
        proxies it trusts (REST_FRAMEWORK["NUM_PROXIES"]); otherwise a client could forge it to
        escape the limit."""
        if api_settings.NUM_PROXIES is not None:
            return super().get_ident(request)
        return request.META.get("REMOTE_ADDR", "")


def survey_submit_allowed(request) -> tuple[bool, int]:
    """(allowed, seconds to wait); counts this attempt when allowed."""
    throttle = SurveySubmitThrottle()
    try:
        if throttle.allow_request(request, None):
            return True, 0
    except Exception:  # noqa: BLE001 (cache down: accept the answer, say so in the log)
        logger.warning("survey rate limit unavailable (cache error); submission allowed")
        return True, 0
    wait = throttle.wait()
    return False, max(1, int(wait or 1))
