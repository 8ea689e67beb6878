"""The per-key limit counts a sliding window: a burst across a window edge is still limited,
and the count fades out as the previous window slides away."""

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _statuses(client, n):
    return [client.get(reverse("api-organization")).status_code for _ in range(n)]


def test_burst_across_the_window_edge_is_limited(api_client):
    cache.clear()
    client = api_client(scopes=["feedback:read"])
    with override_settings(API_KEY_RATE_LIMIT="5/min"), \
            time_machine.travel("2026-11-23 08:00:59", tick=False) as clock:
        assert _statuses(client, 5) == [200] * 5
        clock.shift(2)  # a new window has just begun
        limited = client.get(reverse("api-organization"))
        assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
        clock.shift(58)  # most of the previous window has slid away
        assert _statuses(client, 1) == [200]
