"""The filters added for the explorer and dashboard drill-downs (journey, segment, polarity),
in the selector and the partner API alike."""

import pytest
from django.urls import reverse

from journeys.models import Journey, Stage, Touchpoint
from tests.voice.helpers import analyze, make_feedback
from voice import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(tenant, touchpoint):
    other_journey = Journey.all_orgs.create(organization=tenant.org, name="门店购物")
    stage = Stage.all_orgs.create(organization=tenant.org, journey=other_journey, name="结账")
    Touchpoint.all_orgs.create(organization=tenant.org, stage=stage, key="checkout", name="结账")
    a = analyze(make_feedback(tenant, touchpoint="delivery", customer={"external_id": "C1",
                                                                       "segment": "会员"})[0],
                topics=[("物流配送", "pain"), ("服务态度", "delight")])
    b = analyze(make_feedback(tenant, touchpoint="checkout", customer={"external_id": "C2",
                                                                       "segment": "普通"})[0],
                label="positive", score=0.7, topics=[("物流配送", "delight")])
    c = make_feedback(tenant, text="没有客户")[0]
    return {"a": a, "b": b, "c": c, "journey": touchpoint.stage.journey_id,
            "other_journey": other_journey.pk}


def _ids(tenant, **filters):
    with tenant.scope():
        return set(selectors.feedback_list(organization=tenant.org, filters=filters)
                   .values_list("pk", flat=True))


def test_journey_segment_and_polarity(tenant, rows):
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert _ids(tenant, journey=rows["journey"]) == {a.pk}
    assert _ids(tenant, journey=rows["other_journey"]) == {b.pk}
    assert _ids(tenant, segment="会员") == {a.pk}
    assert _ids(tenant, polarity="pain") == {a.pk}
    assert _ids(tenant, polarity="delight") == {a.pk, b.pk}
    assert _ids(tenant, topic="物流配送", polarity="delight") == {b.pk}
    assert _ids(tenant, topic="物流配送") == {a.pk, b.pk}
    assert _ids(tenant, topic="服务态度", polarity="pain") == set()
    assert _ids(tenant) == {a.pk, b.pk, c.pk}


def test_a_row_with_two_matching_topics_is_listed_once(tenant, rows):
    with tenant.scope():
        listed = list(selectors.feedback_list(organization=tenant.org,
                                              filters={"polarity": "delight"}))
    assert len(listed) == len({row.pk for row in listed}) == 2


def test_api_accepts_the_new_filters(tenant, rows, writer):
    def ids(**params):
        return {item["id"] for item in writer.get(reverse("api-feedback"), params).json()["results"]}

    assert ids(journey=rows["journey"]) == {rows["a"].pk}
    assert ids(segment="普通") == {rows["b"].pk}
    assert ids(topic="物流配送", polarity="pain") == {rows["a"].pk}


@pytest.mark.parametrize("param,value", [("polarity", "angry"), ("journey", "x"),
                                         ("journey", "0")])
def test_api_rejects_bad_new_filters(writer, param, value):
    response = writer.get(reverse("api-feedback"), {param: value})
    assert response.status_code == 400 and param in response.json()["errors"]
