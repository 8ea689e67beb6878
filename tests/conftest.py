"""Shared fixtures: two fully seeded organizations (`org`, `other_org`) and their clients.

Data is set up through the services. Each organization gets departments and one user per
role; `marker` strings make leaks easy to spot in response bodies.
"""

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from cem import services
from cem.models import ApiKey, Membership, Organization
from cem.tenancy import org_scope
from tests.world import build_world

ALL_SCOPES = list(ApiKey.Scope.values)

# NOTE: tests log in dozens of users; the production hasher would spend most of the suite's time.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# NOTE: worker threads close their connection after each task, so the test database can be
# dropped at the end of the run (a kept-alive connection would hold it open).
settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
# NOTE: in-process tests look at the broker right after a call, so they publish inline; the
# publisher thread (the default) is tested in tests/voice/test_publisher.py and runs in every
# gunicorn the fault and contract tests start.
settings.ANALYSIS_PUBLISH_FROM_THREAD = False


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_folder(tmp_path_factory):
    """Uploaded files (imports) go to a throw-away folder, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True, scope="session")
def _model_cache_in_a_temporary_folder(tmp_path_factory):
    """Sentiment model artifacts go to a throw-away folder, never to var/models.

    NOTE: the default model's artifact, when var/models already holds the one for the current
    inputs (same key), is copied in so a test session does not spend ~30 s retraining it; the
    tests that check training itself train other keys in this folder.
    """
    import shutil
    from pathlib import Path

    real = Path(settings.MODEL_CACHE_DIR)
    folder = tmp_path_factory.mktemp("models")
    settings.MODEL_CACHE_DIR = str(folder)
    try:
        from voice.nlp.artifact import artifact_key

        cached = real / f"sentiment-{artifact_key()}.npz"
        if cached.exists():
            shutil.copy(cached, folder / cached.name)
    except OSError:
        pass


@dataclass
class Tenant:
    """One seeded organization with its departments, users and a full-scope API key."""

    org: Organization
    marker: str
    departments: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    api_key: ApiKey | None = None
    raw_key: str = ""
    extra: dict = field(default_factory=dict)

    def scope(self):
        return org_scope(self.org)


def build_tenant(slug: str, marker: str) -> Tenant:
    org = services.organization_create(slug=slug, name=f"{marker}公司")
    tenant = Tenant(org=org, marker=marker)
    for name in ("物流部", "客服中心", "质量部"):
        tenant.departments[name] = services.department_create(
            organization=org, name=f"{name}", is_default=(name == "客服中心"))
    roles = {
        "admin": (Membership.Role.ADMIN, None),
        "manager": (Membership.Role.CX_MANAGER, None),
        "member": (Membership.Role.DEPARTMENT_MEMBER, tenant.departments["物流部"]),
        "viewer": (Membership.Role.VIEWER, None),
    }
    for label, (role, department) in roles.items():
        user = services.user_get_or_create(username=f"{slug}-{label}",
                                           password=settings.DEMO_PASSWORD)
        services.membership_set(organization=org, user=user, role=role, department=department)
        tenant.users[label] = user
    tenant.departments["marked"] = services.department_create(
        organization=org, name=f"{marker}-秘密部门")
    tenant.api_key, tenant.raw_key = services.api_key_create(
        organization=org, name=f"{marker}-key", scopes=ALL_SCOPES)
    return tenant


@pytest.fixture
def world(tenant, other_tenant):
    """Both tenants with every app's data built (tests/world/<app>.py): (victim, attacker)."""
    build_world(tenant)
    build_world(other_tenant)
    return tenant, other_tenant


@pytest.fixture
def tenant(db) -> Tenant:
    return build_tenant("alpha", "ALPHA甲")


@pytest.fixture
def other_tenant(db) -> Tenant:
    return build_tenant("beta", "BETA乙")


@pytest.fixture
def org(tenant) -> Organization:
    return tenant.org


@pytest.fixture
def other_org(other_tenant) -> Organization:
    return other_tenant.org


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(tenant) -> APIClient:
    return session_client(tenant.users["manager"])


@pytest.fixture
def admin_client_(tenant) -> APIClient:
    return session_client(tenant.users["admin"])


@pytest.fixture
def member_client(tenant) -> APIClient:
    """A department member of 物流部."""
    return session_client(tenant.users["member"])


@pytest.fixture
def viewer_client(tenant) -> APIClient:
    return session_client(tenant.users["viewer"])


@pytest.fixture
def api_client(tenant):
    """Factory: `api_client(scopes=[...])` → an APIClient holding a fresh key with those scopes."""

    def make(scopes=None, org=None):
        _key, raw = services.api_key_create(organization=org or tenant.org, name="test",
                                            scopes=scopes or ALL_SCOPES)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return client

    return make


@pytest.fixture
def real_worker(transactional_db):
    """A real Celery worker (solo pool, in a thread) consuming the configured broker.

    Use with `transactional_db` data: the worker thread has its own DB connection. The queue is
    purged first so a message left by an earlier test cannot run here.
    """
    from celery.contrib.testing.worker import start_worker
    from kombu.asynchronous import set_event_loop

    from cem.celery import app

    # NOTE: a worker reuses the global event loop a previous in-process worker left behind,
    # whose timer is not the new worker's: ETA/countdown tasks would never fire.
    set_event_loop(None)
    app.control.purge()
    # NOTE: load (or train) the default sentiment model before the worker's first batch, so
    # a first training never counts against a test's wait.
    from voice.services.models import default_analyzer

    default_analyzer()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20,
                      loglevel="WARNING"):
        yield app
