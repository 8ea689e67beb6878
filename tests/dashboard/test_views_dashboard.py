"""The dashboard page: the figures are the metrics selectors' own, the filters live in the URL,
roles hold, the page stays cheap and escapes tenant text."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from dashboard.forms import today_in
from dashboard.kpis import kpi_cards
from metrics import selectors as metrics
from tests.conftest import session_client
from tests.dashboard.data import build_feedback

pytestmark = pytest.mark.django_db


def _charts(page: str) -> dict:
    raw = page.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(raw)


def _kpi(page: str, key: str) -> str:
    block = page.split(f'data-kpi="{key}"')[1].split('<div class="delta')[0]
    return re.sub(r"<[^>]+>", "", block.split('class="value">')[1]).strip()


def _last_days(org, days=30):
    tz = org.tzinfo
    today = today_in(tz)
    start = timezone.datetime.combine(today - timedelta(days=days - 1), timezone.datetime.min.time(),
                                      tzinfo=tz)
    return start, start + timedelta(days=days)


def test_empty_dashboard_says_what_to_do_next(tenant):
    page = session_client(tenant.users["admin"]).get(reverse("home")).content.decode()
    assert 'id="dashboard-empty"' in page and "该时段没有反馈" in page
    assert reverse("settings-api-keys") in page
    viewer = session_client(tenant.users["viewer"]).get(reverse("home")).content.decode()
    assert "现在无需操作" in viewer and reverse("settings-api-keys") not in viewer


def test_kpis_are_the_metrics_selectors_figures(voiced):
    page = session_client(voiced.users["manager"]).get(reverse("home")).content.decode()
    start, end = _last_days(voiced.org)
    with voiced.scope(), translation.override("zh-hans"):
        summary = metrics.metric_summary_compared(organization=voiced.org, start=start, end=end)
        cards = {c["key"]: c for c in kpi_cards(summary)}
    assert summary["nps"]["responses"] > 0
    for key in ("nps", "csat", "first_response_time", "resolution_time"):
        assert _kpi(page, key) == cards[key]["value"], key
    charts = _charts(page)
    assert len(charts["trend"]["points"]) == 30 and charts["trend"]["interval"] == "day"
    assert {c["key"] for c in charts["channels"]} <= {"app", "web", "call_center",
                                                      "ecommerce_review", "survey"}
    assert charts["drivers"] and all("topic=" in d["drill"] for d in charts["drivers"])
    assert 'id="points-pain"' in page and "blockquote" in page


def test_filters_in_the_url_change_the_figures(voiced):
    client = session_client(voiced.users["manager"])
    start, end = _last_days(voiced.org, 90)
    page = client.get(reverse("home"), {"period": "90d", "channel": "call_center",
                                        "touchpoint": "delivery"}).content.decode()
    with voiced.scope(), translation.override("zh-hans"):
        nps = metrics.metric_value(organization=voiced.org, metric="nps", start=start, end=end,
                                   filters={"channel": "call_center", "touchpoint": "delivery"})
    expected = "—" if nps["value"] is None else kpi_cards({**_empty_summary(), "nps": {
        "value": nps["value"], "change": None, "previous": {"value": None}, "responses": 1}})[0]["value"]
    assert _kpi(page, "nps") == expected
    assert '<option value="call_center" selected>' in page and 'id="reset-filters"' in page
    charts = _charts(page)
    assert charts["trend"]["interval"] == "week"
    assert all(c["key"] == "call_center" for c in charts["channels"])
    drill = charts["trend"]["points"][-1]["drill"]
    assert "channel=call_center" in drill and "touchpoint=delivery" in drill


def _empty_summary():
    none = {"change": None, "previous": {}}
    return {"csat": {**none, "value": None}, "ces": {**none, "value": None},
            "churn": {**none, "rate": None}, "first_response_time": {**none, "median_seconds": None},
            "resolution_time": {**none, "median_seconds": None}}


def test_a_filter_that_matches_nothing_says_so(voiced):
    page = session_client(voiced.users["manager"]).get(
        reverse("home"), {"segment": "不存在的分群"}).content.decode()
    assert "没有符合筛选条件的数据" in page and _kpi(page, "nps") == "—"


def test_unknown_or_foreign_filter_values_are_ignored(voiced, other_tenant):
    with other_tenant.scope():
        build_feedback(other_tenant.org, count=5, days=5, seed=3)
    client = session_client(voiced.users["manager"])
    response = client.get(reverse("home"), {"journey": "999999", "touchpoint": "no-such-key",
                                            "from": "not-a-date"})
    assert response.status_code == 200
    default = client.get(reverse("home")).content.decode()
    assert _kpi(response.content.decode(), "nps") == _kpi(default, "nps")


@pytest.mark.parametrize("role", ["admin", "manager", "member", "viewer"])
def test_every_role_sees_the_dashboard_members_without_quotes(voiced, role):
    page = session_client(voiced.users[role]).get(reverse("home")).content.decode()
    assert 'id="kpis"' in page and 'id="chart-trend"' in page
    assert ("<blockquote" in page) == (role != "member")


def test_a_partner_key_gets_no_dashboard(voiced):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {voiced.raw_key}")
    assert client.get(reverse("home")).status_code == 302


def test_query_count_does_not_grow_with_the_data(tenant, django_assert_max_num_queries):
    client = session_client(tenant.users["manager"])
    with tenant.scope():
        build_feedback(tenant.org, count=10, days=10, seed=1)
    with django_assert_max_num_queries(90) as small:
        client.get(reverse("home"))
    with tenant.scope():
        build_feedback(tenant.org, count=60, days=30, seed=2)
    with django_assert_max_num_queries(len(small.captured_queries) + 6):
        client.get(reverse("home"))


def test_tenant_text_is_escaped(voiced):
    from voice.models import Topic
    from voice.services.ingest import feedback_ingest_many

    with voiced.scope():
        Topic.all_orgs.create(organization=voiced.org, name="<b>坏</b>话题", keywords=["</script>"])
        feedback_ingest_many(organization=voiced.org, source="api", items=[{
            "channel": "app", "text": "<script>alert(1)</script> 质量很差 </script>", "nps": 1,
            "metadata": {}, "occurred_at": timezone.now()}])
        build_feedback(voiced.org, count=62, days=40)  # analyzes the new row too
    page = session_client(voiced.users["manager"]).get(reverse("home")).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>坏</b>" not in page
    data = page.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    assert "<" not in data  # json_script escapes every <


def test_no_tickets_panel_until_the_improvement_app_provides_it(voiced):
    import importlib.util

    page = session_client(voiced.users["manager"]).get(reverse("home")).content.decode()
    has_tickets = importlib.util.find_spec("improvement.access") is not None
    assert ('id="tickets"' in page) == has_tickets


def test_tickets_panel_shows_alerts_and_overdue_tickets_the_member_may_see(tenant):
    tickets = pytest.importorskip("improvement.services.tickets",
                                  reason="the improvement app (tickets) is not on this branch yet")
    import time_machine

    from improvement.access import Actor

    with tenant.scope():
        system = Actor.system()
        for title, department in (("物流部：配送投诉激增", "物流部"), ("质量部：破损率上升", "质量部")):
            tickets.ticket_create(organization=tenant.org, actor=system, title=title,
                                  source="rule", department=tenant.departments[department])
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        manager = session_client(tenant.users["manager"]).get(reverse("home")).content.decode()
        member = session_client(tenant.users["member"]).get(reverse("home")).content.decode()
    alerts = manager.split('class="card tickets-alerts"')[1].split("</section>")[0]
    overdue = manager.split('class="card tickets-overdue"')[1].split("</section>")[0]
    assert "配送投诉激增" in alerts and "破损率上升" in alerts and "破损率上升" in overdue
    assert "配送投诉激增" in member and "破损率上升" not in member
