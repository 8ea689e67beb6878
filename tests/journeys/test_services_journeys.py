"""Journey services: nested create, restructure (rename, reorder, move, delete), key rules,
departments of the organization only, and deleted touchpoints that unlink their feedback."""

import pytest
from django.utils import timezone

from cem import events
from cem.errors import ApplicationError
from journeys import services
from journeys.models import CHANNELS, Stage, Touchpoint
from voice.models import Channel, Feedback
from voice.services.ingest import feedback_ingest_many

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant.scope():
        yield


@pytest.fixture
def deleted_events():
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe(events.TOUCHPOINT_DELETED, handler)
    yield seen
    events._handlers[events.TOUCHPOINT_DELETED].remove(handler)


def _shop(tenant, **extra):
    return services.journey_create(organization=tenant.org, name=" 电商购物 ", persona="年轻白领", stages=[
        {"name": "浏览选购", "touchpoints": [{"key": "browse", "name": "商品详情页",
                                          "department": tenant.departments["质量部"].pk,
                                          "channels": ["app", "web"]}]},
        {"name": "物流配送", "touchpoints": [{"key": "ship", "name": "发货"},
                                          {"key": "sign", "name": "签收"}]},
    ], **extra)


def _structure(journey):
    return [(stage.name, [(tp.key, tp.name, tp.position) for tp in stage.touchpoints.order_by("position")])
            for stage in Stage.all_orgs.filter(journey=journey).order_by("position")]


def test_create_stores_the_ordered_structure(tenant):
    journey = _shop(tenant)
    assert journey.name == "电商购物" and journey.persona == "年轻白领"
    assert _structure(journey) == [("浏览选购", [("browse", "商品详情页", 0)]),
                                   ("物流配送", [("ship", "发货", 0), ("sign", "签收", 1)])]
    browse = Touchpoint.all_orgs.get(key="browse")
    assert browse.department == tenant.departments["质量部"] and browse.channels == ["app", "web"]


def test_restructure_renames_reorders_moves_and_swaps_keys(tenant, deleted_events):
    journey = _shop(tenant)
    browse, ship, sign = (Touchpoint.all_orgs.get(key=k) for k in ("browse", "ship", "sign"))
    stages = {s.name: s for s in Stage.all_orgs.filter(journey=journey)}
    services.journey_update(journey=journey, name="网购", stages=[
        {"id": stages["物流配送"].pk, "name": "配送", "touchpoints": [
            {"id": sign.pk, "key": "ship", "name": "签收"},   # keys swapped
            {"id": ship.pk, "key": "sign", "name": "发货"},
            {"id": browse.pk, "key": "browse", "name": "详情页"}]},  # moved here
    ])
    journey.refresh_from_db()
    assert journey.name == "网购"
    assert _structure(journey) == [("配送", [("ship", "签收", 0), ("sign", "发货", 1),
                                             ("browse", "详情页", 2)])]
    assert Touchpoint.all_orgs.get(pk=sign.pk).key == "ship"
    assert not Stage.all_orgs.filter(pk=stages["浏览选购"].pk).exists()
    assert deleted_events == []


def test_deleting_a_touchpoint_unlinks_its_feedback_and_announces_it(tenant, deleted_events):
    journey = _shop(tenant)
    feedback = feedback_ingest_many(organization=tenant.org, source="api", items=[{
        "channel": "app", "touchpoint": "sign", "text": "签收很顺利", "occurred_at": timezone.now(),
        "metadata": {}}])[0].feedback
    sign, browse = Touchpoint.all_orgs.get(key="sign"), Touchpoint.all_orgs.get(key="browse")
    stage = Stage.all_orgs.get(journey=journey, name="物流配送")
    services.journey_update(journey=journey, stages=[  # the stage 浏览选购 is left out too
        {"id": stage.pk, "name": "物流配送", "touchpoints": [
            {"id": Touchpoint.all_orgs.get(key="ship").pk, "key": "ship", "name": "发货"}]}])
    feedback.refresh_from_db()
    assert Feedback.all_orgs.filter(pk=feedback.pk).exists() and feedback.touchpoint_id is None
    assert deleted_events == [{"organization_id": tenant.org.pk,
                               "touchpoint_ids": sorted([sign.pk, browse.pk])}]


def test_journey_delete_keeps_feedback(tenant, deleted_events):
    journey = _shop(tenant)
    ids = sorted(Touchpoint.all_orgs.filter(stage__journey=journey).values_list("pk", flat=True))
    feedback_ingest_many(organization=tenant.org, source="api", items=[{
        "channel": "app", "touchpoint": "ship", "nps": 3, "occurred_at": timezone.now(),
        "metadata": {}}])
    services.journey_delete(journey=journey)
    assert Feedback.all_orgs.filter(organization=tenant.org, nps=3, touchpoint=None).count() == 1
    assert deleted_events == [{"organization_id": tenant.org.pk, "touchpoint_ids": ids}]


@pytest.mark.parametrize(("stages", "field", "message"), [
    ([{"name": "a", "touchpoints": [{"key": "x", "name": "1"}, {"key": "x", "name": "2"}]}],
     "stages[0].touchpoints[1].key", services.ERR_KEY_DUPLICATE),
    ([{"name": "a", "touchpoints": [{"key": "bad key!", "name": "1"}]}],
     "stages[0].touchpoints[0].key", services.ERR_KEY_FORMAT),
    ([{"name": " ", "touchpoints": []}], "stages[0].name", services.ERR_NAME),
    ([{"name": "a", "id": 987654}], "stages[0].id", services.ERR_UNKNOWN_STAGE),
    ([{"name": "a", "touchpoints": [{"key": "k", "name": "n", "id": 987654}]}],
     "stages[0].touchpoints[0].id", services.ERR_UNKNOWN_TOUCHPOINT),
    ([{"name": "a", "touchpoints": [{"key": "k", "name": "n", "department": 987654}]}],
     "stages[0].touchpoints[0].department", services.ERR_UNKNOWN_DEPARTMENT),
])
def test_invalid_structures_name_the_field_and_write_nothing(tenant, stages, field, message):
    with pytest.raises(ApplicationError) as error:
        services.journey_create(organization=tenant.org, name="坏旅程", stages=stages)
    assert (error.value.field, error.value.message) == (field, message)
    assert not Stage.all_orgs.filter(organization=tenant.org).exists()


def test_keys_are_unique_per_organization_only(tenant, other_tenant):
    _shop(tenant)
    with pytest.raises(ApplicationError) as error:
        services.journey_create(organization=tenant.org, name="另一个", stages=[
            {"name": "a", "touchpoints": [{"key": "ship", "name": "发货"}]}])
    assert error.value.message == services.ERR_KEY_TAKEN
    with other_tenant.scope():
        services.journey_create(organization=other_tenant.org, name="乙", stages=[
            {"name": "a", "touchpoints": [{"key": "ship", "name": "发货"}]}])


def test_another_organizations_department_is_unknown(tenant, other_tenant):
    with pytest.raises(ApplicationError) as error:
        services.journey_create(organization=tenant.org, name="x", stages=[
            {"name": "a", "touchpoints": [{"key": "k", "name": "n",
                                           "department": other_tenant.departments["物流部"].pk}]}])
    assert error.value.message == services.ERR_UNKNOWN_DEPARTMENT


def test_journey_channels_mirror_the_partner_api_channels():
    assert set(CHANNELS) == set(Channel.values)
