import pytest
from django.core.cache import cache

from journeys.models import Journey, Stage, Touchpoint


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    """Rate-limit counters live in the shared cache; start every test from zero."""
    cache.clear()


@pytest.fixture
def touchpoint(tenant):
    journey = Journey.all_orgs.create(organization=tenant.org, name="电商购物")
    stage = Stage.all_orgs.create(organization=tenant.org, journey=journey, name="物流配送")
    return Touchpoint.all_orgs.create(organization=tenant.org, stage=stage, key="delivery",
                                      name="送货上门")


@pytest.fixture
def writer(api_client):
    return api_client(scopes=["feedback:write", "feedback:read"])
