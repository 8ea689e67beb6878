"""File rows → partner-API items, and the ingest of one chunk of them with per-row errors.

Spreadsheets from Chinese offices arrive with GBK text, Excel date cells (or serial numbers),
scores like "9.0" or full-width "９", and blank lines; `row_to_item` evens that out and leaves
validation to `voice.validation.feedback_item_clean`, as for partners. In `chunk_ingest` one
bad row never blocks the others: it is reported with its row number and reason.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from journeys.selectors import touchpoints_by_key
from voice.models import Channel, Feedback
from voice.services.ingest import feedback_ingest_many
from voice.validation import FeedbackItemCleaner

logger = logging.getLogger(__name__)

METADATA_PREFIX = "metadata_"
SCORE_COLUMNS = ("nps", "csat", "ces")
#: columns of a downloaded "rejected rows" file, ignored on re-upload
IGNORED_COLUMNS = ("rejected_row", "rejected_reason")
#: Excel's day zero for serial date numbers (1900 system, with its leap-year quirk)
EXCEL_EPOCH = datetime(1899, 12, 30)
#: Excel serial numbers of 1970-01-01 and 2100-01-01: a plausible date cell lies between.
EXCEL_SERIAL_RANGE = (25569, 73051)
#: how a column of the file is named in a reason (the API's nested names differ)
COLUMN_NAMES = {"customer": "customer_id", "customer.external_id": "customer_id",
                "customer.segment": "segment"}
ERR_STORE = _("The row could not be stored: {error}")

_DATE_SEPARATORS = re.compile(r"[/.年月]")


@functools.lru_cache(maxsize=1)
def _channel_aliases() -> dict[str, str]:
    """Channel values, and their English and Chinese labels, to the channel value."""
    aliases = {value: value for value in Channel.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            aliases.update({str(label).strip().lower(): value for value, label in Channel.choices})
    return aliases


def cell_text(value) -> str:
    """A cell as clean text: numbers without a spurious '.0', NULs dropped, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\x00", "").strip()


def _score(value):
    """'9', '9.0', 9.0, '９' → 9; anything else is passed on for the validator to name."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else value
    text = unicodedata.normalize("NFKC", cell_text(value))
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    return text


def _occurred_at(value, tz) -> str:
    """An ISO 8601 string from a datetime cell, an Excel serial number or common text forms."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool) \
            and EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
        moment = EXCEL_EPOCH + timedelta(days=float(value))
        moment = moment.replace(microsecond=0)
    else:
        text = unicodedata.normalize("NFKC", cell_text(value)).replace("日", " ")
        text = re.sub(r"\s+", " ", text).strip()
        text = _DATE_SEPARATORS.sub("-", text, count=2) if re.match(r"\d{4}[/.年]", text) else text
        return f"{text} 00:00" if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text) else text
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, tz)
    return moment.isoformat()


def row_to_item(record: dict, *, tz) -> dict:
    """The partner-API item for one file row `{column: cell}`; empty cells are left out."""
    item: dict = {}
    metadata: dict = {}
    for column, cell in record.items():
        if column in IGNORED_COLUMNS or cell is None or cell_text(cell) == "":
            continue
        if column.startswith(METADATA_PREFIX):
            metadata[column[len(METADATA_PREFIX):]] = (
                cell_text(cell) if isinstance(cell, str | datetime | date) else cell)
        elif column in SCORE_COLUMNS:
            item[column] = _score(cell)
        elif column == "occurred_at":
            item[column] = _occurred_at(cell, tz)
        elif column == "channel":
            text = unicodedata.normalize("NFKC", cell_text(cell)).lower()
            item[column] = _channel_aliases().get(text, text)
        elif column not in ("customer_id", "segment"):
            item[column] = cell_text(cell)
    customer_id = cell_text(record.get("customer_id"))
    if customer_id:
        item["customer"] = {"external_id": customer_id}
        segment = cell_text(record.get("segment"))
        if segment:
            item["customer"]["segment"] = segment
    if metadata:
        item["metadata"] = metadata
    return item


def _flatten(detail, prefix: str = "") -> list[tuple[str, str]]:
    """(field path, message) pairs from a DRF error detail."""
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            name = prefix if key == "non_field_errors" else f"{prefix}.{key}" if prefix else str(key)
            pairs += _flatten(value, name)
        return pairs
    if isinstance(detail, list):
        return [pair for value in detail for pair in _flatten(value, prefix)]
    return [(prefix, str(detail))]


def error_reason(exc: serializers.ValidationError) -> str:
    """'nps: …; occurred_at: …' naming the file's columns."""
    parts = []
    for name, message in _flatten(exc.detail):
        column = COLUMN_NAMES.get(name, name)
        parts.append(f"{column}: {message}" if column else message)
    return "; ".join(parts)


@dataclass
class ChunkResult:
    accepted: int = 0
    duplicates: int = 0
    #: [(row number, reason)] in row order
    errors: list[tuple[int, str]] = field(default_factory=list)


def _store_one_by_one(organization, numbered: list[tuple[int, dict]], result: ChunkResult) -> None:
    """Fallback when the chunk as a whole hits a database error: isolate the bad rows."""
    for number, item in numbered:
        try:
            with transaction.atomic():
                (stored,) = feedback_ingest_many(organization=organization, items=[item],
                                                 source=Feedback.Source.IMPORT)
        except DatabaseError as exc:
            result.errors.append((number, ERR_STORE.format(error=str(exc).splitlines()[0][:200])))
            continue
        result.accepted += stored.created
        result.duplicates += not stored.created


@transaction.atomic
def chunk_ingest(*, organization, items: list[tuple[int, dict]]) -> ChunkResult:
    """Validate each (row number, item) and store the valid ones; returns the counts and the
    rejected rows. A row whose (channel, external_id) is already stored counts as a duplicate."""
    touchpoints = touchpoints_by_key(organization=organization)
    cleaner = FeedbackItemCleaner(organization=organization, touchpoints=touchpoints)
    result = ChunkResult()
    clean: list[tuple[int, dict]] = []
    for number, raw in items:
        try:
            clean.append((number, cleaner.clean(raw)))
        except serializers.ValidationError as exc:
            result.errors.append((number, error_reason(exc)))
    if clean:
        try:
            with transaction.atomic():
                stored = feedback_ingest_many(organization=organization,
                                              items=[item for _n, item in clean],
                                              source=Feedback.Source.IMPORT,
                                              touchpoints=touchpoints)
        except DatabaseError:
            logger.warning("import chunk hit a database error; storing its rows one by one")
            _store_one_by_one(organization, clean, result)
        else:
            result.accepted = sum(r.created for r in stored)
            result.duplicates = len(stored) - result.accepted
    result.errors.sort()
    return result
