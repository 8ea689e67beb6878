"""CSV files for people: the filtered feedback list, the import template, rejected import rows.

Every file is UTF-8 with a BOM so Excel opens Chinese text correctly, and cells that a
spreadsheet would run as a formula are defused (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from cem.errors import ApplicationError
from cem.tenancy import org_scope
from voice.keyset import keyset_page
from voice.models import ImportJob
from voice.services.csv_import import COLUMNS, iter_records
from voice.services.import_rows import cell_text

BOM = "\ufeff"
EXPORT_CHUNK_ROWS = 1000
EXPORT_COLUMNS = ("id", "occurred_at", "channel", "touchpoint", "customer_id", "segment", "text",
                  "nps", "csat", "ces", "status", "sentiment", "sentiment_score", "topics",
                  "external_id", "received_at", "metadata")
TEMPLATE_ROWS = (
    {"external_id": "ORDER-1001", "channel": "ecommerce_review", "touchpoint": "", "customer_id":
     "C-1001", "segment": "会员", "text": "物流很快，包装也很用心，下次还会再买。", "nps": "10",
     "csat": "", "ces": "", "occurred_at": "2026-11-01 09:30", "metadata_order_no": "SO-1001"},
    {"external_id": "CALL-2002", "channel": "call_center", "touchpoint": "", "customer_id": "C-2002",
     "segment": "普通", "text": "客服电话等了二十分钟才接通，问题还没解决。", "nps": "", "csat": "2",
     "ces": "", "occurred_at": "2026/11/02 14:05", "metadata_order_no": "SO-2002"},
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell as text; one that Excel would evaluate as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _export_row(row, tz) -> list:
    topics = "; ".join(f"{link.topic.name}({link.get_polarity_display()})"
                       for link in row.topic_links.all())
    return [
        row.pk, row.occurred_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"), row.channel,
        safe_cell(row.touchpoint.key if row.touchpoint else ""),
        safe_cell(row.customer.external_id if row.customer else ""), safe_cell(row.segment),
        safe_cell(row.text), row.nps if row.nps is not None else "",
        row.csat if row.csat is not None else "", row.ces if row.ces is not None else "",
        row.status, row.sentiment_label or "",
        "" if row.sentiment_score is None else round(row.sentiment_score, 4), safe_cell(topics),
        safe_cell(row.external_id or ""), row.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
        safe_cell(json.dumps(row.metadata, ensure_ascii=False) if row.metadata else ""),
    ]


def feedback_csv_stream(*, organization, queryset: QuerySet) -> Iterator[str]:
    """The rows of `queryset` (already filtered and scoped) as CSV text, chunk by chunk.

    NOTE: the response streams after the view returned, outside the request's tenant scope;
    each chunk is read inside the organization's scope and walks the keyset, not an OFFSET.
    """
    tz = organization.tzinfo
    yield BOM + _csv_text([list(EXPORT_COLUMNS)])
    cursor = None
    while True:
        with org_scope(organization):
            page = keyset_page(queryset, before=cursor, size=EXPORT_CHUNK_ROWS)
            text = _csv_text([_export_row(row, tz) for row in page.rows])
        yield text
        if page.older is None:
            return
        cursor = page.older


def import_template_csv() -> bytes:
    """The import template: every column, two example rows (UTF-8 with BOM)."""
    header = [*COLUMNS, "metadata_order_no"]
    rows = [header] + [[example.get(column, "") for column in header] for example in TEMPLATE_ROWS]
    return (BOM + _csv_text(rows)).encode("utf-8")


def import_template_xlsx() -> bytes:
    """The same template as an Excel workbook."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "feedback"
    header = [*COLUMNS, "metadata_order_no"]
    sheet.append(header)
    for example in TEMPLATE_ROWS:
        sheet.append([example.get(column, "") for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected_rows_csv(*, job: ImportJob) -> bytes:
    """The rejected rows with their row number and reason, then their original cells, so they can
    be fixed and uploaded again (the two extra columns are ignored on upload)."""
    reasons = {entry["row"]: entry["reason"] for entry in job.errors}
    columns = [c for c in job.columns if c]
    rows = [["rejected_row", "rejected_reason", *columns]]
    originals: dict[int, dict] = {}
    try:
        with job.file.open("rb") as fileobj:
            originals = {n: record for n, record in iter_records(job, fileobj) if n in reasons}
    except (OSError, ValueError, ApplicationError, csv.Error):
        originals = {}  # the file is gone: row numbers and reasons are still worth having
    for number in sorted(reasons):
        record = originals.get(number, {})
        rows.append([number, safe_cell(reasons[number]),
                     *[safe_cell(cell_text(record.get(column))) for column in columns]])
    return (BOM + _csv_text(rows)).encode("utf-8")
