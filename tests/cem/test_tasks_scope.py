"""Tasks run scoped to their organization, and refuse to run without one (ACCEPTANCE T5)."""

import time

import pytest
from celery.signals import task_failure

from cem.models import Department
from cem.tasks import org_task
from cem.tenancy import TenantScopeMissing, current_organization_id_or_none

SEEN: dict = {}


@org_task(name="tests.record_departments")
def record_departments(organization_id: int, token: str) -> None:
    """Test task: records the scope it ran in and the departments the scoped manager shows."""
    SEEN[token] = (current_organization_id_or_none(),
                   sorted(Department.objects.values_list("name", flat=True)))


def test_org_task_without_organization_raises_in_process():
    with pytest.raises(TenantScopeMissing):
        record_departments.apply(args=[None, "x"], throw=True)
    with pytest.raises(TenantScopeMissing):
        record_departments.apply(kwargs={"token": "x"}, throw=True)


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_real_worker_runs_tasks_in_the_organization_scope(tenant, other_tenant, real_worker):
    record_departments.delay(tenant.org.pk, "alpha-run")
    assert _wait_for(lambda: "alpha-run" in SEEN), "the worker did not run the task"
    org_id, names = SEEN["alpha-run"]
    assert org_id == tenant.org.pk
    assert "ALPHA甲-秘密部门" in names and "BETA乙-秘密部门" not in names


def test_real_worker_refuses_a_task_without_organization(tenant, real_worker):
    failures = []

    def on_failure(sender=None, exception=None, **kwargs):
        failures.append((sender.name, type(exception).__name__))

    task_failure.connect(on_failure, weak=False)
    try:
        record_departments.delay(None, "no-org")
        assert _wait_for(lambda: failures), "the worker did not report the failure"
    finally:
        task_failure.disconnect(on_failure)
    assert failures[0] == ("tests.record_departments", "TenantScopeMissing")
    assert "no-org" not in SEEN
