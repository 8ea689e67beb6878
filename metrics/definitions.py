"""The metric definitions of OpenCEM, in one place (pure Python, no ORM).

Every figure the product shows is computed by these functions from counts, so the raw path
and the rollups can never disagree on a formula. Percentages are 0–100 (NPS −100..100);
a metric over no data is None (null), never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

#: Metric names accepted by the selectors and the API.
NPS, CSAT, CES, CHURN = "nps", "csat", "ces", "churn"
FRT, RESOLUTION, NEGATIVE_SHARE = "frt", "resolution", "negative_share"
VOLUME, SENTIMENT = "volume", "sentiment"
FEEDBACK_METRICS = (NPS, CSAT, CES, NEGATIVE_SHARE, VOLUME, SENTIMENT)
INTERACTION_METRICS = (FRT, RESOLUTION)
METRICS = (NPS, CSAT, CES, CHURN, FRT, RESOLUTION, NEGATIVE_SHARE, VOLUME, SENTIMENT)

#: Score bands (DESIGN.md): NPS 0–10, CSAT 1–5, CES 1–7.
PROMOTER_MIN, DETRACTOR_MAX = 9, 6
CSAT_SATISFIED_MIN = 4
CES_EASY_MIN = 5

PERCENT_DIGITS = 1
MEAN_DIGITS = 2
SECONDS_DIGITS = 1


def _pct(part: int, whole: int, digits: int = PERCENT_DIGITS) -> float | None:
    return round(100.0 * part / whole, digits) if whole else None


def nps(*, promoters: int, passives: int, detractors: int) -> dict:
    """NPS = % promoters (9–10) − % detractors (0–6) over every response with an NPS score."""
    responses = promoters + passives + detractors
    value = round(100.0 * (promoters - detractors) / responses, PERCENT_DIGITS) if responses else None
    return {"value": value, "promoters": promoters, "passives": passives,
            "detractors": detractors, "responses": responses}


def csat(*, satisfied: int, responses: int, score_sum: int) -> dict:
    """CSAT = % of responses scoring 4–5 on the 1–5 scale (top-2-box); `mean` is the mean score."""
    mean = round(score_sum / responses, MEAN_DIGITS) if responses else None
    return {"value": _pct(satisfied, responses), "mean": mean, "satisfied": satisfied,
            "responses": responses}


def ces(*, easy: int, responses: int, score_sum: int) -> dict:
    """CES = mean of the 1–7 effort scores; `easy_share` = % of responses scoring 5–7 ("easy")."""
    value = round(score_sum / responses, MEAN_DIGITS) if responses else None
    return {"value": value, "easy_share": _pct(easy, responses), "easy": easy,
            "responses": responses}


def churn(*, churned: int, active_at_start: int) -> dict:
    """Churn rate = customers who churned in the period ÷ customers active at its start (%)."""
    return {"rate": _pct(churned, active_at_start, 2), "churned": churned,
            "active_at_start": active_at_start}


def response_rate(*, responses: int, invitations: int) -> dict:
    """Survey response rate = invitations answered ÷ invitations sent in the period (%)."""
    return {"rate": _pct(responses, invitations), "invitations": invitations,
            "responses": responses}


def negative_share(*, negatives: int, analyzed: int) -> dict:
    """% of analyzed feedback whose (possibly corrected) sentiment label is negative."""
    return {"value": _pct(negatives, analyzed), "negatives": negatives, "responses": analyzed}


def mean_sentiment(*, sentiment_micro: int, scored: int) -> float | None:
    """Mean sentiment score (−1..1) from the sum of scores in millionths (exact integer sums)."""
    return round(sentiment_micro / 1_000_000 / scored, 3) if scored else None


def percentile(ordered: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont) of sorted values."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def duration_stats(seconds: Iterable[float]) -> dict:
    """{median, p90, mean} of durations in seconds (None each when empty); median = p50."""
    ordered = sorted(seconds)
    if not ordered:
        return {"median": None, "p90": None, "mean": None, "count": 0}

    def rounded(value: float) -> float:
        return round(value, SECONDS_DIGITS)

    return {"median": rounded(percentile(ordered, 0.5)), "p90": rounded(percentile(ordered, 0.9)),
            "mean": rounded(math.fsum(ordered) / len(ordered)), "count": len(ordered)}


def nps_impact(*, with_topic: dict, overall: dict) -> dict:
    """How much one topic pulls NPS: NPS(all) − NPS(all without the topic's responses).

    Equals (NPS with − NPS without) × share of responses with the topic (the volume weight).
    `with_topic` and `overall` hold promoters / passives / detractors counts.
    """
    keys = ("promoters", "passives", "detractors")
    without = {k: overall[k] - with_topic[k] for k in keys}
    nps_with = nps(**{k: with_topic[k] for k in keys})
    nps_without = nps(**without)
    nps_all = nps(**{k: overall[k] for k in keys})
    impact = None
    if nps_all["value"] is not None and nps_without["value"] is not None:
        total = nps_all["responses"]
        exact_all = 100.0 * (overall["promoters"] - overall["detractors"]) / total
        rest = nps_without["responses"]
        exact_without = 100.0 * (without["promoters"] - without["detractors"]) / rest
        impact = round(exact_all - exact_without, PERCENT_DIGITS)
    return {"nps_with": nps_with["value"], "nps_without": nps_without["value"],
            "responses_with": nps_with["responses"], "impact": impact,
            "share": _pct(nps_with["responses"], nps_all["responses"])}
