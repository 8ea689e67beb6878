"""Partner ingest over HTTP against PostgreSQL, end to end (gunicorn, web only, analysis async).

Prints: batch ingest items/s (1000-item batches, concurrent clients), single-POST latency
percentiles at 32 concurrent clients (wrk + Lua), and a raw PostgreSQL COPY of the same rows
into a copy of the feedback table (same indexes), with the ratio of the two.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencem_voice \\
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/ingest_http.py

Options: --batches 40 --clients 4 --workers 3 --threads 2 --port 8110 --wrk-seconds 20;
--floor adds the same closed loop against bench/floor_wsgi.py (the same SQL and Redis calls
without Django: the floor of any gunicorn + psycopg2 design on this machine).
Needs `wrk` for the single-POST part (Debian: apt-get install -y wrk); skipped without it.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ("快递太慢了，等了五天才到。", "客服态度很好，问题很快解决了。", "包装破损，商品有划痕。",
         "价格实惠，质量也不错，会回购。", "退款流程太复杂，打了三次电话。", "门店店员很热情。")
SEGMENTS = ("会员", "普通", "企业")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40, help="timed 1000-item batches")
    parser.add_argument("--clients", type=int, default=4, help="concurrent batch clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--wrk-seconds", type=int, default=20)
    parser.add_argument("--wrk-connections", type=int, default=32)
    parser.add_argument("--rates", default="50,100",
                        help="open-loop single-POST rates (requests/s) for 32 clients")
    parser.add_argument("--floor", action="store_true",
                        help="also measure bench/floor_wsgi.py (no Django) in the closed loop")
    return parser.parse_args()


def bench_env() -> dict:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (see the docstring).")
    return {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "API_KEY_RATE_LIMIT": "100000000/min",
            "LOG_LEVEL": "WARNING"}


def setup_tenant(env: dict) -> tuple[str, int]:
    """Migrate, and make (once) the bench organization with a touchpoint; a fresh API key."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=env, check=True)
    os.environ.update({k: env[k] for k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cem.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from cem import services
    from cem.models import Organization
    from cem.tenancy import org_scope
    from journeys.models import Journey, Stage, Touchpoint

    org = Organization.objects.filter(slug="bench").first() or services.organization_create(
        slug="bench", name="压测公司")
    with org_scope(org):
        if not Touchpoint.objects.filter(key="delivery").exists():
            journey = Journey.objects.create(organization=org, name="网购")
            stage = Stage.objects.create(organization=org, journey=journey, name="配送")
            Touchpoint.objects.create(organization=org, stage=stage, key="delivery", name="送货")
        _key, raw = services.api_key_create(organization=org, name="bench",
                                            scopes=["feedback:write", "feedback:read"])
    return raw, org.pk


def make_items(run: str, start: int, count: int) -> list[dict]:
    rng = random.Random(start)
    base = datetime.now(UTC) - timedelta(days=30)
    return [{"external_id": f"{run}-{i}", "channel": "app", "touchpoint": "delivery",
             "customer": {"external_id": f"C{(c := rng.randrange(5000))}",
                          "segment": SEGMENTS[c % len(SEGMENTS)]},
             "text": rng.choice(TEXTS), "nps": rng.randrange(11),
             "occurred_at": (base + timedelta(seconds=i * 7)).isoformat(),
             "metadata": {"order": f"SO-{i}", "store": "上海一店"}}
            for i in range(start, start + count)]


def start_server(env: dict, args, app: str = "cem.wsgi:application") -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), app, "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--threads", str(args.threads), "--log-level", "warning"],
        cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 503):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not start")


