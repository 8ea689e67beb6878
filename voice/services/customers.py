"""Customer upserts by the partner's external_id (unique per organization)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from voice.models import Customer

ERR_CHURN_BEFORE_SINCE = "churned_at is before since."


def _apply(customer: Customer, data: dict) -> list[str]:
    changed = []
    for field in ("segment", "since", "attributes"):
        if field in data and getattr(customer, field) != data[field]:
            setattr(customer, field, data[field])
            changed.append(field)
    status = data.get("status")
    if status == Customer.Status.CHURNED:
        churned_at = data.get("churned_at") or customer.churned_at or timezone.now()
        if (customer.status, customer.churned_at) != (status, churned_at):
            customer.status, customer.churned_at = status, churned_at
            changed += ["status", "churned_at"]
    elif status == Customer.Status.ACTIVE and customer.status != status:
        customer.status, customer.churned_at = status, None
        changed += ["status", "churned_at"]
    return changed


@transaction.atomic
def customer_upsert(*, organization, data: dict) -> tuple[Customer, bool]:
    """Create or update a customer by `external_id`; returns (customer, created). Race-safe."""
    lookup = {"organization": organization, "external_id": data["external_id"]}
    customer = Customer.all_orgs.select_for_update(no_key=True).filter(**lookup).first()
    created = customer is None
    if created:
        try:
            with transaction.atomic():
                customer = Customer.all_orgs.create(**lookup)
        except IntegrityError:
            customer = Customer.all_orgs.select_for_update(no_key=True).get(**lookup)
            created = False
    changed = _apply(customer, data)
    if changed:
        customer.save(update_fields=[*set(changed), "updated_at"])
    return customer, created


def customers_for_refs(*, organization, refs: list[dict]) -> dict[str, Customer]:
    """Customers for `{"external_id", "segment"?}` refs, created in bulk when missing.

    A given segment updates the stored one (the partner knows its customers best).
    NOTE: rows are inserted sorted by external_id and locked sorted by id before a segment
    update, so concurrent batches sharing customers wait for each other instead of
    deadlocking (found by bench/ingest_http.py). The lock is FOR NO KEY UPDATE: the segment
    is no key, and a FOR UPDATE lock also stopped every feedback insert that merely refers to
    the customer (its foreign-key check takes FOR KEY SHARE), which deadlocked two batches.
    """
    wanted: dict[str, str | None] = {}
    for ref in refs:
        wanted[ref["external_id"]] = ref.get("segment") or wanted.get(ref["external_id"])
    if not wanted:
        return {}
    existing = {c.external_id: c for c in Customer.all_orgs.filter(
        organization=organization, external_id__in=list(wanted)).order_by()}
    missing = [Customer(organization=organization, external_id=ext, segment=wanted[ext] or "")
               for ext in sorted(wanted) if ext not in existing]
    if missing:
        Customer.all_orgs.bulk_create(missing, ignore_conflicts=True)
        existing = {c.external_id: c for c in Customer.all_orgs.filter(
            organization=organization, external_id__in=list(wanted)).order_by()}
    stale = sorted((c for ext, c in existing.items() if wanted[ext] and c.segment != wanted[ext]),
                   key=lambda customer: customer.pk)
    if stale:
        list(Customer.all_orgs.select_for_update(no_key=True).filter(pk__in=[c.pk for c in stale])
             .order_by("pk").values_list("pk", flat=True))
        for customer in stale:
            customer.segment = wanted[customer.external_id]
        Customer.all_orgs.bulk_update(stale, ["segment"])
    return existing
