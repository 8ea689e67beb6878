"""The feedback explorer page: filters from the URL (as dashboards link to it), keyset pages,
a capped total, empty states, the org's time zone, constant queries, tenant isolation."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.voice.helpers import analyze, make_feedback
from voice.models import Feedback

pytestmark = pytest.mark.django_db


def test_empty_state_says_what_to_do_next(manager_client, viewer_client):
    page = manager_client.get(reverse("feedback-list")).content.decode()
    assert "还没有反馈" in page
    assert reverse("survey-link-list") in page and reverse("import-job-list") in page
    assert reverse("api-docs") in page
    viewer_page = viewer_client.get(reverse("feedback-list")).content.decode()
    assert reverse("import-job-list") not in viewer_page


def test_rows_show_sentiment_topics_customer_touchpoint_channel(tenant, touchpoint, manager_client):
    row = make_feedback(tenant, touchpoint="delivery", channel="call_center",
                        customer={"external_id": "VIP-7", "segment": "会员"}, nps=3)[0]
    analyze(row, topics=[("物流配送", "pain"), ("服务态度", "delight")])
    page = manager_client.get(reverse("feedback-list")).content.decode()
    for expected in ("送货太慢了", "badge-negative", "chip-pain", "物流配送", "chip-delight", "VIP-7",
                     "会员", "送货上门", "呼叫中心", "NPS 3"):
        assert expected in page, expected


def test_times_show_in_the_organizations_time_zone(tenant, manager_client):
    row = make_feedback(tenant)[0]
    Feedback.all_orgs.filter(pk=row.pk).update(occurred_at=datetime(2026, 10, 1, 16, 30, tzinfo=UTC))
    assert "2026-10-02 00:30" in manager_client.get(reverse("feedback-list")).content.decode()


def test_drill_down_url_filters(tenant, touchpoint, manager_client):
    slow = analyze(make_feedback(tenant, touchpoint="delivery", text="配送慢")[0])
    analyze(make_feedback(tenant, touchpoint="delivery", text="配送快")[0], label="positive", score=0.9)
    make_feedback(tenant, text="别的触点")
    url = reverse("feedback-list") + "?touchpoint=delivery&sentiment=negative&from=2020-01-01&to=2099-01-01"
    response = manager_client.get(url)
    page = response.content.decode()
    assert "配送慢" in page and "配送快" not in page and "别的触点" not in page
    assert response.context["total"] == 1 and response.context["page"].rows == [slow]


def test_an_invalid_filter_is_reported_and_ignored(tenant, manager_client):
    make_feedback(tenant, 2)
    response = manager_client.get(reverse("feedback-list") + "?sentiment=angry&from=yesterday")
    assert response.status_code == 200
    page = response.content.decode()
    assert "忽略的筛选条件" in page and len(response.context["page"].rows) == 2


def test_no_match_state_offers_a_reset(tenant, manager_client):
    make_feedback(tenant)
    page = manager_client.get(reverse("feedback-list") + "?q=没有这句话").content.decode()
    assert "没有符合筛选条件的反馈" in page


def test_keyset_links_keep_the_filters(tenant, manager_client, monkeypatch):
    from voice.views import feedback as views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    make_feedback(tenant, 7, channel="web")
    first = manager_client.get(reverse("feedback-list") + "?channel=web")
    older = first.context["page"].older
    assert older and f"before={older}" in first.content.decode()
    second = manager_client.get(reverse("feedback-list"), {"channel": "web", "before": older})
    assert len(second.context["page"].rows) == 3
    assert "channel=web" in second.content.decode()


def test_total_is_capped(tenant, manager_client, monkeypatch):
    from voice.views import feedback as views

    monkeypatch.setattr(views, "COUNT_CAP", 4)
    make_feedback(tenant, 6)
    response = manager_client.get(reverse("feedback-list"))
    assert response.context["total_capped"] and "超过 4 条" in response.content.decode()


def test_query_count_is_constant(tenant, touchpoint, manager_client, django_assert_max_num_queries):
    analyze(make_feedback(tenant, touchpoint="delivery", customer={"external_id": "C"})[0],
            topics=[("物流配送", "pain")])
    with django_assert_max_num_queries(30) as one:
        manager_client.get(reverse("feedback-list"))
    for row in make_feedback(tenant, 19, touchpoint="delivery", customer={"external_id": "D"}):
        analyze(row, topics=[("物流配送", "pain"), ("服务态度", "delight")])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = manager_client.get(reverse("feedback-list"))
    assert len(response.context["page"].rows) == 20


def test_other_tenants_feedback_never_shows(world, manager_client):
    victim, _attacker = world
    client = manager_client  # the manager of `tenant` (the victim) …
    from tests.conftest import session_client

    attacker = session_client(world[1].users["manager"])
    url = reverse("feedback-list") + f"?customer={victim.marker}-C1"
    page = attacker.get(url).content.decode()
    assert victim.extra["feedback"].text not in page
    assert victim.extra["feedback"].text in client.get(url).content.decode()


def test_signed_out_users_go_to_login(client):
    response = client.get(reverse("feedback-list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
