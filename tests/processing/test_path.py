"""The processing path in-process with a real broker and worker (ACCEPTANCE R6, R7, the sweep)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from cem.celery import app
from voice import tasks as voice_tasks
from voice.models import Feedback
from voice.nlp.types import TransientAnalysisError
from voice.services import analysis
from voice.services.ingest import feedback_ingest_many
from voice.services.processing import broker_backlog, feedback_sweep_pending

from .harness import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _items(n, tag):
    return [{"external_id": f"{tag}-{i}", "channel": "app", "text": "退换货太麻烦了",
             "occurred_at": timezone.now(), "metadata": {}} for i in range(n)]


@pytest.fixture
def quiet_broker():
    """An empty default queue before and after the test."""
    app.control.purge()
    yield
    app.control.purge()


def test_r6_an_error_inside_the_ingest_transaction_stores_and_enqueues_nothing(tenant,
                                                                                quiet_broker):
    before = broker_backlog()
    with pytest.raises(RuntimeError), tenant.scope(), transaction.atomic():
        results = feedback_ingest_many(organization=tenant.org, items=_items(5, "r6"),
                                       source="api")
        assert all(r.created for r in results)
        raise RuntimeError("something failed after the rows were staged")
    assert Feedback.all_orgs.filter(organization=tenant.org).count() == 0
    assert broker_backlog() == before


class _FlakyDependency:
    """A scoring dependency that keeps failing transiently (the third party, not our code)."""

    version = "flaky"

    def __init__(self):
        self.calls = 0

    def analyze_many(self, texts, topics):
        self.calls += 1
        raise TransientAnalysisError("model server unavailable")


def test_r7_transient_errors_retry_with_backoff_then_fail_visibly(tenant, real_worker,
                                                                   monkeypatch):
    flaky = _FlakyDependency()
    monkeypatch.setattr(analysis, "analyzer_for_organization", lambda **kw: flaky)
    monkeypatch.setattr(voice_tasks.analyze_feedback_batch, "max_retries", 2)
    monkeypatch.setattr(voice_tasks, "RETRY_BACKOFF_FACTOR", 0.05)
    with tenant.scope():
        (row,) = [r.feedback for r in feedback_ingest_many(
            organization=tenant.org, items=_items(1, "r7"), source="api")]
    wait_for(lambda: Feedback.all_orgs.get(pk=row.pk).status == "failed", timeout=30,
             what="the row to fail after its retries")
    row.refresh_from_db()
    assert flaky.calls == 3  # the first try and two retries, then it stops
    assert "after 2 retries" in row.failure_reason
    assert "TransientAnalysisError: model server unavailable" in row.failure_reason


def test_retry_backoff_grows_exponentially_with_full_jitter():
    for retries in range(10):
        ceiling = min(voice_tasks.RETRY_BACKOFF_MAX, voice_tasks.RETRY_BACKOFF_FACTOR * 2 ** retries)
        samples = [voice_tasks.retry_countdown(retries) for _ in range(200)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling / 2 and len(set(samples)) > 100  # jittered, not fixed


def test_the_sweep_reenqueues_stale_pending_rows(tenant, real_worker, settings):
    settings.PENDING_SWEEP_AFTER_SECONDS = 60
    with tenant.scope():
        rows = [r.feedback for r in feedback_ingest_many(
            organization=tenant.org, items=_items(3, "sweep"), source="api")]
    ids = [r.pk for r in rows]
    # The analysis messages were lost (simulated): the rows stay pending, and look old.
    wait_for(lambda: Feedback.all_orgs.filter(pk__in=ids, status="analyzed").count() == 3,
             what="the first analysis")
    Feedback.all_orgs.filter(pk__in=ids).update(
        status="pending", received_at=timezone.now() - timedelta(minutes=5))
    with tenant.scope():
        fresh = feedback_ingest_many(organization=tenant.org, items=_items(1, "fresh"),
                                     source="api")[0].feedback
    assert feedback_sweep_pending(organization_id=tenant.org.pk) == 3  # the fresh row waits
    wait_for(lambda: Feedback.all_orgs.filter(pk__in=ids, status="analyzed").count() == 3,
             what="the swept rows to be analyzed")
    assert Feedback.all_orgs.get(pk=fresh.pk).status in ("pending", "analyzed")


def test_the_sweep_waits_while_a_backlog_drains(tenant, quiet_broker, settings):
    settings.PENDING_SWEEP_AFTER_SECONDS = 0
    for _ in range(60):
        voice_tasks.purge_idempotency_for_organization.delay(tenant.org.pk)
    with tenant.scope():
        feedback_ingest_many(organization=tenant.org, items=_items(1, "backlog"), source="api")
    queued = broker_backlog()
    voice_tasks.sweep_pending_feedback()
    assert broker_backlog() == queued  # nothing added: the queued work is not lost
    app.control.purge()
    voice_tasks.sweep_pending_feedback()
    assert broker_backlog() == 1  # one sweep task for the organization with pending rows


def test_rows_locked_by_another_connection_are_analyzed_once_it_lets_go(tenant, real_worker):
    """A task whose rows are locked elsewhere (a sibling, or the connection of a worker killed
    mid-batch that PostgreSQL has not dropped yet) skips them (SKIP LOCKED), then looks again
    with back-off instead of leaving them to the sweep."""
    with tenant.scope():
        row = feedback_ingest_many(organization=tenant.org, items=_items(1, "locked"),
                                   source="api")[0].feedback
    wait_for(lambda: Feedback.all_orgs.get(pk=row.pk).status == "analyzed", what="first analysis")
    Feedback.all_orgs.filter(pk=row.pk).update(status="pending")
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            list(Feedback.all_orgs.select_for_update().filter(pk=row.pk))
            locked.set()
            release.wait(30)
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    voice_tasks.analyze_feedback_batch.delay(tenant.org.pk, [row.pk])
    time.sleep(1.5)  # the task runs meanwhile and finds the row locked
    assert Feedback.all_orgs.get(pk=row.pk).status == "pending"
    release.set()
    holder.join()
    wait_for(lambda: Feedback.all_orgs.get(pk=row.pk).status == "analyzed", timeout=30,
             what="the retry to analyze the row")
