"""Rollups (PostgreSQL): day markers from the triggers, exact answers before and after the
recompute, time-zone boundaries, empty periods, a deleted touchpoint — hand-computed."""

from datetime import date

import pytest
from django.db import connection

from journeys.models import Touchpoint
from metrics.models import DirtyDay, FeedbackDayCell, FeedbackDayTotal, RollupState, TopicDayTotal
from metrics.rollups.build import organizations_needing_recompute, rollup_rebuild, rollup_recompute_dirty
from metrics.rollups.read import rollups_ready
from metrics.selectors import metric_breakdown, metric_summary, metric_timeseries
from tests.metrics.conftest import add_feedback, at
from voice.models import Feedback

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="rollups: PostgreSQL")]


def _markers(tenant) -> set[date]:
    return set(DirtyDay.all_orgs.filter(organization=tenant.org).values_list("day", flat=True))


def _totals(tenant) -> dict[date, int]:
    return dict(FeedbackDayTotal.all_orgs.filter(organization=tenant.org)
                .values_list("day", "feedback"))


def _points(result):
    return [(p["period"], p["value"], p["responses"]) for p in result["points"]]


def test_writes_mark_the_local_day_dirty_in_the_same_transaction(scoped):
    rollup_rebuild(organization_id=scoped.org.pk)
    assert _markers(scoped) == set()
    # 23:30 Shanghai is 03-01; 00:30 Shanghai on 03-02 is still 03-01 in UTC, but 03-02 here.
    late = add_feedback(scoped, at(2026, 3, 1, 23, 30), nps=10)
    add_feedback(scoped, at(2026, 3, 2, 0, 30), nps=0)
    assert _markers(scoped) == {date(2026, 3, 1), date(2026, 3, 2)}
    rollup_recompute_dirty(organization_id=scoped.org.pk)
    assert _markers(scoped) == set()
    assert _totals(scoped) == {date(2026, 3, 1): 1, date(2026, 3, 2): 1}
    # an update that changes nothing the metrics read marks nothing; a score change does
    Feedback.all_orgs.filter(pk=late.pk).update(text="改了文字")
    assert _markers(scoped) == set()
    Feedback.all_orgs.filter(pk=late.pk).update(occurred_at=at(2026, 3, 5, 9))
    assert _markers(scoped) == {date(2026, 3, 1), date(2026, 3, 5)}
    rollup_recompute_dirty(organization_id=scoped.org.pk)
    assert _totals(scoped) == {date(2026, 3, 2): 1, date(2026, 3, 5): 1}


def test_time_zone_boundaries_from_the_rollups(scoped):
    add_feedback(scoped, at(2026, 3, 1, 23, 30), nps=10)
    add_feedback(scoped, at(2026, 3, 2, 0, 30), nps=0)
    add_feedback(scoped, at(2026, 3, 2, 23, 59, 59), nps=8)
    rollup_rebuild(organization_id=scoped.org.pk)
    assert rollups_ready(scoped.org) and _markers(scoped) == set()
    series = metric_timeseries(organization=scoped.org, metric="nps", interval="day",
                               start=at(2026, 3, 1), end=at(2026, 3, 4))
    assert _points(series) == [("2026-03-01", 100.0, 1), ("2026-03-02", -50.0, 2),
                               ("2026-03-03", None, 0)]
    # a part-day range: the edges come from the raw rows, the whole day from the cells
    summary = metric_summary(organization=scoped.org, start=at(2026, 3, 1, 23),
                             end=at(2026, 3, 2, 12))
    assert summary["nps"] == {"value": 0.0, "promoters": 1, "passives": 0, "detractors": 1,
                              "responses": 2}


def test_a_time_zone_change_sends_reads_to_the_raw_rows_until_rebuilt(scoped):
    add_feedback(scoped, at(2026, 3, 2, 0, 30), nps=0)  # 03-01 16:30 UTC
    rollup_rebuild(organization_id=scoped.org.pk)
    scoped.org.timezone = "UTC"
    scoped.org.save()
    assert not rollups_ready(scoped.org)
    assert scoped.org.pk in organizations_needing_recompute()
    series = metric_timeseries(organization=scoped.org, metric="volume", interval="day",
                               start=at(2026, 3, 1), end=at(2026, 3, 3))
    assert [p["period"] for p in series["points"] if p["value"]] == ["2026-03-01"]
    rollup_recompute_dirty(organization_id=scoped.org.pk)  # rebuilds in the new zone
    assert rollups_ready(scoped.org) and _totals(scoped) == {date(2026, 3, 1): 1}


