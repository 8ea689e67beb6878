"""The journey designer pages (messages in Chinese, the default language): roles (managers design, others read), create, stages and
touchpoints added / renamed / reordered / deleted, validation messages, audit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cem.models import AuditEvent
from journeys.models import Journey, Stage, Touchpoint
from journeys.services import journey_create
from voice.models import Feedback
from voice.services.ingest import feedback_ingest_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(tenant):
    with tenant.scope():
        return journey_create(organization=tenant.org, name="电商购物", stages=[
            {"name": "下单支付", "touchpoints": [{"key": "pay", "name": "支付"}]},
            {"name": "物流配送", "touchpoints": [{"key": "ship", "name": "发货"},
                                                 {"key": "sign", "name": "签收"}]}])


def _keys(journey):
    return [(tp.stage.name, tp.key) for tp in Touchpoint.all_orgs.filter(
        stage__journey=journey).select_related("stage").order_by("stage__position", "position")]


def test_everyone_reads_the_list_only_managers_design(journey, viewer_client, member_client,
                                                      manager_client, admin_client_):
    page = viewer_client.get(reverse("journey-list")).content.decode()
    assert "电商购物" in page and reverse("journey-create") not in page
    assert reverse("journey-create") in manager_client.get(reverse("journey-list")).content.decode()
    for client in (viewer_client, member_client):
        assert client.get(reverse("journey-edit", args=[journey.pk])).status_code == 403
        assert client.post(reverse("journey-create"), {"name": "x"}).status_code == 403
        assert client.post(reverse("journey-delete", args=[journey.pk])).status_code == 403
    assert admin_client_.get(reverse("journey-edit", args=[journey.pk])).status_code == 200


def test_the_list_is_paginated(tenant, viewer_client):
    from journeys.models import Journey as JourneyModel

    JourneyModel.all_orgs.bulk_create([JourneyModel(organization=tenant.org, name=f"旅程{i:03d}")
                                       for i in range(55)])
    first = viewer_client.get(reverse("journey-list")).content.decode()
    assert "旅程000" in first and "旅程049" in first and "旅程050" not in first
    assert 'rel="next"' in first
    second = viewer_client.get(reverse("journey-list"), {"page": 2}).content.decode()
    assert "旅程050" in second and "旅程054" in second and "旅程000" not in second
    # a malformed page number shows the nearest page
    assert viewer_client.get(reverse("journey-list"), {"page": "abc"}).status_code == 200


def test_a_manager_creates_a_journey_with_a_stage_and_a_touchpoint(tenant, manager_client):
    response = manager_client.post(reverse("journey-create"), {"name": "门店服务", "persona": "居民"})
    journey = Journey.all_orgs.get(organization=tenant.org, name="门店服务")
    edit = reverse("journey-edit", args=[journey.pk])
    assert response.status_code == 302 and response["Location"] == edit
    structure = reverse("journey-structure", args=[journey.pk])
    manager_client.post(structure, {"op": "stage-add", "name": "结账离店"})
    stage = Stage.all_orgs.get(journey=journey)
    department = tenant.departments["客服中心"]
    manager_client.post(structure, {"op": "touchpoint-add", "stage": stage.pk, "key": "checkout",
                                    "name": "收银结账", "department": department.pk,
                                    "channels": ["store", "app"]})
    tp = Touchpoint.all_orgs.get(stage=stage)
    assert (tp.key, tp.name, tp.department_id, tp.channels) == (
        "checkout", "收银结账", department.pk, ["store", "app"])
    page = manager_client.get(edit).content.decode()
    assert "收银结账" in page and "客服中心" in page
    actions = list(AuditEvent.all_orgs.filter(organization=tenant.org, action__startswith="journey.")
                   .values_list("action", "details"))
    assert ("journey.created", {}) in actions
    assert ("journey.changed", {"change": "touchpoint_added"}) in actions


def test_duplicate_keys_and_empty_names_are_explained(tenant, journey, manager_client, other_tenant):
    with other_tenant.scope():
        journey_create(organization=other_tenant.org, name="别家", stages=[
            {"name": "阶段", "touchpoints": [{"key": "elsewhere", "name": "别家触点"}]}])
    structure = reverse("journey-structure", args=[journey.pk])
    stage = journey.stages.order_by("position").first()
    response = manager_client.post(structure, {"op": "touchpoint-add", "stage": stage.pk,
                                               "key": "ship", "name": "重复"})
    assert response.status_code == 400
    assert "该标识在旅程中重复使用。" in response.content.decode()
    response = manager_client.post(structure, {"op": "touchpoint-add", "stage": stage.pk,
                                               "key": "bad key", "name": "x"})
    assert response.status_code == 400
    # another organization's key is free here
    response = manager_client.post(structure, {"op": "touchpoint-add", "stage": stage.pk,
                                               "key": "elsewhere", "name": "本家触点"})
    assert response.status_code == 302
    response = manager_client.post(structure, {"op": "stage-add", "name": "  "}, follow=True)
    assert "请填写名称。" in response.content.decode()
    assert Stage.all_orgs.filter(journey=journey).count() == 2
    # names longer than the column are explained, not a database error
    response = manager_client.post(structure, {"op": "stage-add", "name": "长" * 201}, follow=True)
    assert "最多使用 200 个字符。" in response.content.decode()
    response = manager_client.post(structure, {"op": "stage-rename", "stage": stage.pk, "name": "长" * 201},
                                   follow=True)
    assert "最多使用 200 个字符。" in response.content.decode()
    response = manager_client.post(structure, {"op": "touchpoint-add", "stage": stage.pk,
                                               "key": "long", "name": "长" * 201})
    assert response.status_code == 400 and "200" in response.content.decode()
    assert not Touchpoint.all_orgs.filter(key="long").exists()
    assert Stage.all_orgs.filter(journey=journey).count() == 2
    assert stage.name == Stage.all_orgs.get(pk=stage.pk).name


def test_reorder_rename_and_move_between_stages(journey, manager_client):
    structure = reverse("journey-structure", args=[journey.pk])
    pay, ship, sign = (Touchpoint.all_orgs.get(key=k) for k in ("pay", "ship", "sign"))
    manager_client.post(structure, {"op": "touchpoint-up", "touchpoint": sign.pk})
    assert _keys(journey) == [("下单支付", "pay"), ("物流配送", "sign"), ("物流配送", "ship")]
    manager_client.post(structure, {"op": "touchpoint-up", "touchpoint": sign.pk})
    assert _keys(journey) == [("下单支付", "pay"), ("下单支付", "sign"), ("物流配送", "ship")]
    second = Stage.all_orgs.get(journey=journey, name="物流配送")
    manager_client.post(structure, {"op": "stage-up", "stage": second.pk})
    manager_client.post(structure, {"op": "stage-rename", "stage": second.pk, "name": "配送"})
    assert _keys(journey) == [("配送", "ship"), ("下单支付", "pay"), ("下单支付", "sign")]
    edit = reverse("journey-touchpoint-edit", args=[journey.pk, pay.pk])
    response = manager_client.post(edit, {"stage": second.pk, "key": "payment", "name": "在线支付",
                                          "channels": ["web"]})
    assert response.status_code == 302
    assert _keys(journey) == [("配送", "ship"), ("配送", "payment"), ("下单支付", "sign")]
    response = manager_client.post(edit, {"stage": second.pk, "key": "ship", "name": "x"})
    assert response.status_code == 400 and "该标识在旅程中重复使用" in response.content.decode()


def test_deleting_a_touchpoint_warns_and_keeps_its_feedback(tenant, journey, manager_client):
    with tenant.scope():
        feedback = feedback_ingest_many(organization=tenant.org, items=[
            {"channel": "app", "touchpoint": "ship", "text": "快递太慢了", "metadata": {},
             "occurred_at": timezone.now()}],
            source="api")[0].feedback
    ship = Touchpoint.all_orgs.get(key="ship")
    url = reverse("journey-touchpoint-delete", args=[journey.pk, ship.pk])
    assert "其反馈会保留" in manager_client.get(url).content.decode()
    assert manager_client.post(url).status_code == 302
    assert not Touchpoint.all_orgs.filter(pk=ship.pk).exists()
    feedback = Feedback.all_orgs.get(pk=feedback.pk)
    assert feedback.touchpoint_id is None
    # a stage is deleted only once it is empty
    stage = Stage.all_orgs.get(journey=journey, name="物流配送")
    structure = reverse("journey-structure", args=[journey.pk])
    response = manager_client.post(structure, {"op": "stage-delete", "stage": stage.pk}, follow=True)
    assert "请先移走或删除该阶段的触点。" in response.content.decode()
    manager_client.post(reverse("journey-touchpoint-delete",
                                args=[journey.pk, Touchpoint.all_orgs.get(key="sign").pk]))
    manager_client.post(structure, {"op": "stage-delete", "stage": stage.pk})
    assert not Stage.all_orgs.filter(pk=stage.pk).exists()


def test_deleting_a_journey(tenant, journey, manager_client):
    assert manager_client.post(reverse("journey-delete", args=[journey.pk])).status_code == 302
    assert not Journey.all_orgs.filter(pk=journey.pk).exists()
    assert AuditEvent.all_orgs.filter(organization=tenant.org, action="journey.deleted").exists()


def test_unknown_steps_and_other_journeys_ids(journey, manager_client, tenant):
    structure = reverse("journey-structure", args=[journey.pk])
    response = manager_client.post(structure, {"op": "nope"}, follow=True)
    assert "未知操作。" in response.content.decode()
    with tenant.scope():
        other = journey_create(organization=tenant.org, name="另一个", stages=[
            {"name": "阶段", "touchpoints": [{"key": "other", "name": "别的"}]}])
    other_tp = Touchpoint.all_orgs.get(key="other")
    url = reverse("journey-touchpoint-edit", args=[journey.pk, other_tp.pk])
    assert manager_client.get(url).status_code == 404
    response = manager_client.post(structure, {"op": "touchpoint-down", "touchpoint": other_tp.pk},
                                   follow=True)
    assert "该旅程中没有这个触点。" in response.content.decode()
    assert Touchpoint.all_orgs.get(pk=other_tp.pk).stage.journey_id == other.pk
