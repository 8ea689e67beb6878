"""metric_summary / metric_value against hand-computed fixtures (exact, from raw rows)."""

import pytest

from cem.errors import ApplicationError
from journeys.models import Touchpoint
from metrics.selectors import metric_breakdown, metric_summary, metric_value
from tests.metrics.conftest import add_customer, add_feedback, add_interaction, at

pytestmark = pytest.mark.django_db

MARCH = (at(2026, 3, 1), at(2026, 4, 1))


@pytest.fixture
def march(scoped, shop):
    """Hand-computed: NPS 10,10,9,7,3 → 40; CSAT 5,4,3,1 → 50 % / 3.25; CES 7,5,2 → 4.67 / 66.7 %."""
    t = scoped
    for score, tp in ((10, "pay"), (10, "ship"), (9, "ship"), (7, "sign"), (3, "sign")):
        add_feedback(t, at(2026, 3, 5, 12), nps=score, touchpoint=tp, channel="app")
    for score in (5, 4, 3, 1):
        add_feedback(t, at(2026, 3, 6, 12), csat=score, channel="web", segment="会员")
    for score in (7, 5, 2):
        add_feedback(t, at(2026, 3, 7, 12), ces=score, channel="web")
    add_feedback(t, at(2026, 3, 8, 9), text="太慢", label="negative", score=-0.8)
    add_feedback(t, at(2026, 3, 8, 9), text="还行", label="neutral", score=0.1)
    # outside the range: ignored
    add_feedback(t, at(2026, 2, 28, 23, 59), nps=0)
    add_feedback(t, at(2026, 4, 1, 0, 0), nps=0)
    return t


def test_summary_has_the_exact_shape_and_values(march):
    summary = metric_summary(organization=march.org, start=MARCH[0], end=MARCH[1])
    assert summary["nps"] == {"value": 40.0, "promoters": 3, "passives": 1, "detractors": 1,
                              "responses": 5}
    assert summary["csat"] == {"value": 50.0, "mean": 3.25, "responses": 4}
    assert summary["ces"] == {"value": 4.67, "easy_share": 66.7, "responses": 3}
    assert summary["negative_share"] == {"value": 50.0, "negatives": 1, "responses": 2}
    assert summary["volume"] == {"feedback": 14, "analyzed": 2}
    assert set(summary) >= {"nps", "csat", "ces", "churn", "first_response_time", "resolution_time"}
    assert set(summary["first_response_time"]) >= {"median_seconds", "p90_seconds", "mean_seconds",
                                                   "interactions"}


def test_an_empty_period_gives_nulls_not_zeros(scoped):
    summary = metric_summary(organization=scoped.org, start=MARCH[0], end=MARCH[1])
    assert summary["nps"] == {"value": None, "promoters": 0, "passives": 0, "detractors": 0,
                              "responses": 0}
    assert summary["csat"] == {"value": None, "mean": None, "responses": 0}
    assert summary["ces"] == {"value": None, "easy_share": None, "responses": 0}
    assert summary["churn"] == {"rate": None, "churned": 0, "active_at_start": 0}
    frt = summary["first_response_time"]
    assert (frt["median_seconds"], frt["p90_seconds"], frt["mean_seconds"], frt["interactions"]) == (
        None, None, None, 0)


def test_filters_narrow_every_feedback_figure(march, shop):
    journey, _tps = shop
    org = march.org
    by_touchpoint = metric_value(organization=org, metric="nps", start=MARCH[0], end=MARCH[1],
                                 filters={"touchpoint": "sign"})
    assert (by_touchpoint["value"], by_touchpoint["responses"]) == (-50.0, 2)  # 7, 3
    by_journey = metric_value(organization=org, metric="nps", start=MARCH[0], end=MARCH[1],
                              filters={"journey": journey.pk})
    assert by_journey["responses"] == 5
    web = metric_value(organization=org, metric="csat", start=MARCH[0], end=MARCH[1],
                       filters={"channel": "web"})
    assert (web["value"], web["mean"], web["responses"]) == (50.0, 3.25, 4)
    members = metric_value(organization=org, metric="csat", start=MARCH[0], end=MARCH[1],
                           filters={"segment": "会员"})
    assert members["responses"] == 4
    nobody = metric_value(organization=org, metric="ces", start=MARCH[0], end=MARCH[1],
                          filters={"segment": "会员"})
    assert nobody["value"] is None and nobody["responses"] == 0


def test_topic_filter_counts_feedback_linked_to_the_topic(scoped):
    add_feedback(scoped, at(2026, 3, 2, 10), nps=2, topics=[("物流配送", "pain")])
    add_feedback(scoped, at(2026, 3, 2, 11), nps=10, topics=[("物流配送", "delight"),
                                                            ("客服态度", "delight")])
    add_feedback(scoped, at(2026, 3, 2, 12), nps=10)
    value = metric_value(organization=scoped.org, metric="nps", start=MARCH[0], end=MARCH[1],
                         filters={"topic": "物流配送"})
    assert (value["value"], value["responses"]) == (0.0, 2)


