"""Dashboard fixtures: a tenant with realistic, analyzed feedback (tests/dashboard/data.py)."""

import pytest

from tests.dashboard.data import build_feedback


@pytest.fixture
def voiced(tenant):
    """The tenant with 60 analyzed feedback items over the last 40 days and service contacts."""
    with tenant.scope():
        build_feedback(tenant.org, count=60, days=40)
    return tenant
