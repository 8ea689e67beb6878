"""With the real broker and worker: feedback ingested through the API ends in the rollups."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from metrics.handlers import clear_queued
from metrics.models import DirtyDay, FeedbackDayTotal
from metrics.rollups.read import rollups_ready
from metrics.selectors import metric_summary
from tests.metrics.conftest import at
from tests.processing.harness import wait_for

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="rollups: PostgreSQL")]

ITEMS = [
    {"channel": "app", "text": "快递太慢了，等了一个星期", "nps": 3, "csat": 2,
     "occurred_at": "2026-11-01T23:30:00+08:00"},
    {"channel": "web", "text": "客服态度很好，问题很快解决了", "nps": 10, "csat": 5,
     "occurred_at": "2026-11-02T00:30:00+08:00"},
]


def _cells_of(tenant):
    return {row["day"]: row for row in FeedbackDayTotal.all_orgs.filter(organization=tenant.org)
            .values("day", "feedback", "nps_responses", "promoters", "analyzed")}


def test_feedback_ingested_through_the_api_ends_in_the_rollups(tenant, api_client, real_worker):
    clear_queued(tenant.org.pk)
    writer = api_client()
    response = writer.post(reverse("api-feedback-batch"), {"items": ITEMS}, format="json")
    assert response.status_code == 201

    def settled():
        cells = _cells_of(tenant)
        analyzed = sum(c["analyzed"] for c in cells.values())
        markers = DirtyDay.all_orgs.filter(organization=tenant.org).exists()
        return analyzed == 2 and not markers and rollups_ready(tenant.org) and cells

    cells = wait_for(settled, timeout=60, what="the rollups to hold the analyzed feedback")
    assert cells == {
        date(2026, 11, 1): {"day": date(2026, 11, 1), "feedback": 1, "nps_responses": 1,
                            "promoters": 0, "analyzed": 1},
        date(2026, 11, 2): {"day": date(2026, 11, 2), "feedback": 1, "nps_responses": 1,
                            "promoters": 1, "analyzed": 1},
    }
    with tenant.scope():
        summary = metric_summary(organization=tenant.org, start=at(2026, 11, 1),
                                 end=at(2026, 11, 3))
    assert summary["nps"] == {"value": 0.0, "promoters": 1, "passives": 0, "detractors": 1,
                              "responses": 2}
