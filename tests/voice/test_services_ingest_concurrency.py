"""Concurrent batches that share customers, listed in opposite orders, both succeed: customers
are created and locked in one order, so PostgreSQL waits instead of deadlocking (a real 500
found by bench/ingest_http.py)."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cem.tenancy import org_scope
from tests.concurrency import transaction_held_open
from voice.models import Customer, Feedback
from voice.services.customers import customers_for_refs
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


@pytest.mark.django_db(transaction=True)
def test_segment_update_does_not_block_feedback_for_that_customer(tenant):
    """One batch updates customer C1's segment and is still open; another batch only refers to
    C1. The second goes through at once: the segment lock is FOR NO KEY UPDATE, which the
    foreign-key check of the feedback insert (FOR KEY SHARE) does not wait for. A FOR UPDATE
    lock made it wait, and with more customers two such batches deadlocked (a 500 in
    bench/ingest_http.py)."""
    with org_scope(tenant.org):
        Customer.all_orgs.create(organization=tenant.org, external_id="C1", segment="会员")
    item = {"external_id": "refers-only", "channel": "app", "text": "并发", "metadata": {},
            "occurred_at": timezone.now(), "customer": {"external_id": "C1"}}
    with transaction_held_open(tenant.org, lambda: customers_for_refs(
            organization=tenant.org, refs=[{"external_id": "C1", "segment": "企业"}])):
        with org_scope(tenant.org), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            [result] = feedback_ingest_many(organization=tenant.org, items=[item], source="api")
    assert result.created and result.feedback.customer.external_id == "C1"
    assert Customer.all_orgs.get(organization=tenant.org, external_id="C1").segment == "企业"
