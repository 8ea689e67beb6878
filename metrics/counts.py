"""Additive feedback counts: the only thing the raw path and the rollups exchange.

Every feedback figure (NPS, CSAT, CES, negative share, mean sentiment, volume, topic
mentions) is a function of these integer sums, so a rollup cell is just a stored `Counts`
and any grouping of cells adds up exactly (no floats are summed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Q, Sum, When
from django.db.models.functions import Cast, Coalesce, Round

from metrics import definitions as d


@dataclass
class Counts:
    feedback: int = 0
    nps_responses: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    csat_responses: int = 0
    csat_satisfied: int = 0
    csat_sum: int = 0
    ces_responses: int = 0
    ces_easy: int = 0
    ces_sum: int = 0
    analyzed: int = 0
    negatives: int = 0
    neutrals: int = 0
    positives: int = 0
    scored: int = 0
    sentiment_micro: int = 0
    #: mentions of a topic by the polarity of their clause (only in topic groupings)
    pain: int = 0
    delight: int = 0
    neutral_mentions: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def as_dict(self) -> dict:
        return asdict(self)


COUNT_FIELDS = tuple(f.name for f in fields(Counts))
TOPIC_ONLY_FIELDS = ("pain", "delight", "neutral_mentions")
FEEDBACK_FIELDS = tuple(name for name in COUNT_FIELDS if name not in TOPIC_ONLY_FIELDS)


def _flag(condition: Q) -> Sum:
    return Coalesce(Sum(Case(When(condition, then=1), default=0, output_field=IntegerField())), 0)


def aggregates(prefix: str = "", *, polarity: str | None = None) -> dict:
    """ORM aggregates computing `Counts` over feedback rows (`prefix` = path to the feedback;
    `polarity` = path to a topic link's polarity, to count mentions by polarity).

    NOTE: sentiment is summed as integer millionths so that sums of sums are exact.
    """
    p = prefix

    def q(**lookups) -> Q:
        return Q(**{p + key: value for key, value in lookups.items()})

    out = {
        "feedback": Count(p + "id" if p else "id"),
        "nps_responses": Count(p + "nps"),
        "promoters": _flag(q(nps__gte=d.PROMOTER_MIN)),
        "passives": _flag(q(nps__gt=d.DETRACTOR_MAX, nps__lt=d.PROMOTER_MIN)),
        "detractors": _flag(q(nps__lte=d.DETRACTOR_MAX)),
        "csat_responses": Count(p + "csat"),
        "csat_satisfied": _flag(q(csat__gte=d.CSAT_SATISFIED_MIN)),
        "csat_sum": Coalesce(Sum(p + "csat"), 0),
        "ces_responses": Count(p + "ces"),
        "ces_easy": _flag(q(ces__gte=d.CES_EASY_MIN)),
        "ces_sum": Coalesce(Sum(p + "ces"), 0),
        "analyzed": Count(p + "sentiment_label"),
        "negatives": _flag(q(sentiment_label="negative")),
        "neutrals": _flag(q(sentiment_label="neutral")),
        "positives": _flag(q(sentiment_label="positive")),
        "scored": Count(p + "sentiment_score"),
        "sentiment_micro": Coalesce(Sum(Cast(Round(F(p + "sentiment_score") * 1_000_000),
                                             BigIntegerField())), 0),
    }
    if polarity:
        out["pain"] = _flag(Q(**{polarity: "pain"}))
        out["delight"] = _flag(Q(**{polarity: "delight"}))
        out["neutral_mentions"] = _flag(Q(**{polarity: "neutral"}))
    # NOTE: aliased, so that an alias like "feedback" never shadows the relation of that name.
    return {ALIAS + name: expression for name, expression in out.items()}


ALIAS = "n_"


def counts_from_row(row: dict) -> Counts:
    """Counts from a row of `aggregates()` results (missing sums are 0)."""
    return Counts(**{name: int(row.get(ALIAS + name) or 0) for name in COUNT_FIELDS})


def feedback_metric(metric: str, counts: Counts) -> dict:
    """The figure of one feedback metric (value, responses and its counts) from counts."""
    if metric == d.NPS:
        return d.nps(promoters=counts.promoters, passives=counts.passives,
                     detractors=counts.detractors)
    if metric == d.CSAT:
        return d.csat(satisfied=counts.csat_satisfied, responses=counts.csat_responses,
                      score_sum=counts.csat_sum)
    if metric == d.CES:
        return d.ces(easy=counts.ces_easy, responses=counts.ces_responses,
                     score_sum=counts.ces_sum)
    if metric == d.NEGATIVE_SHARE:
        return d.negative_share(negatives=counts.negatives, analyzed=counts.analyzed)
    if metric == d.SENTIMENT:
        return {"value": d.mean_sentiment(sentiment_micro=counts.sentiment_micro,
                                          scored=counts.scored),
                "responses": counts.scored}
    if metric == d.VOLUME:
        return {"value": counts.feedback, "responses": counts.feedback}
    raise ValueError(f"not a feedback metric: {metric}")
