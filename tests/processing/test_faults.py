"""Fault tests of the processing path with real processes (ACCEPTANCE R1, R2, R3, R5).

A private redis-server, gunicorn and prefork Celery workers run against the test database.
"Mid-batch" is made deterministic without touching the code under test: the test holds an
uncommitted FeedbackAnalysis row for one feedback of the batch, so the worker, having claimed
and scored its rows, blocks on that row's unique key inside its transaction until released.
"""

import json
import os
import shutil
import signal
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection, transaction

from voice.models import Feedback, FeedbackAnalysis
from voice.services.models import analyzer_for_organization

from .harness import RedisServer, start_web, start_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(240),
]


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis_server():
    if connection.vendor != "postgresql" or not shutil.which("redis-server"):
        pytest.skip("fault tests need PostgreSQL (row locks) and a redis-server binary; "
                    "CI (.ci/run) has both")


@pytest.fixture
def redis():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def processes():
    started = []
    yield started
    for proc in started:
        proc.stop()
        # Shown by pytest when the test failed: what each process said.
        print(f"----- {proc.name} (pid {proc.pid}) -----\n{proc.output()[-6000:]}")


@pytest.fixture
def model_version(tenant):
    """Load (and, on a fresh checkout, build and cache) the model before workers need it."""
    return analyzer_for_organization(organization_id=tenant.org.pk).version


def post(base: str, raw_key: str, path: str, body: dict, timeout: float = 5.0):
    """POST JSON; returns (status, parsed body, seconds)."""
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Api-Key {raw_key}", "Content-Type": "application/json",
                 "Host": "localhost"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read().decode(errors="replace")
    return status, payload, time.monotonic() - started


def post_batch(base, tenant, n: int, tag: str) -> list[int]:
    items = [{"external_id": f"{tag}-{i}", "channel": "app",
              "text": f"第{i}单 快递太慢了，客服态度还可以"} for i in range(n)]
    status, body, _ = post(base, tenant.raw_key, "/api/v1/feedback/batch/", {"items": items},
                           timeout=30)
    assert status == 201, body
    return [item["id"] for item in body["items"]]


def all_analyzed(ids) -> bool:
    return Feedback.all_orgs.filter(pk__in=ids, status="analyzed").count() == len(ids)


def assert_scored_exactly_once(ids, version):
    per_row = {fid: 0 for fid in ids}
    for fid in FeedbackAnalysis.all_orgs.filter(feedback_id__in=ids,
                                                model_version=version).values_list(
            "feedback_id", flat=True):
        per_row[fid] += 1
    assert set(per_row.values()) == {1}, per_row
    assert set(Feedback.all_orgs.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        # NOTE: inside a transaction PostgreSQL freezes pg_stat_activity unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


class HeldRow:
    """Hold an uncommitted FeedbackAnalysis row of one feedback: the worker blocks on it."""

    def __init__(self, tenant, feedback_id: int, version: str):
        self.atomic = transaction.atomic()
        self.tenant, self.feedback_id, self.version = tenant, feedback_id, version

    def __enter__(self):
        self.atomic.__enter__()
        FeedbackAnalysis.all_orgs.create(organization=self.tenant.org,
                                          feedback_id=self.feedback_id,
                                          model_version=self.version, label="neutral", score=0)
        return self

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        return False


def test_r1_killing_the_worker_child_mid_batch_scores_each_row_once(tenant, redis, processes,
                                                                    model_version):
    web, base = start_web(redis)
    processes.append(web)
    ids = post_batch(base, tenant, 40, "r1")  # queued in Redis: no worker is running yet
    with HeldRow(tenant, ids[-1], model_version):
        worker = start_worker(redis, concurrency=1)
        processes.append(worker)
        wait_for(lock_waiters, what="the worker to block mid-batch")
        (child,) = worker.children()
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: worker.children() not in ([], [child]), what="a new worker child")
        wait_for(lock_waiters, what="the redelivered task to reach the held row")
    wait_for(lambda: all_analyzed(ids), timeout=60, what="every row analyzed")
    assert_scored_exactly_once(ids, model_version)
    assert "WorkerLostError" in worker.output()


