"""The designer's small steps: moves across stage edges, renames, deletions announced like the
whole-structure writer, audit records (with the step) and writes through the API audited."""

import pytest
from django.urls import reverse

from cem import events
from cem.errors import ApplicationError
from cem.models import AuditEvent
from journeys import services
from journeys.models import Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(tenant):
    with tenant.scope():
        yield services.journey_create(organization=tenant.org, name="旅程", stages=[
            {"name": "A", "touchpoints": [{"key": "a1", "name": "一"}, {"key": "a2", "name": "二"}]},
            {"name": "B", "touchpoints": [{"key": "b1", "name": "三"}]}])


def _layout(journey):
    out = {}
    for tp in Touchpoint.all_orgs.filter(stage__journey=journey).order_by("stage__position",
                                                                          "position"):
        out.setdefault(tp.stage.name, []).append(tp.key)
    return out


def test_moves_cross_stage_edges_and_stop_at_the_ends(journey):
    a2 = Touchpoint.all_orgs.get(key="a2")
    services.touchpoint_move(journey=journey, touchpoint_id=a2.pk, offset=1)
    assert _layout(journey) == {"A": ["a1"], "B": ["a2", "b1"]}
    b1 = Touchpoint.all_orgs.get(key="b1")
    services.touchpoint_move(journey=journey, touchpoint_id=b1.pk, offset=1)  # already last
    assert _layout(journey) == {"A": ["a1"], "B": ["a2", "b1"]}
    services.touchpoint_move(journey=journey, touchpoint_id=a2.pk, offset=-1)
    assert _layout(journey) == {"A": ["a1", "a2"], "B": ["b1"]}
    assert Touchpoint.all_orgs.get(key="a2").pk == a2.pk  # moved, never recreated


def test_delete_announces_and_audits_the_step(tenant, journey):
    seen = []
    events.subscribe(events.TOUCHPOINT_DELETED, lambda **payload: seen.append(payload))
    b1 = Touchpoint.all_orgs.get(key="b1")
    user = tenant.users["manager"]
    services.touchpoint_delete(journey=journey, touchpoint_id=b1.pk, actor=user)
    assert seen[-1] == {"organization_id": tenant.org.pk, "touchpoint_ids": [b1.pk]}
    event = AuditEvent.all_orgs.filter(organization=tenant.org, action="journey.changed").last()
    assert (event.actor_id, event.details, event.target_id) == (
        user.pk, {"change": "touchpoint_deleted"}, str(journey.pk))


def test_unknown_ids_and_bad_keys_change_nothing(journey):
    with pytest.raises(ApplicationError) as error:
        services.touchpoint_add(journey=journey, stage_id=journey.stages.first().pk,
                                data={"key": "a1", "name": "重复"})
    assert error.value.field == "stages[0].touchpoints[2].key"
    with pytest.raises(ApplicationError):
        services.stage_rename(journey=journey, stage_id=10**9, name="x")
    assert _layout(journey) == {"A": ["a1", "a2"], "B": ["b1"]}


def test_api_writes_are_audited(tenant, manager_client):
    response = manager_client.post(reverse("api-journeys"), {"name": "API 旅程"}, format="json")
    assert response.status_code == 201
    journey_id = response.json()["id"]
    manager_client.patch(reverse("api-journey-detail", args=[journey_id]), {"name": "改名"},
                         format="json")
    manager_client.delete(reverse("api-journey-detail", args=[journey_id]))
    actions = list(AuditEvent.all_orgs.filter(organization=tenant.org, target_id=str(journey_id),
                                              target_type="journey")
                   .order_by("id").values_list("action", "actor_label"))
    manager = tenant.users["manager"].username
    assert actions == [("journey.created", manager), ("journey.changed", manager),
                       ("journey.deleted", manager)]


@pytest.mark.django_db(transaction=True)
def test_two_steps_at_once_keep_both_changes(tenant):
    """A step that starts while another holds the journey waits for it and keeps its change
    (without the lock it wrote back a structure missing the other stage, deleting it)."""
    import threading

    from django.db import connection

    from cem.tenancy import org_scope
    from journeys.models import Stage
    from tests.concurrency import transaction_held_open

    with tenant.scope():
        journey = services.journey_create(organization=tenant.org, name="并发", stages=[
            {"name": "A", "touchpoints": []}])
    errors = []

    def second():
        try:
            with org_scope(tenant.org.pk):
                services.stage_add(journey=journey, name="第二")
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    with transaction_held_open(tenant.org.pk,
                               lambda: services.stage_add(journey=journey, name="第一")):
        two = threading.Thread(target=second)
        two.start()
        two.join(timeout=1)
        assert two.is_alive()  # waits for the first step's transaction
    two.join(timeout=10)
    assert not errors, errors
    assert list(Stage.all_orgs.filter(journey=journey).order_by("position")
                .values_list("name", flat=True)) == ["A", "第一", "第二"]