def test_dirty_days_are_answered_exactly_before_the_task_runs(scoped):
    add_feedback(scoped, at(2026, 3, 3, 10), nps=10, csat=5)
    rollup_rebuild(organization_id=scoped.org.pk)
    add_feedback(scoped, at(2026, 3, 3, 11), nps=0, csat=1)
    add_feedback(scoped, at(2026, 3, 4, 11), nps=9, csat=4)
    assert _totals(scoped) == {date(2026, 3, 3): 1}  # the cells are stale …
    summary = metric_summary(organization=scoped.org, start=at(2026, 3, 1), end=at(2026, 3, 8))
    assert summary["nps"] == {"value": 33.3, "promoters": 2, "passives": 0, "detractors": 1,
                              "responses": 3}  # … the answer is not
    assert summary["csat"] == {"value": 66.7, "mean": 3.33, "responses": 3}
    rollup_recompute_dirty(organization_id=scoped.org.pk)
    assert _totals(scoped) == {date(2026, 3, 3): 2, date(2026, 3, 4): 1}
    assert metric_summary(organization=scoped.org, start=at(2026, 3, 1),
                          end=at(2026, 3, 8)) == summary


def test_empty_periods_are_nulls_from_the_rollups(scoped):
    add_feedback(scoped, at(2026, 3, 3, 10), nps=10)
    rollup_rebuild(organization_id=scoped.org.pk)
    summary = metric_summary(organization=scoped.org, start=at(2026, 4, 1), end=at(2026, 5, 1))
    assert summary["nps"] == {"value": None, "promoters": 0, "passives": 0, "detractors": 0,
                              "responses": 0}
    assert summary["csat"] == {"value": None, "mean": None, "responses": 0}
    assert summary["ces"] == {"value": None, "easy_share": None, "responses": 0}
    series = metric_timeseries(organization=scoped.org, metric="csat", interval="week",
                               start=at(2026, 3, 2), end=at(2026, 3, 16))
    assert _points(series) == [("2026-03-02", None, 0), ("2026-03-09", None, 0)]


def test_a_deleted_touchpoints_feedback_stays_countable(scoped, shop):
    _journey, tps = shop
    add_feedback(scoped, at(2026, 3, 3, 10), touchpoint="ship", nps=10,
                 topics=[("物流配送", "delight")])
    add_feedback(scoped, at(2026, 3, 3, 12), touchpoint="pay", nps=3)
    rollup_rebuild(organization_id=scoped.org.pk)
    assert set(FeedbackDayCell.all_orgs.filter(organization=scoped.org)
               .values_list("touchpoint_id", flat=True)) == {tps["ship"].pk, tps["pay"].pk}
    Touchpoint.all_orgs.filter(pk=tps["ship"].pk).delete()  # feedback: SET NULL
    assert _markers(scoped) == {date(2026, 3, 3)}

    def breakdown():
        result = metric_breakdown(organization=scoped.org, metric="nps", by="touchpoint",
                                  start=at(2026, 3, 1), end=at(2026, 3, 8))
        return [(i["key"], i["value"], i["responses"]) for i in result["items"]]

    assert breakdown() == [(None, 100.0, 1), ("pay", -100.0, 1)]
    rollup_recompute_dirty(organization_id=scoped.org.pk)
    assert set(FeedbackDayCell.all_orgs.filter(organization=scoped.org)
               .values_list("touchpoint_id", flat=True)) == {0, tps["pay"].pk}
    assert breakdown() == [(None, 100.0, 1), ("pay", -100.0, 1)]
    summary = metric_summary(organization=scoped.org, start=at(2026, 3, 1), end=at(2026, 3, 8))
    assert summary["nps"]["responses"] == 2
    assert TopicDayTotal.all_orgs.get(organization=scoped.org).delight == 1


def test_rebuild_and_recompute_are_idempotent(scoped):
    add_feedback(scoped, at(2026, 3, 3, 10), nps=10, topics=[("价格", "pain")])
    for _ in range(2):
        rollup_rebuild(organization_id=scoped.org.pk)
        rollup_recompute_dirty(organization_id=scoped.org.pk)
    assert _totals(scoped) == {date(2026, 3, 3): 1}
    assert RollupState.all_orgs.filter(organization=scoped.org).count() == 1
    topic_cell = TopicDayTotal.all_orgs.get(organization=scoped.org)
    assert (topic_cell.feedback, topic_cell.promoters, topic_cell.pain) == (1, 1, 1)


