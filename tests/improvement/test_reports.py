"""Ticket response/resolution times per department (API and page), hand-computed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from improvement.access import Actor
from improvement.models import Ticket
from improvement.services.tickets import ticket_create

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 9, 28, 9, 0, tzinfo=TZ)
URL = "/api/v1/tickets/stats/"


def ticket(tenant, department, opened, responded=None, resolved=None, status="open", due_hours=24):
    with tenant.scope():
        row = ticket_create(organization=tenant.org, actor=Actor.system(), title="t",
                            department=tenant.departments[department] if department else None)
    Ticket.all_orgs.filter(pk=row.pk).update(
        created_at=opened, first_response_at=responded, resolved_at=resolved, status=status,
        due_at=opened + timedelta(hours=due_hours), first_response_due_at=opened + timedelta(hours=1))
    return row


@pytest.fixture
def tickets(tenant):
    h = timedelta(hours=1)
    ticket(tenant, "物流部", MONDAY, MONDAY + h, MONDAY + 10 * h, "verified")
    ticket(tenant, "物流部", MONDAY, MONDAY + 3 * h, MONDAY + 30 * h, "resolved")
    ticket(tenant, "物流部", MONDAY, MONDAY + 2 * h)
    ticket(tenant, "质量部", MONDAY, None)
    ticket(tenant, None, MONDAY - timedelta(days=40))


def test_figures_per_department(api_client, tenant, tickets):
    body = api_client(scopes=["tickets:read"]).get(URL, {"from": "2026-09-28", "to": "2026-09-30"}).json()
    assert body["period"] == {"from": "2026-09-28", "to": "2026-09-30"}
    logistics, quality = body["departments"]
    assert logistics["department"]["name"] == "物流部" and quality["department"]["name"] == "质量部"
    assert (logistics["tickets"], logistics["open"], logistics["resolved"]) == (3, 1, 2)
    frt = logistics["first_response_time"]
    assert (frt["median_seconds"], frt["p90_seconds"], frt["mean_seconds"], frt["tickets"]) == (
        7200.0, 10080.0, 7200.0, 3)
    resolution = logistics["resolution_time"]
    assert (resolution["median_seconds"], resolution["tickets"]) == (72000.0, 2)
    assert logistics["sla_met_share"] == 50.0
    assert resolution["business_hours"]["median_seconds"] is None and resolution["business_hours"]["note"]
    assert quality["overdue"] == 1 and quality["first_response_time"]["median_seconds"] is None
    assert body["total"]["tickets"] == 4


def test_business_hours_figures(api_client, tenant, tickets):
    tenant.org.business_hours = {"weekly": {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}}
    tenant.org.save()
    body = api_client(scopes=["tickets:read"]).get(URL, {"from": "2026-09-28", "to": "2026-09-30"}).json()
    resolution = body["departments"][0]["resolution_time"]["business_hours"]
    # 10 h wall → 9 h of business time (Mon 09–18); 30 h wall → Mon 9 h + Tue 09–15 = 15 h
    assert resolution["median_seconds"] == 12 * 3600.0 and resolution["mean_seconds"] == 12 * 3600.0


def test_members_see_their_department_only(member_client, tenant, tickets):
    body = member_client.get(URL, {"from": "2026-09-28", "to": "2026-09-30"}).json()
    assert [row["department"]["name"] for row in body["departments"]] == ["物流部"]


@pytest.mark.parametrize("params,field", [({"from": "2026-13-01"}, "from"),
                                          ({"from": "2026-10-02", "to": "2026-10-01"}, "to"),
                                          ({"from": "2024-01-01", "to": "2026-01-01"}, "from")])
def test_bad_ranges_are_400(api_client, params, field):
    response = api_client(scopes=["tickets:read"]).get(URL, params)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_report_page(manager_client, tenant, tickets):
    page = manager_client.get(reverse("ticket-report"), {"from": "2026-09-28", "to": "2026-09-30"}).content.decode()
    assert "物流部" in page and "质量部" in page and "50.0%" in page
    empty = manager_client.get(reverse("ticket-report"), {"from": "2020-01-01", "to": "2020-01-02"})
    assert empty.status_code == 200
