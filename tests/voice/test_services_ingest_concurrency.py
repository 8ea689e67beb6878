"""Concurrent batches that share customers, listed in opposite orders, both succeed: customers
are created and locked in one order, so PostgreSQL waits instead of deadlocking (a real 500
found by bench/ingest_http.py)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from cem.tenancy import org_scope
from voice.models import Customer, Feedback
from voice.services.ingest import feedback_ingest_many


def _items(prefix: str, customers: list[str]) -> list[dict]:
    return [{"external_id": f"{prefix}-{i}", "channel": "app", "text": "并发", "metadata": {},
             "occurred_at": timezone.now(), "customer": {"external_id": c, "segment": "会员"}}
            for i, c in enumerate(customers)]


@pytest.mark.django_db(transaction=True)
def test_opposite_orders_do_not_deadlock(tenant):
    customers = [f"C{i:04d}" for i in range(300)]
    batches = {"up": _items("up", customers), "down": _items("down", customers[::-1])}
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(name):
        try:
            with org_scope(tenant.org):
                barrier.wait(timeout=10)
                feedback_ingest_many(organization=tenant.org, items=batches[name], source="api")
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert Customer.all_orgs.filter(organization=tenant.org).count() == 300
    assert Feedback.all_orgs.filter(organization=tenant.org).count() == 600
