"""Interaction (service contact) upserts by external_id, single or in batches."""

from __future__ import annotations

from django.db import transaction

from journeys.selectors import touchpoints_by_key
from voice.models import Interaction
from voice.services.customers import customers_for_refs

FIELDS = ("channel", "agent", "team", "opened_at", "reopened_at", "first_response_at",
          "resolved_at", "csat")


@transaction.atomic
def interaction_upsert_many(*, organization, items: list[dict]) -> list[tuple[Interaction, bool]]:
    """Create or update interactions by external_id (last item wins inside a batch)."""
    touchpoints = touchpoints_by_key(organization=organization)
    customers = customers_for_refs(
        organization=organization, refs=[i["customer"] for i in items if i.get("customer")])
    ids = [item["external_id"] for item in items]
    existing = {i.external_id: i for i in Interaction.all_orgs.select_for_update().filter(
        organization=organization, external_id__in=ids)}
    results = []
    for item in items:
        row = existing.get(item["external_id"])
        created = row is None
        if created:
            row = existing[item["external_id"]] = Interaction(
                organization=organization, external_id=item["external_id"])
        for field in FIELDS:
            if field in item:
                setattr(row, field, item[field])
        if item.get("customer"):
            row.customer = customers[item["customer"]["external_id"]]
            row.segment = row.customer.segment
        if "touchpoint" in item:
            row.touchpoint = touchpoints.get(item["touchpoint"]) if item["touchpoint"] else None
        results.append((row, created))
    for external_id in dict.fromkeys(ids):
        existing[external_id].save()
    return results