def queued_task_names(redis) -> list[str]:
    """Names of the tasks waiting in the default queue (kombu's JSON envelopes)."""
    lines = [line for line in redis.cli("LRANGE", "celery", "0", "-1").splitlines() if line]
    return [json.loads(line)["headers"]["task"] for line in lines]


def test_r2_a_lost_message_is_recovered_by_the_sweep(tenant, redis, processes, model_version):
    web, base = start_web(redis)
    processes.append(web)
    ids = post_batch(base, tenant, 40, "r2")
    with HeldRow(tenant, ids[-1], model_version):
        worker = start_worker(redis, concurrency=1)
        wait_for(lock_waiters, what="the worker to block mid-batch")
        worker.kill()  # the whole worker, main process and child
        # Simulated message loss: drop what the dead worker had reserved.
        redis.cli("DEL", "unacked", "unacked_index", "unacked_mutex")
        # (other apps' messages, e.g. the metrics rollup recompute, may wait there)
        assert "voice.analyze_feedback_batch" not in queued_task_names(redis)
    assert Feedback.all_orgs.filter(pk__in=ids, status="pending").count() == len(ids)
    started = time.monotonic()
    sweeper = start_worker(redis, concurrency=1, beat=True, name="sweeper",
                           PENDING_SWEEP_AFTER_SECONDS=1, PENDING_SWEEP_INTERVAL_SECONDS=1)
    processes.append(sweeper)
    wait_for(lambda: all_analyzed(ids), timeout=60, what="the sweep to recover every row")
    assert_scored_exactly_once(ids, model_version)
    assert "voice.sweep_pending_for_organization" in sweeper.output()
    print(f"R2: recovered {len(ids)} rows {time.monotonic() - started:.1f}s after the new worker")


def test_r3_a_task_outliving_the_visibility_timeout_runs_twice_harmlessly(
        tenant, redis, processes, model_version):
    web, base = start_web(redis)
    processes.append(web)
    ids = post_batch(base, tenant, 40, "r3")
    with HeldRow(tenant, ids[-1], model_version):
        slow = start_worker(redis, concurrency=1, CELERY_VISIBILITY_TIMEOUT=2, name="slow")
        processes.append(slow)
        wait_for(lock_waiters, what="the worker to block mid-batch")
        time.sleep(2.5)  # the message's visibility timeout passes while the task still runs
        # NOTE: kombu restores expired unacked messages when a consumer starts polling.
        second = start_worker(redis, concurrency=1, CELERY_VISIBILITY_TIMEOUT=2, name="second")
        processes.append(second)
        wait_for(lambda: "succeeded" in second.output(), timeout=60,
                 what="the duplicate delivery to run on the second worker")
    wait_for(lambda: all_analyzed(ids), timeout=60, what="every row analyzed")
    assert_scored_exactly_once(ids, model_version)
    assert "] received" in slow.output() and "] received" in second.output()


def test_r5_posts_are_accepted_while_redis_is_down_and_analyzed_after(tenant, redis, processes,
                                                                     model_version):
    web, base = start_web(redis)
    worker = start_worker(redis, concurrency=1, beat=True, PENDING_SWEEP_AFTER_SECONDS=2,
                          PENDING_SWEEP_INTERVAL_SECONDS=1)
    processes += [web, worker]
    redis.stop()
    results = [post(base, tenant.raw_key, "/api/v1/feedback/",
                    {"external_id": f"r5-{i}", "channel": "app", "text": "门店排队太久了"})
               for i in range(30)]
    assert {status for status, _body, _s in results} == {201}, results[:3]
    latencies = sorted(seconds for _status, _body, seconds in results)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    assert p99 < 1.0, latencies
    ids = [body["id"] for _status, body, _s in results]
    assert Feedback.all_orgs.filter(pk__in=ids, status="pending").count() == len(ids)
    redis.start()
    started = time.monotonic()
    wait_for(lambda: all_analyzed(ids), timeout=90, what="every row analyzed after Redis returns")
    assert_scored_exactly_once(ids, model_version)
    print(f"R5: p99 {p99 * 1000:.0f} ms with Redis down; all analyzed "
          f"{time.monotonic() - started:.1f}s after Redis returned")
