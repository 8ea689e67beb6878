"""Cross-organization reads of the beat tasks (they only enqueue per-organization work)."""

from __future__ import annotations

from voice.models import Feedback


def organizations_with_feedback() -> list[int]:
    # tenancy-exempt: the beat walks every organization to enqueue one task each.
    return list(Feedback.all_orgs.order_by().values_list("organization_id", flat=True).distinct())