def test_a_range_with_part_days_at_both_ends(scoped):
    add_feedback(scoped, at(2026, 3, 1, 9), nps=0)  # before the range
    add_feedback(scoped, at(2026, 3, 1, 20), nps=10)  # head edge
    add_feedback(scoped, at(2026, 3, 2, 12), nps=7)  # whole day (cells)
    add_feedback(scoped, at(2026, 3, 3, 5), nps=2)  # tail edge
    add_feedback(scoped, at(2026, 3, 3, 6), nps=10)  # at the end: excluded
    rollup_rebuild(organization_id=scoped.org.pk)
    summary = metric_summary(organization=scoped.org, start=at(2026, 3, 1, 18),
                             end=at(2026, 3, 3, 6))
    assert summary["nps"] == {"value": 0.0, "promoters": 1, "passives": 1, "detractors": 1,
                              "responses": 3}


def test_an_organization_with_rollups_can_be_deleted(other_tenant):
    with other_tenant.scope():
        add_feedback(other_tenant, at(2026, 3, 3, 10), nps=10, topics=[("价格", "pain")])
        rollup_rebuild(organization_id=other_tenant.org.pk)
        add_feedback(other_tenant, at(2026, 3, 4, 10), nps=1)
    pk = other_tenant.org.pk
    other_tenant.org.delete()
    connection.check_constraints()  # the deferred foreign keys hold
    assert pk not in organizations_needing_recompute()
    assert not DirtyDay.all_orgs.filter(organization_id=pk).exists()  # orphans purged
    assert not FeedbackDayTotal.all_orgs.filter(organization_id=pk).exists()


def test_interaction_durations_from_the_rollups(scoped):
    from metrics.models import InteractionDayTotal
    from tests.metrics.conftest import add_interaction

    scoped.org.business_hours = {"weekly": {d: [["09:00", "18:00"]] for d in
                                            ("mon", "tue", "wed", "thu", "fri")}}
    scoped.org.save(update_fields=["business_hours"])
    # Monday 2026-03-02: 10 min and 30 min; Friday 17:00 answered Monday 10:00 (2 business h)
    add_interaction(scoped, "I1", at(2026, 3, 2, 9), first_response_at=at(2026, 3, 2, 9, 10))
    add_interaction(scoped, "I2", at(2026, 3, 2, 23, 30), first_response_at=at(2026, 3, 3, 0))
    add_interaction(scoped, "I3", at(2026, 3, 6, 17), first_response_at=at(2026, 3, 9, 10))
    rollup_rebuild(organization_id=scoped.org.pk)
    assert InteractionDayTotal.all_orgs.filter(organization=scoped.org).count() == 2

    def frt():
        return metric_summary(organization=scoped.org, start=at(2026, 3, 2),
                              end=at(2026, 3, 9))["first_response_time"]

    figure = frt()
    assert (figure["median_seconds"], figure["interactions"]) == (1800.0, 3)
    assert figure["business_hours"]["median_seconds"] == 600.0  # 600, 0 (closed), 7200
    assert figure["business_hours"]["mean_seconds"] == 2600.0
    add_interaction(scoped, "I4", at(2026, 3, 3, 9), first_response_at=at(2026, 3, 3, 9, 0, 30))
    assert _markers(scoped) == {date(2026, 3, 3)}
    assert frt()["interactions"] == 4 and frt()["median_seconds"] == 1200.0  # dirty day: raw
    scoped.org.business_hours = {}
    scoped.org.save(update_fields=["business_hours"])
    assert frt()["business_hours"]["median_seconds"] is None  # another calendar: raw
    assert scoped.org.pk in organizations_needing_recompute()
    rollup_recompute_dirty(organization_id=scoped.org.pk)
    assert frt()["median_seconds"] == 1200.0 and _markers(scoped) == set()


def test_a_rebuild_marks_every_day_and_stays_exact_while_it_catches_up(scoped):
    from metrics.rollups.build import rollup_reset

    add_feedback(scoped, at(2026, 3, 1, 10), nps=10)
    add_feedback(scoped, at(2026, 3, 4, 10), nps=0)
    rollup_rebuild(organization_id=scoped.org.pk)
    expected = metric_summary(organization=scoped.org, start=at(2026, 3, 1), end=at(2026, 3, 8))
    assert rollup_reset(organization_id=scoped.org.pk) == 4  # 03-01 … 03-04
    assert _markers(scoped) == {date(2026, 3, d) for d in range(1, 5)} and _totals(scoped) == {}
    assert metric_summary(organization=scoped.org, start=at(2026, 3, 1),
                          end=at(2026, 3, 8)) == expected
    assert rollup_recompute_dirty(organization_id=scoped.org.pk, limit=1,
                                  budget_seconds=0) == 3  # one batch, then the budget is out
    assert rollup_recompute_dirty(organization_id=scoped.org.pk, limit=2) == 0
    assert _totals(scoped) == {date(2026, 3, 1): 1, date(2026, 3, 4): 1}
    assert metric_summary(organization=scoped.org, start=at(2026, 3, 1),
                          end=at(2026, 3, 8)) == expected
