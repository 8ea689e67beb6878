"""File rows → partner-API items (Chinese spreadsheet realities) and chunk ingest with per-row
errors (ACCEPTANCE I7 for files: only the valid rows are stored, each bad row named)."""

import zoneinfo
from datetime import date, datetime

import pytest

from voice.models import Feedback
from voice.services.import_rows import chunk_ingest, row_to_item

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def item(**record):
    return row_to_item(record, tz=SHANGHAI)


@pytest.mark.parametrize("cell,expected", [("9", 9), ("9.0", 9), (9.0, 9), (9, 9), ("９", 9),
                                           (" 10 ", 10), ("１０.０", 10), ("9.5", "9.5"), ("九", "九")])
def test_scores(cell, expected):
    assert item(channel="app", nps=cell)["nps"] == expected


@pytest.mark.parametrize("cell,expected", [
    (datetime(2026, 11, 1, 9, 30), "2026-11-01T09:30:00+08:00"),
    (date(2026, 11, 1), "2026-11-01T00:00:00+08:00"),
    (46327.5, "2026-11-01T12:00:00+08:00"),
    ("2026/11/1 9:30", "2026-11-1 9:30"),
    ("2026年11月1日 09:30", "2026-11-1 09:30"),
    ("2026.11.01", "2026-11-01 00:00"),
    ("２０２６-１１-０１", "2026-11-01 00:00"),
    ("2026-11-01T09:30:00+00:00", "2026-11-01T09:30:00+00:00"),
])
def test_dates(cell, expected):
    assert item(channel="app", text="x", occurred_at=cell)["occurred_at"] == expected


def test_columns_map_to_the_api_shape():
    got = item(external_id=10023.0, channel=" 呼叫中心 ", touchpoint="delivery", customer_id="C1",
               segment="会员", text="  很好\x00 ", csat="", metadata_order_no="SO-1",
               metadata_amount=12.5, metadata_empty="", rejected_row=3, rejected_reason="x")
    assert got == {"external_id": "10023", "channel": "call_center", "touchpoint": "delivery",
                   "customer": {"external_id": "C1", "segment": "会员"}, "text": "很好",
                   "metadata": {"order_no": "SO-1", "amount": 12.5}}
    assert item(channel="Store", text="x")["channel"] == "store"
    assert item(channel="门店", text="x")["channel"] == "store"
    assert "customer" not in item(channel="app", segment="会员", text="x")


def test_chunk_ingest_stores_valid_rows_and_names_bad_ones(tenant, touchpoint):
    rows = [
        (2, item(external_id="A1", channel="app", text="好评", nps="10")),
        (3, item(external_id="A2", channel="app", text="差评", nps="11")),
        (4, item(external_id="A3", channel="fax", text="未知渠道")),
        (5, item(external_id="A4", channel="app", touchpoint="nope", text="x")),
        (6, item(external_id="A5", channel="app")),
        (7, item(external_id="A6", channel="app", text="坏日期", occurred_at="下周一")),
        (8, item(external_id="A1", channel="app", text="重复")),
        (9, item(external_id="A7", channel="app", touchpoint="delivery", customer_id="C9", text="好")),
    ]
    with tenant.scope():
        result = chunk_ingest(organization=tenant.org, items=rows)
    assert result.accepted == 2 and result.duplicates == 1
    reasons = dict(result.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert reasons[3].startswith("nps:") and reasons[4].startswith("channel:")
    assert "nope" in reasons[5] and reasons[6].startswith("text:") and reasons[7].startswith("occurred_at:")
    stored = Feedback.all_orgs.filter(organization=tenant.org).order_by("external_id")
    assert [f.external_id for f in stored] == ["A1", "A7"]
    assert all(f.source == "import" and f.status == "pending" for f in stored)
    assert stored[1].customer.external_id == "C9" and stored[1].touchpoint == touchpoint


def test_customer_id_errors_name_the_file_column(tenant):
    with tenant.scope():
        result = chunk_ingest(organization=tenant.org,
                              items=[(2, item(channel="app", text="x", customer_id="C" * 200))])
    assert result.errors[0][1].startswith("customer_id:")


def test_a_row_the_database_refuses_does_not_block_the_others(tenant, monkeypatch):
    from voice.services import import_rows

    real = import_rows.feedback_ingest_many

    def refuse_bad(*, organization, items, source, **kwargs):
        if any("坏" in item["text"] for item in items):
            from django.db import DataError

            raise DataError("value too long for type character varying(128)")
        return real(organization=organization, items=items, source=source, **kwargs)

    monkeypatch.setattr(import_rows, "feedback_ingest_many", refuse_bad)
    rows = [(2, item(channel="app", text="好")), (3, item(channel="app", text="坏")),
            (4, item(channel="app", text="也好"))]
    with tenant.scope():
        result = chunk_ingest(organization=tenant.org, items=rows)
    assert result.accepted == 2 and [n for n, _r in result.errors] == [3]
    assert "value too long" in result.errors[0][1]
