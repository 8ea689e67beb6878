"""Rate limits: per API key (partners) or per user (browser), counted in the shared cache.

NOTE: the limiter fails open. When the cache (Redis) is unreachable the request is served and
a warning logged: an outage of the cache must not turn partners' posts into 500s (ACCEPTANCE R5).
"""

import logging
import time
import weakref

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import SimpleRateThrottle

from cem.models import ApiKey

logger = logging.getLogger(__name__)


#: One redis.Redis per cache client (caches are per thread), made on first use.
_write_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis_client():
    """The Redis client behind the default cache (None for other cache backends).

    NOTE: kept, not made per request: building a redis.Redis (its callback tables) cost
    0.2 ms of every partner request (bench/ingest_http.py). It shares the cache's pool.
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    client = _write_clients.get(backend._cache)
    if client is None:
        client = backend._cache.get_client(write=True)  # writes go to the first server
        _write_clients[backend._cache] = client
    return client


class PrincipalRateThrottle(SimpleRateThrottle):
    """`settings.API_KEY_RATE_LIMIT` per key; one key's burst never slows another key or tenant.

    NOTE: a sliding-window counter (an atomic INCR and one GET per request), not DRF's sliding
    log: the log is a list of every request of the window, read and written whole on each
    request (about 6 ms per request for a key near 6000/min; found by bench/ingest_http.py).
    """

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
        self.now = time.time()
        try:
            return self._estimate(self.get_cache_key(request, view)) <= self.num_requests
        except Exception:  # noqa: BLE001 (cache down: serve the request, see module note)
            logger.warning("rate limiter unavailable (cache error); request allowed")
            return True

    def _estimate(self, base_key: str) -> float:
        """Requests in the sliding window: this window's count plus the previous window's,
        weighted by how much of it the sliding window still covers (no burst at the edges)."""
        window, elapsed = divmod(self.now, self.duration)
        current, previous = f"{base_key}:{int(window)}", f"{base_key}:{int(window) - 1}"
        timeout = int(2 * self.duration + 1)
        client = _redis_client()
        if client is not None:
            # NOTE: one atomic round trip (MULTI/EXEC) for the three steps (three round trips
            # cost 1 ms of a single POST).
            pipe = client.pipeline(transaction=True)
            pipe.set(cache.make_and_validate_key(current), 0, ex=timeout, nx=True)
            pipe.incr(cache.make_and_validate_key(current))
            pipe.get(cache.make_and_validate_key(previous))
            _created, count, before = pipe.execute()
            return int(before or 0) * (1 - elapsed / self.duration) + count
        cache.add(current, 0, timeout=timeout)
        try:
            count = cache.incr(current)
        except ValueError:  # expired between add and incr: this request opens the window
            cache.set(current, 1, timeout=timeout)
            count = 1
        return (cache.get(previous) or 0) * (1 - elapsed / self.duration) + count

    def wait(self):
        """Seconds until the current window ends (Retry-After)."""
        return max(1.0, self.duration - (self.now % self.duration))
