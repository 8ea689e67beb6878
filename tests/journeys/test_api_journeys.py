"""Journeys API: nested POST exactly as the issue, PATCH/DELETE, scopes, 400 naming fields,
404 for other organizations, and constant query counts on the list."""

import pytest
from django.urls import reverse

from journeys import services
from journeys.models import Touchpoint

pytestmark = pytest.mark.django_db

BODY = {"name": "电商购物", "stages": [
    {"name": "浏览选购", "touchpoints": [{"key": "browse", "name": "商品详情页", "department": None}]},
    {"name": "物流配送", "touchpoints": [{"key": "ship", "name": "发货", "department": None},
                                      {"key": "sign", "name": "签收"}]},
]}


@pytest.fixture
def manager_key(api_client):
    return api_client(scopes=["manage"])


def _journeys(tenant, n):
    with tenant.scope():
        for i in range(n):
            services.journey_create(organization=tenant.org, name=f"旅程{i:02d}", stages=[
                {"name": f"阶段{j}", "touchpoints": [{"key": f"tp-{i}-{j}-{k}", "name": "触点",
                                                     "department": tenant.departments["物流部"].pk}
                                                    for k in range(2)]} for j in range(3)])


def test_post_creates_the_nested_journey(manager_key, tenant):
    body = {**BODY, "stages": [dict(BODY["stages"][0], touchpoints=[
        {"key": "browse", "name": "商品详情页", "department": tenant.departments["质量部"].pk}]),
        BODY["stages"][1]]}
    response = manager_key.post(reverse("api-journeys"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["name"] == "电商购物"
    assert [s["name"] for s in data["stages"]] == ["浏览选购", "物流配送"]
    assert [t["key"] for t in data["stages"][1]["touchpoints"]] == ["ship", "sign"]
    assert data["stages"][0]["touchpoints"][0]["department"] == {
        "id": tenant.departments["质量部"].pk, "name": "质量部"}


def test_duplicate_key_is_a_400_naming_the_field(manager_key):
    manager_key.post(reverse("api-journeys"), BODY, format="json")
    response = manager_key.post(reverse("api-journeys"), {"name": "again", "stages": [
        {"name": "x", "touchpoints": [{"key": "ship", "name": "发货"}]}]}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "stages[0].touchpoints[0].key" in response.json()["errors"]


def test_bad_bodies_are_400_naming_the_field(manager_key):
    for body, field in (({"stages": []}, "name"),
                        ({"name": "x", "stages": [{"touchpoints": []}]}, "stages"),
                        ({"name": "x", "stages": [{"name": "s", "touchpoints": [
                            {"key": "a b", "name": "n"}]}]}, "stages")):
        response = manager_key.post(reverse("api-journeys"), body, format="json")
        assert response.status_code == 400 and field in response.json()["errors"], response.json()


def test_writes_need_the_manage_scope(api_client, viewer_client, member_client):
    reader = api_client(scopes=["metrics:read"])
    assert reader.get(reverse("api-journeys")).status_code == 200
    assert reader.post(reverse("api-journeys"), BODY, format="json").status_code == 403
    assert viewer_client.post(reverse("api-journeys"), BODY, format="json").status_code == 403
    assert member_client.post(reverse("api-journeys"), BODY, format="json").status_code == 403


def test_patch_renames_and_restructures_and_delete_unlinks(manager_key, tenant):
    created = manager_key.post(reverse("api-journeys"), BODY, format="json").json()
    url = reverse("api-journey-detail", kwargs={"journey_id": created["id"]})
    renamed = manager_key.patch(url, {"name": "网购"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "网购"
    assert len(renamed.json()["stages"]) == 2
    stages = created["stages"]
    reordered = manager_key.patch(url, {"stages": [
        {"id": stages[1]["id"], "name": "物流配送", "touchpoints": [
            {"id": tp["id"], "key": tp["key"], "name": tp["name"]}
            for tp in reversed(stages[1]["touchpoints"])]},
        {"id": stages[0]["id"], "name": "浏览选购", "touchpoints": stages[0]["touchpoints"][:0]},
    ]}, format="json")
    assert reordered.status_code == 200, reordered.content
    assert [[t["key"] for t in s["touchpoints"]] for s in reordered.json()["stages"]] == [
        ["sign", "ship"], []]
    assert manager_key.delete(url).status_code == 204
    assert manager_key.get(url).status_code == 404
    with tenant.scope():
        assert not Touchpoint.objects.exists()


def test_other_organizations_journey_is_a_404(api_client, other_tenant):
    _journeys(other_tenant, 1)
    with other_tenant.scope():
        journey = services.journey_create(organization=other_tenant.org, name="乙的旅程")
    url = reverse("api-journey-detail", kwargs={"journey_id": journey.pk})
    client = api_client(scopes=["manage"])
    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "x"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(reverse("api-journeys")).json()["count"] == 0


@pytest.mark.parametrize("n", [1, 20])
def test_list_query_count_is_constant(api_client, tenant, django_assert_max_num_queries, n):
    _journeys(tenant, n)
    client = api_client(scopes=["metrics:read"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api-journeys"))
    assert response.status_code == 200
    assert len(response.json()["results"]) == n
    assert len(response.json()["results"][0]["stages"][0]["touchpoints"]) == 2


def test_the_audit_history_names_the_api_key_that_made_a_change(manager_key, tenant):
    from cem.models import ApiKey, AuditEvent
    from cem.services.audit import audit_record

    response = manager_key.post(reverse("api-journeys"), BODY, format="json")
    assert response.status_code == 201, response.content
    key = ApiKey.all_orgs.filter(organization=tenant.org).latest("pk")
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="journey.created")
    assert event.actor is None and event.actor_label == f"API key: {key.name} ({key.prefix}…)"
    # the key acts only while its request is served: later system changes have no actor
    later = audit_record(organization=tenant.org, actor=None, action="journey.changed")
    assert later.actor_label == ""
