"""The metric formulas, hand-computed (metrics/definitions.py)."""

from metrics import definitions as d


def test_nps_is_promoters_minus_detractors_over_responses():
    # scores 10, 10, 9, 7, 3 → 3 promoters, 1 passive, 1 detractor → (3 − 1) / 5 = 40
    assert d.nps(promoters=3, passives=1, detractors=1) == {
        "value": 40.0, "promoters": 3, "passives": 1, "detractors": 1, "responses": 5}
    assert d.nps(promoters=0, passives=0, detractors=3)["value"] == -100.0
    assert d.nps(promoters=1, passives=1, detractors=1)["value"] == 0.0


def test_no_responses_is_null_not_zero():
    assert d.nps(promoters=0, passives=0, detractors=0)["value"] is None
    assert d.csat(satisfied=0, responses=0, score_sum=0)["value"] is None
    assert d.csat(satisfied=0, responses=0, score_sum=0)["mean"] is None
    assert d.ces(easy=0, responses=0, score_sum=0)["easy_share"] is None
    assert d.churn(churned=0, active_at_start=0)["rate"] is None
    assert d.negative_share(negatives=0, analyzed=0)["value"] is None
    assert d.mean_sentiment(sentiment_micro=0, scored=0) is None
    assert d.duration_stats([]) == {"median": None, "p90": None, "mean": None, "count": 0}


def test_csat_is_top_two_box_with_mean():
    # scores 5, 4, 3, 1 → 2 of 4 satisfied = 50 %, mean 13 / 4 = 3.25
    assert d.csat(satisfied=2, responses=4, score_sum=13) == {
        "value": 50.0, "mean": 3.25, "satisfied": 2, "responses": 4}


def test_ces_is_mean_effort_with_easy_share():
    # scores 7, 5, 2 → mean 14 / 3 = 4.67, easy (5–7) 2 / 3 = 66.7 %
    assert d.ces(easy=2, responses=3, score_sum=14) == {
        "value": 4.67, "easy_share": 66.7, "easy": 2, "responses": 3}


def test_churn_rate_in_percent():
    assert d.churn(churned=1, active_at_start=3) == {"rate": 33.33, "churned": 1,
                                                     "active_at_start": 3}


def test_duration_stats_interpolate_like_percentile_cont():
    # sorted 10, 20, 30, 40, 100: median 30; p90 at rank 3.6 → 40 + 0.6 × 60 = 76; mean 40
    assert d.duration_stats([40, 10, 100, 30, 20]) == {"median": 30.0, "p90": 76.0, "mean": 40.0,
                                                       "count": 5}
    assert d.duration_stats([5, 15]) == {"median": 10.0, "p90": 14.0, "mean": 10.0, "count": 2}
    assert d.duration_stats([7]) == {"median": 7.0, "p90": 7.0, "mean": 7.0, "count": 1}


def test_mean_sentiment_from_integer_millionths():
    assert d.mean_sentiment(sentiment_micro=-1_500_000, scored=3) == -0.5


def test_nps_impact_is_volume_weighted_difference():
    # all: 4 promoters, 2 passives, 4 detractors → NPS 0; topic: 0 p, 0 pa, 3 d (NPS −100)
    # without: 4 p, 2 pa, 1 d → NPS 300 / 7 = 42.857 → impact 0 − 42.857 = −42.9
    # = (−100 − 42.857) × 3 / 10
    impact = d.nps_impact(with_topic={"promoters": 0, "passives": 0, "detractors": 3},
                          overall={"promoters": 4, "passives": 2, "detractors": 4})
    assert impact == {"nps_with": -100.0, "nps_without": 42.9, "responses_with": 3,
                      "impact": -42.9, "share": 30.0}


def test_nps_impact_of_a_topic_in_every_response_is_unknown():
    impact = d.nps_impact(with_topic={"promoters": 1, "passives": 0, "detractors": 1},
                          overall={"promoters": 1, "passives": 0, "detractors": 1})
    assert impact["impact"] is None and impact["nps_without"] is None
