"""Feedback ingest: store validated items `pending` in one transaction, enqueue analysis on commit.

Natural-key dedupe: `external_id` is unique per (organization, channel). A resend returns the
stored row (created=False) and stores nothing twice, within one batch, across batches, and
when two requests race (the unique constraint decides; the loser re-reads).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from cem import events
from journeys.selectors import touchpoints_by_key
from voice.models import Feedback
from voice.services.customers import customers_for_refs
from voice.services.processing import enqueue_analysis_on_commit


@dataclass
class IngestResult:
    feedback: Feedback
    created: bool


def _natural_key(data: dict) -> tuple[str, str] | None:
    return (data["channel"], data["external_id"]) if data.get("external_id") else None


def _existing_by_key(organization, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Feedback]:
    if not keys:
        return {}
    ids = {ext for _channel, ext in keys}
    channels = {channel for channel, _ext in keys}
    # NOTE: the channel narrows the lookup to exact keys of the unique index; without it
    # PostgreSQL walks every channel of the organization (25 ms at 100k rows per request).
    # NOTE: order_by() drops the default ordering, which made the planner walk the
    # occurred_at index instead.
    rows = Feedback.all_orgs.filter(organization=organization, channel__in=channels,
                                    external_id__in=ids).order_by()
    return {(f.channel, f.external_id): f for f in rows if (f.channel, f.external_id) in keys}


def feedback_row(organization, data: dict, *, source: str, touchpoint_id: int | None,
                 customer_id: int | None, customer_segment: str = "") -> Feedback:
    """The unsaved row of one clean item; the segment is the customer's, else the item's."""
    return Feedback(
        organization=organization, external_id=data.get("external_id"), channel=data["channel"],
        source=source, touchpoint_id=touchpoint_id, customer_id=customer_id,
        segment=customer_segment or (data.get("customer") or {}).get("segment", ""),
        text=data.get("text", ""), nps=data.get("nps"), csat=data.get("csat"), ces=data.get("ces"),
        occurred_at=data["occurred_at"], metadata=data.get("metadata", {}),
    )


def announce_new(*, organization_id: int, feedback_ids: list[int]) -> None:
    """Enqueue analysis of freshly stored rows on commit and tell the other apps."""
    enqueue_analysis_on_commit(organization_id=organization_id, feedback_ids=feedback_ids)
    events.announce(events.FEEDBACK_INGESTED, organization_id=organization_id,
                    feedback_ids=feedback_ids)


def _build(organization, data: dict, *, source: str, touchpoints: dict, customers: dict) -> Feedback:
    customer_ref = data.get("customer") or None
    customer = customers.get(customer_ref["external_id"]) if customer_ref else None
    touchpoint = touchpoints.get(data["touchpoint"]) if data.get("touchpoint") else None
    return feedback_row(organization, data, source=source,
                        touchpoint_id=touchpoint.pk if touchpoint else None,
                        customer_id=customer.pk if customer else None,
                        customer_segment=customer.segment if customer else "")


def _insert_new(organization, items, *, source, touchpoints, customers) -> list[IngestResult]:
    keys = {k for item in items if (k := _natural_key(item))}
    existing = _existing_by_key(organization, keys)
    results: list[IngestResult | None] = []
    fresh: list[Feedback] = []
    seen: dict[tuple[str, str], int] = {}
    for item in items:
        key = _natural_key(item)
        if key in existing:
            results.append(IngestResult(existing[key], False))
        elif key is not None and key in seen:
            results.append(None)  # duplicate inside this batch: filled from its first occurrence
        else:
            row = _build(organization, item, source=source, touchpoints=touchpoints,
                         customers=customers)
            fresh.append(row)
            if key is not None:
                seen[key] = len(results)
            results.append(IngestResult(row, True))
    Feedback.all_orgs.bulk_create(fresh, batch_size=500)
    for index, item in enumerate(items):
        if results[index] is None:
            results[index] = IngestResult(results[seen[_natural_key(item)]].feedback, False)
    return results


@transaction.atomic
def feedback_ingest_many(*, organization, items: list[dict], source: str,
                         touchpoints: dict | None = None) -> list[IngestResult]:
    """Store clean items (see voice.validation) all-or-nothing; returns one result per item."""
    # NOTE: callers that validated against the touchpoints already pass them (one query less).
    if touchpoints is None:
        touchpoints = touchpoints_by_key(organization=organization)
    refs = [item["customer"] for item in items if item.get("customer")]
    customers = customers_for_refs(organization=organization, refs=refs)
    try:
        with transaction.atomic():
            results = _insert_new(organization, items, source=source, touchpoints=touchpoints,
                                  customers=customers)
    except IntegrityError:
        # NOTE: a concurrent request stored one of our natural keys first; re-read and retry once.
        results = _insert_new(organization, items, source=source, touchpoints=touchpoints,
                              customers=customers)
    new_ids = [r.feedback.pk for r in results if r.created]
    if new_ids:
        announce_new(organization_id=organization.pk, feedback_ids=new_ids)
    return results


def feedback_ingest(*, organization, data: dict, source: str) -> IngestResult:
    """Store one clean item; a natural-key resend returns the stored row with created=False."""
    return feedback_ingest_many(organization=organization, items=[data], source=source)[0]
