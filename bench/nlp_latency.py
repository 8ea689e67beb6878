#!/usr/bin/env python
"""From POST to `analyzed`: partners post feedback at a sustained rate (open loop) to a real
gunicorn web server; a real Celery worker (prefork) analyzes it with the default model.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencem_bench DEBUG=1 \\
        .venv/bin/python bench/nlp_latency.py [--rate 100] [--seconds 60] [--per-request 1]

Starts a private redis-server, gunicorn (2 workers x 4 threads) and one worker
(`--concurrency 2` by default) on the given database, in the organization `bench-latency`.
Each item's latency is its `analyzed_at` minus the moment the client sent it; prints
p50/p95/p99/max, the rate reached and how many items were late or missing. Target (issue 4):
p95 <= 5 s at 100 items/s.
"""

import argparse
import json
import os
import re
import statistics
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cem.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from cem import services  # noqa: E402
from cem.models import ApiKey, Organization  # noqa: E402
from tests.processing.harness import RedisServer, start_web, start_worker, wait_for  # noqa: E402
from voice.models import Feedback  # noqa: E402
from voice.services.models import analyzer_for_organization  # noqa: E402

SLUG = "bench-latency"
TEXTS = ("快递太慢了，等了五天才到。", "客服态度很好，问题很快解决了。", "包装破损，商品有划痕，很失望",
         "价格实惠，质量也不错，会回购。", "退款流程太复杂，打了三次电话。", "门店店员很热情，但是排队太久了。",
         "骑手送餐很准时，味道也好", "APP总是闪退，支付失败了两次")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="items per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--per-request", type=int, default=1, help="items per POST (1 = single)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--senders", type=int, default=32, help="client threads")
    return parser.parse_args()


def setup_org() -> tuple[Organization, str]:
    call_command("migrate", verbosity=0)
    org = (Organization.objects.filter(slug=SLUG).first()
           or services.organization_create(slug=SLUG, name="延迟基准"))
    _key, raw = services.api_key_create(organization=org, name=f"bench-{int(time.time())}",
                                        scopes=[ApiKey.Scope.FEEDBACK_WRITE])
    return org, raw


def post(base: str, raw_key: str, items: list[dict]) -> int:
    path, body = ("/api/v1/feedback/", items[0]) if len(items) == 1 else \
        ("/api/v1/feedback/batch/", {"items": items})
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Api-Key {raw_key}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def run(args, base: str, raw_key: str) -> tuple[dict[str, float], int]:
    """Open loop: request i leaves at start + i / request_rate, whatever the answers do."""
    run_id = f"{int(time.time())}"
    request_rate = args.rate / args.per_request
    total = int(args.seconds * request_rate)
    sent: dict[str, float] = {}
    errors = 0
    lock = threading.Lock()

    def one(i: int, due: float) -> None:
        nonlocal errors
        time.sleep(max(0.0, due - time.monotonic()))
        items = [{"external_id": f"lat-{run_id}-{i}-{j}", "channel": "app",
                  "text": TEXTS[(i + j) % len(TEXTS)] + f" #{i}"} for j in range(args.per_request)]
        wall = time.time()
        try:
            status = post(base, raw_key, items)
        except OSError:
            status = 0
        with lock:
            if status == 201:
                sent.update({item["external_id"]: wall for item in items})
            else:
                errors += 1

    start = time.monotonic() + 0.5
    with ThreadPoolExecutor(args.senders) as pool:
        for i in range(total):
            pool.submit(one, i, start + i / request_rate)
    return sent, errors


SUCCEEDED = re.compile(r"Task ([\w.]+)\[[^\]]+\] succeeded in ([\d.]+)s")


def worker_task_times(log: str) -> dict[str, list[float]]:
    """Seconds each task took, from the worker's INFO log ("Task … succeeded in 0.01s")."""
    found = defaultdict(list)
    for name, seconds in SUCCEEDED.findall(log):
        found[name].append(float(seconds))
    return found


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (see the docstring).")
    org, raw_key = setup_org()
    analyzer_for_organization(organization_id=org.pk)  # build/cache the model before the clock
    redis = RedisServer().start()
    processes = []
    try:
        web, base = start_web(redis, API_KEY_RATE_LIMIT="100000000/min", LOG_LEVEL="WARNING")
        processes.append(web)
        worker = start_worker(redis, concurrency=args.concurrency, LOG_LEVEL="WARNING")
        processes.append(worker)
        post(base, raw_key, [{"external_id": f"warm-{time.time()}", "channel": "app", "text": "预热"}])
        wait_for(lambda: not Feedback.all_orgs.filter(organization=org, status="pending").exists(),
                 timeout=120, what="the worker to load the model")
        began = time.monotonic()
        sent, errors = run(args, base, raw_key)
        elapsed = time.monotonic() - began
        ids = list(sent)
        wait_for(lambda: Feedback.all_orgs.filter(organization=org, external_id__in=ids,
                                                   status="analyzed").count() == len(ids),
                 timeout=300, what="every item analyzed")
        done = dict(Feedback.all_orgs.filter(organization=org, external_id__in=ids)
                    .values_list("external_id", "analyzed_at"))
        latencies = sorted(done[key].timestamp() - sent[key] for key in ids)
        task_times = worker_task_times(worker.output())
    finally:
        for process in processes:
            process.stop()
        redis.stop()
    pct = statistics.quantiles(latencies, n=100)
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M}Z  POST -> analyzed, {args.per_request} item(s) per "
          f"request, worker concurrency {args.concurrency}")
    print(f"items {len(latencies)} in {elapsed:.1f} s = {len(latencies) / elapsed:.1f} items/s "
          f"(target rate {args.rate:g}); failed requests {errors}")
    print(f"latency s: p50 {pct[49]:.2f}  p95 {pct[94]:.2f}  p99 {pct[98]:.2f}  "
          f"max {latencies[-1]:.2f}  (target p95 <= 5 s)")
    for name, times in sorted(task_times.items(), key=lambda kv: -sum(kv[1])):
        print(f"  worker task {name}: {len(times)} runs, {sum(times):.1f} s in all, "
              f"mean {1000 * statistics.fmean(times):.0f} ms")


if __name__ == "__main__":
    main()