def post_batches(port: int, key: str, bodies: list[bytes], clients: int) -> tuple[float, list[float]]:
    """Post every body (one batch each) from `clients` threads; (seconds, latencies)."""
    pending = list(enumerate(bodies))
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
        while True:
            with lock:
                if not pending:
                    return
                _index, body = pending.pop()
            started = time.perf_counter()
            conn.request("POST", "/api/v1/feedback/batch/", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            with lock:
                latencies.append(time.perf_counter() - started)
                if response.status != 201:
                    failures.append(f"{response.status}: {payload[:200]!r}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        sys.exit(f"{len(failures)} batches failed, e.g. {failures[0]}")
    return elapsed, latencies


WRK_SCRIPT = """
local counter = 0
function setup(thread) thread:set("tid", tostring(math.random(1, 2000000000))) end
function request()
  counter = counter + 1
  local body = string.format('{"external_id":"%s-%s-%d","channel":"app","touchpoint":"delivery",'
    .. '"customer":{"external_id":"C%d"},"text":"快递太慢了，等了五天才到。",'
    .. '"nps":%d}', RUN, tid, counter, counter % 5000, counter % 11)
  return wrk.format("POST", "/api/v1/feedback/", HEADERS, body)
end
function done(summary, latency, requests)
  io.write(string.format('WRK {"requests":%d,"seconds":%.3f,"non2xx":%d,"errors":%d,'
    .. '"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\\n', summary.requests,
    summary.duration / 1e6, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def run_wrk(port: int, key: str, run: str, seconds: int, connections: int) -> dict | None:
    if shutil.which("wrk") is None:
        print("wrk not installed: single-POST latency skipped (apt-get install -y wrk)")
        return None
    headers = '{["Authorization"]="Api-Key ' + key + '", ["Content-Type"]="application/json"}'
    script = f'RUN = "{run}"\nHEADERS = {headers}\n' + WRK_SCRIPT
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                              "-s", handle.name, f"http://127.0.0.1:{port}/api/v1/feedback/"],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    return json.loads(line[4:])


def open_loop(port: int, key: str, run: str, *, rate: float, clients: int,
              seconds: float) -> dict:
    """`clients` connections each posting single items on a fixed schedule (together `rate`
    per second). Latency runs from the scheduled send time, so a slow server cannot hide its
    queue (no coordinated omission)."""
    interval = clients / rate
    start = time.perf_counter() + 0.5
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client(number: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
        for k in range(int(seconds / interval) + 1):
            scheduled = start + number * interval / clients + k * interval
            if scheduled > start + seconds:
                return
            if (delay := scheduled - time.perf_counter()) > 0:
                time.sleep(delay)
            body = json.dumps({"external_id": f"{run}-ol-{number}-{k}", "channel": "app",
                               "touchpoint": "delivery", "customer": {"external_id": f"C{k % 5000}"},
                               "text": TEXTS[k % len(TEXTS)], "nps": k % 11}, ensure_ascii=False)
            conn.request("POST", "/api/v1/feedback/", body=body.encode(), headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - scheduled)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"requests": len(latencies), "rate": len(latencies) / seconds, "statuses": statuses,
            **{f"p{p}_ms": percentile(latencies, p) * 1000 for p in (50, 95, 99)}}


COPY_COLUMNS = ("organization_id", "external_id", "channel", "source", "touchpoint_id",
                "customer_id", "segment", "text", "nps", "occurred_at", "received_at", "metadata",
                "status", "failure_reason", "attempts", "sentiment_corrected", "topics_corrected",
                "model_version")


def copy_rows(org_id: int, items: list[dict]) -> float:
    """Seconds to COPY the same rows into a copy of voice_feedback (same indexes)."""
    import csv

    from django.db import connection

    from journeys.models import Touchpoint
    from voice.models import Customer

    touchpoint = Touchpoint.all_orgs.get(organization_id=org_id, key="delivery").pk
    customers = dict(Customer.all_orgs.filter(organization_id=org_id)
                     .values_list("external_id", "pk"))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    now = datetime.now(UTC).isoformat()
    for item in items:
        writer.writerow([org_id, "copy-" + item["external_id"], item["channel"], "api", touchpoint,
                         customers.get(item["customer"]["external_id"], ""),
                         item["customer"]["segment"], item["text"], item["nps"],
                         item["occurred_at"], now, json.dumps(item["metadata"], ensure_ascii=False),
                         "pending", "", 0, "f", "f", ""])
    table = f"bench_copy_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} (LIKE voice_feedback INCLUDING ALL)")
        try:
            buffer.seek(0)
            started = time.perf_counter()
            cursor.copy_expert(f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, "
                               f"FORCE_NOT_NULL (segment, text, failure_reason, model_version))",
                               buffer)
            connection.connection.commit()
            return time.perf_counter() - started
        finally:
            cursor.execute(f"DROP TABLE {table}")
            connection.connection.commit()


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _backends() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return [row[0] for row in cursor.fetchall()]


class CpuMeter:
    """CPU seconds used by the gunicorn workers and by this database's PostgreSQL backends
    (the machine is shared: CPU time, unlike wall time, does not depend on the neighbours)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def sample(self) -> dict[str, float]:
        web = sum(_cpu_seconds(pid) for pid in [self.server_pid, *_children(self.server_pid)])
        return {"web": web, "db": sum(_cpu_seconds(pid) for pid in _backends())}

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        return {key: after[key] - before[key] for key in before}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _print_cpu(label: str, cpu: dict, count: int, unit: str) -> None:
    total = cpu["web"] + cpu["db"]
    if total <= 0:
        return
    cores = os.cpu_count() or 1
    print(f"  {label} CPU: web {cpu['web']:.2f} s + PostgreSQL {cpu['db']:.2f} s = "
          f"{total * 1000 / count:.2f} ms per {unit[:-1]}; on {cores} dedicated cores that is "
          f"~{count / total * cores:,.0f} {unit}/s")


def batch_phase(args, key: str, run: str, meter: CpuMeter) -> tuple[list[dict], float]:
    """Timed 1000-item batches from concurrent clients; returns (items, items per second)."""
    warmup = [json.dumps({"items": make_items(run + "w", i * 1000, 1000)}, ensure_ascii=False)
              .encode() for i in range(2)]
    items = make_items(run, 0, args.batches * 1000)
    bodies = [json.dumps({"items": items[i:i + 1000]}, ensure_ascii=False).encode()
              for i in range(0, len(items), 1000)]
    post_batches(args.port, key, warmup, args.clients)
    before = meter.sample()
    elapsed, latencies = post_batches(args.port, key, bodies, args.clients)
    cpu = meter.spent(before, meter.sample())
    per_second = len(items) / elapsed
    print(f"batch ingest: {len(items)} items in {elapsed:.2f} s = {per_second:,.0f} items/s; "
          f"batch latency p50 {percentile(latencies, 50) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, 95) * 1000:.0f} ms, mean "
          f"{statistics.mean(latencies) * 1000:.0f} ms")
    _print_cpu("batch", cpu, len(items), "items")
    return items, per_second


def closed_loop(args, key: str, run: str, meter: CpuMeter, label: str = "single POST") -> None:
    """Single POSTs from wrk's connections, each sending again as soon as it is answered."""
    before = meter.sample()
    single = run_wrk(args.port, key, run, args.wrk_seconds, args.wrk_connections)
    cpu = meter.spent(before, meter.sample())
    if single:
        print(f"{label}, {args.wrk_connections} connections: {single['requests']} requests "
              f"in {single['seconds']:.1f} s = {single['requests'] / single['seconds']:,.0f}/s; "
              f"p50 {single['p50_ms']:.1f} ms, p95 {single['p95_ms']:.1f} ms, "
              f"p99 {single['p99_ms']:.1f} ms; non-2xx {single['non2xx']}, "
              f"socket errors {single['errors']}")
        _print_cpu(label, cpu, single["requests"], "requests")


def single_phase(args, key: str, run: str, meter: CpuMeter) -> None:
    """Single POSTs: closed loop with wrk, then open loop at the given rates."""
    closed_loop(args, key, run, meter)
    for rate in (float(r) for r in args.rates.split(",") if r):
        result = open_loop(args.port, key, run + f"r{int(rate)}", rate=rate,
                           clients=args.wrk_connections, seconds=args.wrk_seconds)
        print(f"single POST open loop, {args.wrk_connections} clients at {rate:.0f}/s: "
              f"{result['requests']} requests ({result['rate']:.0f}/s), statuses "
              f"{result['statuses']}; p50 {result['p50_ms']:.1f} ms, "
              f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms")


def main():
    args = parse_args()
    env = bench_env()
    key, org_id = setup_tenant(env)
    run = datetime.now().strftime("%H%M%S") + secrets.token_hex(2)
    print(f"bench run {run}: gunicorn {args.workers} workers x {args.threads} threads, "
          f"{args.clients} batch clients, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}")
    server = start_server(env, args)
    meter = CpuMeter(server.pid)
    try:
        items, per_second = batch_phase(args, key, run, meter)
        single_phase(args, key, run, meter)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.floor:
        floor = start_server(env, args, app="bench.floor_wsgi:application")
        try:
            closed_loop(args, key, run + "f", CpuMeter(floor.pid),
                        label="floor (bench/floor_wsgi.py, no Django)")
        finally:
            floor.terminate()
            floor.wait(timeout=30)
    copy_seconds = copy_rows(org_id, items)
    copy_rate = len(items) / copy_seconds
    print(f"raw COPY of the same rows: {copy_seconds:.2f} s = {copy_rate:,.0f} rows/s; "
          f"HTTP batch ingest reaches {per_second / copy_rate:.1%} of COPY "
          f"(COPY is {copy_rate / per_second:.1f}x faster)")
    if os.environ.get("REDIS_URL"):
        from cem.celery import app

        purged = app.control.purge()
        print(f"purged {purged} queued analysis tasks (no worker ran in this bench)")


if __name__ == "__main__":
    main()
