"""POST /api/v1/departments/ with the `topics` the new department owns; GET lists ownership."""

import pytest

from cem.models import Department
from voice.models import Topic

pytestmark = pytest.mark.django_db
URL = "/api/v1/departments/"


def test_create_with_topics_moves_their_ownership(api_client, tenant, topic, quality_topic):
    client = api_client(scopes=["manage"])
    response = client.post(URL, {"name": "售后部", "topics": ["物流配送", "产品质量"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "售后部" and body["topics"] == ["产品质量", "物流配送"]
    assert set(Topic.all_orgs.filter(department__name="售后部").values_list("name", flat=True)) == {
        "物流配送", "产品质量"}
    listed = {d["name"]: d for d in client.get(URL).json()}
    assert listed["售后部"]["topics"] == ["产品质量", "物流配送"] and listed["物流部"]["topics"] == []


def test_unknown_topics_are_400_and_nothing_is_created(api_client, tenant, topic):
    response = api_client(scopes=["manage"]).post(URL, {"name": "售后部", "topics": ["物流配送", "外星人"]},
                                                  format="json")
    assert response.status_code == 400 and "topics" in response.json()["errors"]
    assert "外星人" in response.json()["detail"]
    assert not Department.all_orgs.filter(organization=tenant.org, name="售后部").exists()


def test_other_tenants_topics_are_unknown(api_client, other_tenant):
    Topic.all_orgs.create(organization=other_tenant.org, name="秘密话题")
    response = api_client(scopes=["manage"]).post(URL, {"name": "售后部", "topics": ["秘密话题"]}, format="json")
    assert response.status_code == 400


def test_without_topics_it_works_as_before(api_client):
    response = api_client(scopes=["manage"]).post(URL, {"name": "门店运营部", "is_default": True}, format="json")
    assert response.status_code == 201 and response.json()["topics"] == [] and response.json()["is_default"]


def test_list_query_count_does_not_grow(api_client, tenant, topic, django_assert_max_num_queries):
    client = api_client(scopes=["manage"])
    with django_assert_max_num_queries(8) as one:
        client.get(URL)
    single = len(one)
    for i in range(10):
        client.post(URL, {"name": f"部门{i}"}, format="json")
    with django_assert_max_num_queries(single):
        assert len(client.get(URL).json()) == 14
