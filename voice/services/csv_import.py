"""Import of historical feedback from CSV (UTF-8 with/without BOM, or GBK) and Excel (.xlsx).

The upload is checked at once (format, size, encoding, header); a worker then imports the rows
in chunks. Each chunk commits together with the job's counters, so a re-run resumes from
`processed_rows` and never stores a row twice; `(channel, external_id)` dedupes as well.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from functools import partial
from itertools import islice

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cem.errors import ApplicationError
from cem.models import Organization
from voice.models import ImportJob
from voice.services.import_rows import IGNORED_COLUMNS, chunk_ingest, row_to_item

logger = logging.getLogger(__name__)

COLUMNS = ("external_id", "channel", "touchpoint", "customer_id", "segment", "text", "nps", "csat",
           "ces", "occurred_at")
SCORE_COLUMNS = ("nps", "csat", "ces")
REQUIRED_COLUMNS = ("channel",)
METADATA_PREFIX = "metadata_"
#: CSV encodings tried in order; gb18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")
MAX_FILE_BYTES = 20 * 1024 * 1024
CHUNK_ROWS = 500
#: chunks per task run; the task re-enqueues itself, so no run nears the broker's visibility timeout
CHUNKS_PER_TASK = 20
MAX_ERRORS_KEPT = 1000

ERR_FORMAT = _("Upload a .csv or .xlsx file (old .xls files: save them as .xlsx first).")
ERR_TOO_BIG = _("The file is larger than {mb} MB; split it into smaller files.")
ERR_EMPTY = _("The file is empty: its first row must hold the column names.")
ERR_ENCODING = _("The file is neither UTF-8 nor GBK text. In Excel choose “CSV UTF-8” when saving.")
ERR_BAD_XLSX = _("The Excel file cannot be read; save it again as .xlsx.")
ERR_BAD_CSV = _("The CSV file cannot be read: {error}")
ERR_UNKNOWN_COLUMNS = _("Unknown columns: {columns}. Allowed: {allowed}, and metadata_<name>.")
ERR_DUPLICATE_COLUMNS = _("These columns appear twice: {columns}.")
ERR_MISSING_COLUMNS = _("Missing columns: {columns}.")
ERR_NEEDS_CONTENT = _("Add a text column or a score column (nps, csat, ces).")
ERR_UNREADABLE = _("The file could not be read any more: {error}")


def _normalize_header(values) -> list[str]:
    return [str(v if v is not None else "").strip().lstrip("\ufeff").strip().lower() for v in values]


def check_header(header: list[str]) -> list[str]:
    """Validate the column names; returns them or raises ApplicationError naming the problem."""
    while header and header[-1] == "":
        header = header[:-1]  # Excel often leaves trailing empty header cells
    if not header:
        raise ApplicationError(ERR_EMPTY, field="file")
    unknown = [c for c in header if c not in COLUMNS and c not in IGNORED_COLUMNS and not
               (c.startswith(METADATA_PREFIX) and len(c) > len(METADATA_PREFIX))]
    if unknown:
        raise ApplicationError(ERR_UNKNOWN_COLUMNS.format(
            columns=", ".join(c or "(empty)" for c in unknown), allowed=", ".join(COLUMNS)),
            field="file")
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        raise ApplicationError(ERR_DUPLICATE_COLUMNS.format(columns=", ".join(duplicates)),
                               field="file")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ApplicationError(ERR_MISSING_COLUMNS.format(columns=", ".join(missing)), field="file")
    if not {"text", *SCORE_COLUMNS} & set(header):
        raise ApplicationError(ERR_NEEDS_CONTENT, field="file")
    return header


def detect_encoding(raw: bytes) -> str:
    """utf-8-sig when the bytes are UTF-8 (BOM or not), else gb18030; raises when neither."""
    for encoding in ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ApplicationError(ERR_ENCODING, field="file")


def _csv_reader(text_stream) -> Iterator[list[str]]:
    first = text_stream.readline()
    # NOTE: some spreadsheet exports use tabs or semicolons; a header line tells which.
    delimiter = max((",", "\t", ";"), key=first.count) if first else ","
    return csv.reader(_chain_line(first, text_stream), delimiter=delimiter)


def _chain_line(first: str, stream) -> Iterator[str]:
    yield first
    yield from stream


def _xlsx_rows(fileobj) -> Iterator[list]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ApplicationError(ERR_BAD_XLSX, field="file") from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def file_format(name: str) -> str:
    lowered = name.lower()
    for fmt in ImportJob.Format.values:
        if lowered.endswith("." + fmt):
            return fmt
    raise ApplicationError(ERR_FORMAT, field="file")


def inspect_upload(uploaded: UploadedFile) -> tuple[str, str, list[str]]:
    """(format, encoding, columns) of an upload; raises ApplicationError with a clear reason."""
    fmt = file_format(uploaded.name or "")
    if uploaded.size > MAX_FILE_BYTES:
        raise ApplicationError(ERR_TOO_BIG.format(mb=MAX_FILE_BYTES // (1024 * 1024)), field="file")
    uploaded.seek(0)
    if fmt == ImportJob.Format.CSV:
        raw = uploaded.read()
        encoding = detect_encoding(raw)
        try:
            header = next(_csv_reader(io.StringIO(raw.decode(encoding), newline="")), [])
        except csv.Error as exc:
            raise ApplicationError(ERR_BAD_CSV.format(error=exc), field="file") from exc
    else:
        encoding = ""
        header = next(_xlsx_rows(uploaded), [])
    uploaded.seek(0)
    return fmt, encoding, check_header(_normalize_header(header))


def _raw_rows(job: ImportJob, fileobj) -> Iterator[list]:
    if job.format == ImportJob.Format.XLSX:
        return _xlsx_rows(fileobj)
    return _csv_reader(io.TextIOWrapper(fileobj, encoding=job.encoding or "utf-8-sig", newline=""))


def iter_records(job: ImportJob, fileobj) -> Iterator[tuple[int, dict]]:
    """(row number as the spreadsheet shows it, {column: cell}) for each non-blank data row."""
    rows = _raw_rows(job, fileobj)
    header = _normalize_header(next(rows, []))
    for number, values in enumerate(rows, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        yield number, {col: val for col, val in zip(header, values, strict=False) if col}


@transaction.atomic
def import_job_create(*, organization: Organization, uploaded: UploadedFile,
                      created_by=None) -> ImportJob:
    """Check the upload, store it under MEDIA_ROOT/imports/<org>/ and enqueue the import."""
    fmt, encoding, columns = inspect_upload(uploaded)
    job = ImportJob(organization=organization, original_name=uploaded.name[:255], format=fmt,
                    encoding=encoding, columns=columns, created_by=created_by)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    job.file.save(f"{stamp}.{fmt}", uploaded, save=False)
    job.save()
    import_job_enqueue_on_commit(job=job)
    return job


def _publish(organization_id: int, job_id: int) -> None:
    from voice.tasks_import import process_import_job

    try:
        process_import_job.delay(organization_id, job_id)
    except Exception:  # noqa: BLE001 (broker down: the job page offers "resume")
        logger.warning("broker unavailable; import job %s stays queued", job_id)


def import_job_enqueue_on_commit(*, job: ImportJob) -> None:
    """(Re-)enqueue the job after commit; harmless when it is already running or finished."""
    transaction.on_commit(partial(_publish, job.organization_id, job.pk))


def _start(job: ImportJob) -> ImportJob | None:
    """Mark the job running and count its rows (first run only); fails it when unreadable."""
    with transaction.atomic():
        job = ImportJob.all_orgs.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return None
        if job.started_at is None:
            try:
                with job.file.open("rb") as fileobj:
                    job.total_rows = sum(1 for _ in iter_records(job, fileobj))
            except (ApplicationError, OSError, csv.Error, UnicodeDecodeError) as exc:
                _fail(job, exc)
                return None
            job.started_at = timezone.now()
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status", "started_at", "total_rows", "updated_at"])
    return job


def _fail(job: ImportJob, exc: Exception) -> None:
    error = getattr(exc, "message", None) or str(exc)
    job.status = ImportJob.Status.FAILED
    job.failure_reason = str(ERR_UNREADABLE.format(error=error))
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failure_reason", "finished_at", "updated_at"])


@transaction.atomic
def _commit_chunk(*, job_id: int, expected_processed: int, rows: list[tuple[int, dict]]) -> bool:
    """Ingest one chunk and advance the counters in one transaction; False when another run
    has moved the job on (this run then stops)."""
    job = ImportJob.all_orgs.select_for_update().select_related("organization").get(pk=job_id)
    if job.is_finished or job.processed_rows != expected_processed:
        return False
    if not rows:
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "updated_at"])
        return False
    tz = job.organization.tzinfo
    items = [(number, row_to_item(record, tz=tz)) for number, record in rows]
    result = chunk_ingest(organization=job.organization, items=items)
    job.processed_rows += len(rows)
    job.accepted_rows += result.accepted
    job.duplicate_rows += result.duplicates
    job.rejected_rows += len(result.errors)
    room = MAX_ERRORS_KEPT - len(job.errors)
    if room > 0:
        job.errors = job.errors + [{"row": n, "reason": r} for n, r in result.errors[:room]]
    job.save(update_fields=["processed_rows", "accepted_rows", "duplicate_rows", "rejected_rows",
                            "errors", "updated_at"])
    return True


def import_job_process(*, organization_id: int, job_id: int) -> None:
    """Import up to CHUNKS_PER_TASK chunks from `processed_rows` on, then re-enqueue or finish.

    Idempotent: finished jobs are left alone; a concurrent run of the same job stops at its
    first chunk because the locked counter has moved.
    """
    job = ImportJob.all_orgs.filter(organization_id=organization_id, pk=job_id).first()
    if job is None or job.is_finished:
        return
    job = _start(job)
    if job is None:
        return
    processed = job.processed_rows
    try:
        with job.file.open("rb") as fileobj:
            records = islice(iter_records(job, fileobj), processed, None)
            for _ in range(CHUNKS_PER_TASK):
                chunk = list(islice(records, CHUNK_ROWS))
                if not _commit_chunk(job_id=job.pk, expected_processed=processed, rows=chunk):
                    return
                processed += len(chunk)
    except (ApplicationError, OSError, csv.Error, UnicodeDecodeError) as exc:
        with transaction.atomic():
            _fail(ImportJob.all_orgs.select_for_update().get(pk=job.pk), exc)
        return
    with transaction.atomic():
        import_job_enqueue_on_commit(job=job)


ERR_NOT_RESUMABLE = _("This import is not stuck: it is running or already finished.")


@transaction.atomic
def import_job_resume(*, job: ImportJob) -> ImportJob:
    """Re-enqueue a job left queued (or running without progress); it resumes at
    `processed_rows`, so nothing is imported twice. Raises ApplicationError otherwise."""
    job = ImportJob.all_orgs.select_for_update().get(pk=job.pk)
    if not job.can_resume():
        raise ApplicationError(ERR_NOT_RESUMABLE)
    job.save(update_fields=["updated_at"])
    import_job_enqueue_on_commit(job=job)
    return job