@pytest.mark.parametrize(("filters", "field"), [
    ({"touchpoint": "nope"}, "touchpoint"), ({"journey": 999999}, "journey"),
    ({"journey": "abc"}, "journey"), ({"channel": "fax"}, "channel"), ({"topic": "无此"}, "topic"),
    ({"colour": "red"}, "colour"),
])
def test_unknown_filters_are_refused_naming_the_field(scoped, filters, field):
    with pytest.raises(ApplicationError) as error:
        metric_summary(organization=scoped.org, start=MARCH[0], end=MARCH[1], filters=filters)
    assert error.value.field == field


def test_other_organizations_filters_look_unknown(scoped, other_tenant, shop):
    journey, _tps = shop
    with other_tenant.scope(), pytest.raises(ApplicationError) as error:
        metric_summary(organization=other_tenant.org, start=MARCH[0], end=MARCH[1],
                       filters={"journey": journey.pk})
    assert error.value.field == "journey"


def test_bad_ranges_and_metrics_are_refused(scoped):
    with pytest.raises(ApplicationError) as error:
        metric_summary(organization=scoped.org, start=MARCH[1], end=MARCH[0])
    assert error.value.field == "to"
    with pytest.raises(ApplicationError) as error:
        metric_value(organization=scoped.org, metric="happiness", start=MARCH[0], end=MARCH[1])
    assert error.value.field == "metric"


def test_deleting_a_touchpoint_keeps_its_feedback_countable(march):
    org = march.org
    before = metric_summary(organization=org, start=MARCH[0], end=MARCH[1])
    Touchpoint.all_orgs.filter(organization=org, key="sign").delete()
    after = metric_summary(organization=org, start=MARCH[0], end=MARCH[1])
    assert after["nps"] == before["nps"]
    items = metric_breakdown(organization=org, metric="nps", by="touchpoint", start=MARCH[0],
                             end=MARCH[1])["items"]
    unlinked = next(i for i in items if i["key"] is None)
    assert (unlinked["responses"], unlinked["value"]) == (2, -50.0)  # the 7 and the 3


def test_churn_counts_customers_active_at_the_start(scoped):
    t = scoped
    add_customer(t, "A", since=at(2026, 1, 1), churned_at=at(2026, 3, 15))  # churned in March
    add_customer(t, "B", since=at(2026, 1, 1))                              # stays
    add_customer(t, "C", since=at(2026, 3, 10), churned_at=at(2026, 3, 20))  # joined in March
    add_customer(t, "D", since=at(2026, 1, 1), churned_at=at(2026, 2, 10))  # gone before
    add_customer(t, "E", since=at(2026, 3, 1), churned_at=at(2026, 3, 1))   # since = start
    add_customer(t, "F")                                                    # no since: unknown
    churn = metric_summary(organization=t.org, start=MARCH[0], end=MARCH[1])["churn"]
    # active at 03-01 00:00: A, B, E (3); churned in March among them: A, E (2)
    assert churn == {"rate": 66.67, "churned": 2, "active_at_start": 3}


def test_reopened_interaction_restarts_first_response_clock(scoped):
    t = scoped
    add_interaction(t, "I1", at(2026, 3, 2, 9), first_response_at=at(2026, 3, 2, 9, 10),
                    resolved_at=at(2026, 3, 2, 11))
    # reopened at 12:00; answered again 12:30; resolved 14:00 → frt 30 min, resolution 5 h
    add_interaction(t, "I2", at(2026, 3, 2, 9), reopened_at=at(2026, 3, 2, 12),
                    first_response_at=at(2026, 3, 2, 12, 30), resolved_at=at(2026, 3, 2, 14))
    # reopened, not answered since: no first response yet; reopened after resolution: open
    add_interaction(t, "I3", at(2026, 3, 2, 9), reopened_at=at(2026, 3, 2, 16),
                    first_response_at=at(2026, 3, 2, 9, 5), resolved_at=at(2026, 3, 2, 15))
    summary = metric_summary(organization=t.org, start=MARCH[0], end=MARCH[1])
    frt, resolution = summary["first_response_time"], summary["resolution_time"]
    assert (frt["interactions"], frt["median_seconds"], frt["mean_seconds"]) == (2, 1200.0, 1200.0)
    assert frt["p90_seconds"] == 600 + 0.9 * 1200
    assert (resolution["interactions"], resolution["median_seconds"]) == (2, (2 + 5) / 2 * 3600)
    assert frt["business_hours"]["median_seconds"] is None
    assert frt["business_hours"]["note"]


def test_business_hours_durations_skip_weekends_and_holidays(scoped):
    t = scoped
    t.org.business_hours = {"weekly": {d: [["09:00", "18:00"]] for d in
                                       ("mon", "tue", "wed", "thu", "fri")},
                            "holidays": ["2026-03-09"]}
    t.org.save(update_fields=["business_hours"])
    # opened Friday 03-06 17:00, answered Tuesday 03-10 10:00 (Monday 03-09 is a holiday)
    add_interaction(t, "I1", at(2026, 3, 6, 17), first_response_at=at(2026, 3, 10, 10),
                    resolved_at=at(2026, 3, 10, 12))
    value = metric_value(organization=t.org, metric="frt", start=MARCH[0], end=MARCH[1])
    assert value["value"] == value["median_seconds"] == (3 * 24 + 17) * 3600
    assert value["business_hours"]["median_seconds"] == 2 * 3600
    resolution = metric_value(organization=t.org, metric="resolution", start=MARCH[0],
                              end=MARCH[1])
    assert resolution["business_hours"]["mean_seconds"] == 4 * 3600
