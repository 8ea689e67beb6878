"""CSV export of the filtered explorer list: streamed, UTF-8 with BOM, same filters, the org's
time zone, formula cells defused, other tenants' rows never included."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.voice.helpers import analyze, make_feedback
from voice import exports
from voice.models import Feedback

pytestmark = pytest.mark.django_db


def _export(client, query=""):
    response = client.get(reverse("feedback-export") + query)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_exports_the_filtered_rows(tenant, touchpoint, manager_client):
    bad = analyze(make_feedback(tenant, touchpoint="delivery", text="配送太慢", nps=2,
                                customer={"external_id": "C1", "segment": "会员"},
                                metadata={"order": "SO-1"})[0], topics=[("物流配送", "pain")])
    make_feedback(tenant, text="其他渠道", channel="web")
    Feedback.all_orgs.filter(pk=bad.pk).update(occurred_at=datetime(2026, 10, 1, 16, 0, tzinfo=UTC))
    rows = _export(manager_client, "?channel=app&sentiment=negative")
    assert len(rows) == 1
    row = rows[0]
    assert row["text"] == "配送太慢" and row["touchpoint"] == "delivery" and row["nps"] == "2"
    assert row["customer_id"] == "C1" and row["segment"] == "会员" and row["sentiment"] == "negative"
    assert row["topics"] == "物流配送(痛点)" and row["occurred_at"] == "2026-10-02 00:00:00"
    assert row["metadata"] == '{"order": "SO-1"}'
    assert len(_export(manager_client)) == 2


def test_formula_cells_are_defused(tenant, manager_client):
    make_feedback(tenant, text="=HYPERLINK(\"http://evil\")", customer={"external_id": "+C1"})
    row = _export(manager_client)[0]
    assert row["text"].startswith("'=") and row["customer_id"] == "'+C1"


def test_streams_in_chunks_past_the_chunk_size(tenant, manager_client, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK_ROWS", 3)
    made = make_feedback(tenant, 8)
    rows = _export(manager_client)
    assert sorted(int(r["id"]) for r in rows) == sorted(r.pk for r in made)


def test_other_tenants_rows_are_never_exported(world):
    from tests.conftest import session_client

    victim, attacker = world
    rows = _export(session_client(attacker.users["manager"]))
    assert rows and all(victim.marker not in ",".join(r.values()) for r in rows)
