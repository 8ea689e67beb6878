"""The lean path for one feedback item (the partner API's single POST): a few plain SQL
statements instead of the ORM's per-request query building.

It stores exactly what `feedback_ingest_many` stores for one item (the same row, the same
customer upsert, the same natural-key answer for a resend) and returns None whenever it
cannot decide alone (an unknown touchpoint key, a customer created by a concurrent request in
between): the caller then runs the general path, which gives the full answer.

NOTE: the ORM spent about 3 ms of CPU per single POST building five queries (bench/
ingest_http.py); the inserts are built once per process from the models' own fields
(cem.rawsql), so a field added to Feedback or Customer is written here too, with its default.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from cem.rawsql import insert_row, unique_conflict
from voice.models import Customer, Feedback
from voice.services.ingest import IngestResult, announce_new, feedback_row

_TOUCHPOINT_AND_CUSTOMER = """
SELECT (SELECT id FROM journeys_touchpoint WHERE organization_id = %s AND key = %s),
       c.id, c.segment
FROM (SELECT 1) AS one
LEFT JOIN voice_customer AS c ON c.organization_id = %s AND c.external_id = %s
"""
_FEEDBACK_BY_KEY = ("SELECT id, status FROM voice_feedback WHERE organization_id = %s AND "
                    "channel = %s AND external_id = %s")
_CUSTOMER_SEGMENT = "UPDATE voice_customer SET segment = %s, updated_at = %s WHERE id = %s"


FEEDBACK_KEY = "feedback_org_channel_ext_uniq"
CUSTOMER_KEY = "customer_org_external_uniq"


def _customer(cursor, organization, ref: dict, found: tuple | None) -> tuple[int, str] | None:
    """(id, segment) of the referenced customer, created or its segment updated as given."""
    segment = ref.get("segment") or ""
    if found is None:
        customer = Customer(organization=organization, external_id=ref["external_id"],
                            segment=segment)
        pk = insert_row(cursor, customer, unique_conflict(Customer, CUSTOMER_KEY))
        return None if pk is None else (pk, segment)
    pk, stored = found
    if segment and segment != stored:
        cursor.execute(_CUSTOMER_SEGMENT, [segment, timezone.now(), pk])
        return pk, segment
    return pk, stored


@transaction.atomic
def feedback_ingest_one(*, organization, data: dict, source: str) -> IngestResult | None:
    """Store one clean item (see voice.validation); None: use `feedback_ingest_many`."""
    ref = data.get("customer") or None
    touchpoint_key = data.get("touchpoint") or None
    with connection.cursor() as cursor:
        cursor.execute(_TOUCHPOINT_AND_CUSTOMER, [organization.pk, touchpoint_key or "",
                                                  organization.pk, ref["external_id"] if ref else ""])
        touchpoint_id, customer_id, stored_segment = cursor.fetchone()
        if touchpoint_key and touchpoint_id is None:
            return None  # unknown key: the general path names it in its 400
        customer = None
        if ref:
            customer = _customer(cursor, organization, ref,
                                 (customer_id, stored_segment) if customer_id else None)
            if customer is None:
                return None  # created concurrently since our read: the general path re-reads
        feedback = feedback_row(organization, data, source=source, touchpoint_id=touchpoint_id,
                                customer_id=customer[0] if customer else None,
                                customer_segment=customer[1] if customer else "")
        feedback.pk = insert_row(cursor, feedback, unique_conflict(Feedback, FEEDBACK_KEY))
        if feedback.pk is None:  # a resend of a stored natural key: answer the stored row
            cursor.execute(_FEEDBACK_BY_KEY, [organization.pk, feedback.channel,
                                              feedback.external_id])
            row = cursor.fetchone()
            if row is None:
                return None
            feedback.pk, feedback.status = row
            return IngestResult(feedback, False)
    announce_new(organization_id=organization.pk, feedback_ids=[feedback.pk])
    return IngestResult(feedback, True)
