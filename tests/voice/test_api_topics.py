"""The taxonomy, keywords, discovery and re-analysis API: CRUD, scopes, problem+json errors,
pagination with constant queries, tenant isolation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cem.models import AuditEvent
from tests.voice.helpers import analyze, make_feedback
from voice.models import (
    FeedbackTopic,
    KeywordSnapshot,
    ReanalysisJob,
    Topic,
    TopicDiscoveryRun,
    TopicSuggestion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manage(api_client):
    return api_client(scopes=["manage", "feedback:read"])


@pytest.fixture
def reader(api_client):
    return api_client(scopes=["feedback:read"])


def _topic(tenant, name="物流配送"):
    return Topic.all_orgs.get(organization=tenant.org, name=name)


def test_list_is_paginated_with_counts(tenant, reader):
    row = make_feedback(tenant)[0]
    analyze(row, topics=[("物流配送", "pain")])
    first = reader.get(reverse("api-topics"), {"page_size": 5}).json()
    assert len(first["results"]) == 5 and first["next"]
    second = reader.get(first["next"]).json()
    names = [t["name"] for t in first["results"] + second["results"]]
    assert len(names) == 9 == len(set(names))
    logistics = next(t for t in first["results"] + second["results"] if t["name"] == "物流配送")
    assert (logistics["pain_count"], logistics["delight_count"]) == (1, 0)
    assert logistics["origin"] == "default" and "次日达" in logistics["keywords"]
    searched = reader.get(reverse("api-topics"), {"q": "瑕疵"}).json()["results"]
    assert [t["name"] for t in searched] == ["产品质量"]


def test_list_query_count_is_constant(tenant, reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as nine:
        reader.get(reverse("api-topics"))
    for i in range(20):
        Topic.all_orgs.create(organization=tenant.org, name=f"话题{i}", keywords=["词"],
                              department=tenant.departments["质量部"])
    with django_assert_max_num_queries(len(nine.captured_queries)):
        assert len(reader.get(reverse("api-topics")).json()["results"]) == 29


def test_create_update_delete(tenant, manage):
    quality = tenant.departments["质量部"]
    created = manage.post(reverse("api-topics"), {
        "name": "会员积分", "keywords": ["积分", " 积分 ", "兑换"], "department": quality.pk},
        format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["keywords"] == ["积分", "兑换"] and body["department"]["name"] == "质量部"
    assert body["origin"] == "custom" and body["is_active"] is True
    url = reverse("api-topic-detail", args=[body["id"]])
    patched = manage.patch(url, {"is_active": False, "department": None}, format="json").json()
    assert patched["is_active"] is False and patched["department"] is None
    assert manage.get(url).json()["name"] == "会员积分"
    assert manage.delete(url).status_code == 204
    assert manage.get(url).status_code == 404
    actions = list(AuditEvent.all_orgs.filter(organization=tenant.org, target_type="topic")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["topic.changed", "topic.created", "topic.deleted"]


@pytest.mark.parametrize("body,field", [
    ({"name": "物流配送", "keywords": ["快递"]}, "name"),
    ({"name": "新话题", "keywords": []}, "keywords"),
    ({"name": "新话题", "keywords": [" "]}, "keywords"),
    ({"name": "新话题"}, "keywords"),
    ({"name": "新话题", "keywords": ["快递"], "department": 999999}, "department"),
])
def test_bad_input_is_a_400_naming_the_field(tenant, manage, body, field):
    response = manage.post(reverse("api-topics"), body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]


def test_a_name_taken_in_the_race_after_the_check_is_a_400_not_a_500(tenant, manage, monkeypatch):
    from voice.services import topics as topic_services

    # the window between the exists() check and the INSERT: another request took the name
    monkeypatch.setattr(topic_services, "_clean_name", lambda organization, name, exclude_pk=None: name)
    created = manage.post(reverse("api-topics"), {"name": "物流配送", "keywords": ["快递"]}, format="json")
    assert created.status_code == 400 and "name" in created.json()["errors"]
    renamed = manage.patch(reverse("api-topic-detail", args=[_topic(tenant, "价格费用").pk]),
                           {"name": "物流配送"}, format="json")
    assert renamed.status_code == 400 and "name" in renamed.json()["errors"]
    assert Topic.all_orgs.filter(organization=tenant.org, name="物流配送").count() == 1
    assert Topic.all_orgs.filter(organization=tenant.org, name="价格费用").exists()


def test_another_tenants_department_is_refused(tenant, other_tenant, manage):
    theirs = other_tenant.departments["质量部"]
    response = manage.post(reverse("api-topics"), {"name": "新话题", "keywords": ["词"],
                                                   "department": theirs.pk}, format="json")
    assert response.status_code == 400 and "department" in response.json()["errors"]


def test_scopes(tenant, reader, api_client):
    url = reverse("api-topic-detail", args=[_topic(tenant).pk])
    assert reader.get(url).status_code == 200
    assert reader.patch(url, {"name": "改名"}, format="json").status_code == 403
    assert reader.delete(url).status_code == 403
    assert reader.post(reverse("api-topics"), {"name": "x", "keywords": ["y"]},
                       format="json").status_code == 403
    assert reader.post(reverse("api-reanalysis")).status_code == 403
    assert reader.post(reverse("api-topic-discovery")).status_code == 403
    writer = api_client(scopes=["feedback:write"])
    assert writer.get(reverse("api-topics")).status_code == 403
    assert _topic(tenant).name == "物流配送"


def test_another_tenants_topic_is_a_404(tenant, other_tenant, manage):
    theirs = _topic(other_tenant)
    url = reverse("api-topic-detail", args=[theirs.pk])
    assert manage.get(url).status_code == 404
    assert manage.patch(url, {"name": "改名"}, format="json").status_code == 404
    assert manage.delete(url).status_code == 404
    assert Topic.all_orgs.filter(pk=theirs.pk, name="物流配送").exists()


def test_keywords_by_scope_and_validation(tenant, touchpoint, reader):
    empty = reader.get(reverse("api-keywords")).json()
    assert empty == {"words": [], "window_days": 30, "feedback_count": 0, "computed_at": None}
    words = [{"word": "快递", "weight": 1.0, "count": 4}, {"word": "太慢", "weight": 0.5, "count": 2}]
    for kind, scope_id in (("organization", 0), ("touchpoint", touchpoint.pk),
                           ("topic", _topic(tenant).pk)):
        KeywordSnapshot.all_orgs.create(organization=tenant.org, scope_kind=kind,
                                        scope_id=scope_id, window_days=30, words=words[:1 + (kind == "topic")],
                                        feedback_count=4, computed_at=timezone.now())
    body = reader.get(reverse("api-keywords")).json()
    assert body["words"] == words[:1] and body["feedback_count"] == 4 and body["computed_at"]
    assert reader.get(reverse("api-keywords"), {"topic": "物流配送"}).json()["words"] == words
    assert reader.get(reverse("api-keywords"), {"touchpoint": "delivery"}).json()["words"] == \
        words[:1]
    for params, field in (({"topic": "没有"}, "topic"), ({"touchpoint": "nope"}, "touchpoint"),
                          ({"window": 7}, "window")):
        response = reader.get(reverse("api-keywords"), params)
        assert response.status_code == 400 and field in response.json()["errors"]


def test_discovery_and_suggestions(tenant, manage):
    assert manage.get(reverse("api-topic-discovery")).json() == {"run": None, "suggestions": []}
    queued = manage.post(reverse("api-topic-discovery"))
    assert queued.status_code == 202 and queued.json()["run"]["status"] == "queued"
    run = TopicDiscoveryRun.all_orgs.get(pk=queued.json()["run"]["id"])
    first = TopicSuggestion.all_orgs.create(organization=tenant.org, run=run, size=5,
                                            terms=["积分", "清零", "兑换"])
    second = TopicSuggestion.all_orgs.create(organization=tenant.org, run=run, size=4,
                                             terms=["发票", "抬头"])
    listed = manage.get(reverse("api-topic-discovery")).json()["suggestions"]
    assert [s["default_name"] for s in listed] == ["积分清零", "发票抬头"]
    accepted = manage.post(reverse("api-topic-suggestion-accept", args=[first.pk]),
                           {"name": "会员积分"}, format="json")
    assert accepted.status_code == 201 and accepted.json()["origin"] == "discovered"
    assert accepted.json()["keywords"] == ["积分", "清零", "兑换"]
    again = manage.post(reverse("api-topic-suggestion-accept", args=[first.pk]), format="json")
    assert again.status_code == 409
    dismissed = manage.post(reverse("api-topic-suggestion-dismiss", args=[second.pk]))
    assert dismissed.json()["status"] == "dismissed"


def test_reanalysis_request_and_progress(tenant, manage):
    make_feedback(tenant, n=3)
    started = manage.post(reverse("api-reanalysis"))
    assert started.status_code == 202
    job = started.json()
    assert job["status"] == "queued" and job["percent"] == 0
    joined = manage.post(reverse("api-reanalysis"))
    assert joined.status_code == 200 and joined.json()["id"] == job["id"]
    ReanalysisJob.all_orgs.filter(pk=job["id"]).update(status="running", total=4, done=1)
    progress = manage.get(reverse("api-reanalysis-detail", args=[job["id"]])).json()
    assert (progress["status"], progress["percent"]) == ("running", 25)
    assert [j["id"] for j in manage.get(reverse("api-reanalysis")).json()["results"]] == [job["id"]]
    assert FeedbackTopic.all_orgs.count() == 0
