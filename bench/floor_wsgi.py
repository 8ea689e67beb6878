"""The floor of the single POST on this stack: a bare WSGI callable, no Django at request time.

Used by `ingest_http.py --floor`. Per request it does what the product's lean single-POST path
does in the database and Redis (API key + organization read, the rate limit's MULTI/EXEC,
touchpoint + customer read, customer insert when new, feedback insert ON CONFLICT DO NOTHING,
commit) with psycopg2 and redis-py directly, and none of Django, DRF, validation, idempotency
or the analysis hand-over. No product should run this: it answers one question, how fast any
gunicorn + psycopg2 design could be on this machine.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from datetime import UTC, datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cem.settings")
django.setup()  # only to build the statements from the models, once

import psycopg2  # noqa: E402
import redis  # noqa: E402
from django.db import connection  # noqa: E402

from cem.rawsql import insert_sql, unique_conflict  # noqa: E402
from voice.models import Customer, Feedback  # noqa: E402
from voice.services.ingest_one import (  # noqa: E402
    _TOUCHPOINT_AND_CUSTOMER,
    CUSTOMER_KEY,
    FEEDBACK_KEY,
)

_KEY = ("SELECT k.id, k.secret_hash, k.revoked_at IS NULL, k.organization_id FROM cem_apikey k "
        "JOIN cem_organization o ON o.id = k.organization_id WHERE k.prefix = %s")
_FEEDBACK_SQL, _FEEDBACK_FIELDS = insert_sql(Feedback, unique_conflict(Feedback, FEEDBACK_KEY))
_CUSTOMER_SQL, _CUSTOMER_FIELDS = insert_sql(Customer, unique_conflict(Customer, CUSTOMER_KEY))
_REDIS = redis.Redis.from_url(os.environ["REDIS_URL"])
_local = threading.local()


def _template(obj, fields) -> tuple[list, dict[str, int]]:
    """The insert's parameters for a default row, and each field's position."""
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    return values, {f.attname: i for i, f in enumerate(fields)}


_FEEDBACK_ROW = _template(Feedback(channel="app", occurred_at=datetime.now(UTC)), _FEEDBACK_FIELDS)
_CUSTOMER_ROW = _template(Customer(external_id=""), _CUSTOMER_FIELDS)


def _cursor():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = psycopg2.connect(os.environ["DATABASE_URL"])
    return conn, conn.cursor()


def _row(template: tuple[list, dict[str, int]], **values) -> list:
    row, positions = list(template[0]), template[1]
    for name, value in values.items():
        row[positions[name]] = value
    return row


def application(environ, start_response):
    if environ["REQUEST_METHOD"] == "GET":  # ingest_http.start_server waits for this
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]
    body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or "{}")
    prefix, _sep, secret = environ.get("HTTP_AUTHORIZATION", "")[len("Api-Key "):].partition(".")
    conn, cursor = _cursor()
    cursor.execute(_KEY, [prefix])
    row = cursor.fetchone()
    digest = hashlib.sha256(secret.encode()).hexdigest()
    if row is None or not row[2] or not hmac.compare_digest(digest, row[1]):
        start_response("401 Unauthorized", [("Content-Length", "0")])
        return [b""]
    key_id, org_id = row[0], row[3]
    window = int(time.time() // 60)
    pipe = _REDIS.pipeline(transaction=True)
    pipe.set(f"floor:{key_id}:{window}", 0, ex=121, nx=True)
    pipe.incr(f"floor:{key_id}:{window}")
    pipe.get(f"floor:{key_id}:{window - 1}")
    pipe.execute()
    ref = body.get("customer") or {}
    cursor.execute(_TOUCHPOINT_AND_CUSTOMER, [org_id, body.get("touchpoint") or "", org_id,
                                              ref.get("external_id") or ""])
    touchpoint_id, customer_id, _segment = cursor.fetchone()
    now = datetime.now(UTC)
    if ref and customer_id is None:
        cursor.execute(_CUSTOMER_SQL, _row(_CUSTOMER_ROW, organization_id=org_id,
                                           external_id=ref["external_id"], created_at=now,
                                           updated_at=now))
        customer_id = (cursor.fetchone() or [None])[0]
    cursor.execute(_FEEDBACK_SQL, _row(
        _FEEDBACK_ROW, organization_id=org_id, external_id=body.get("external_id"),
        channel=body["channel"], touchpoint_id=touchpoint_id, customer_id=customer_id,
        text=body.get("text", ""), nps=body.get("nps"), occurred_at=now, received_at=now,
        source="api"))
    feedback_id = (cursor.fetchone() or [None])[0]
    conn.commit()
    out = json.dumps({"id": feedback_id, "status": "pending"}).encode()
    start_response("201 Created" if feedback_id else "200 OK",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]

