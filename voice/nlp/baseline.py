"""The SnowNLP baseline analyzer: SnowNLP's own sentiment per clause, keyword topics.

It stays available as the yardstick the default model must beat (issue: text analytics), and
is the fallback when no trained model is available.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from voice.nlp.types import (
    DELIGHT,
    NEGATIVE,
    NEUTRAL,
    NEUTRAL_POLARITY,
    PAIN,
    POSITIVE,
    TextAnalysis,
    TopicHit,
    TopicSpec,
)

#: Clause boundaries: sentence and clause punctuation (full- and half-width) and line breaks.
CLAUSE_SPLIT = re.compile(r"[^，。！？；、,.!?;~～\n\r]+")
NEUTRAL_BAND = 0.15


def clauses(text: str) -> list[tuple[str, int, int]]:
    """(clause, start, end) spans of a text, punctuation dropped."""
    return [(m.group().strip(), m.start(), m.end()) for m in CLAUSE_SPLIT.finditer(text)
            if m.group().strip()]


def label_for(score: float, band: float = NEUTRAL_BAND) -> str:
    if score > band:
        return POSITIVE
    if score < -band:
        return NEGATIVE
    return NEUTRAL


def polarity_for(score: float, band: float = NEUTRAL_BAND) -> str:
    return {POSITIVE: DELIGHT, NEGATIVE: PAIN}.get(label_for(score, band), NEUTRAL_POLARITY)


def match_topics(spans: list[tuple[str, int, int, float]],
                 topics: Sequence[TopicSpec], band: float = NEUTRAL_BAND) -> list[TopicHit]:
    """Every topic whose keyword occurs in a clause, with that clause's polarity (first match)."""
    hits: list[TopicHit] = []
    for topic in topics:
        for clause, _start, _end, score in spans:
            keyword = next((k for k in topic.keywords if k and k in clause), None)
            if keyword:
                hits.append(TopicHit(topic.name, polarity_for(score, band), clause, keyword))
                break
    return hits


class SnowNLPAnalyzer:
    """SnowNLP's probability p mapped to 2p − 1 per clause; the text scores the clause mean."""

    version = "snownlp-0.12.3"

    def __init__(self):
        from snownlp import SnowNLP

        self._snow = SnowNLP

    def score(self, text: str) -> float:
        return 2.0 * self._snow(text).sentiments - 1.0

    def analyze_many(self, texts: Sequence[str],
                     topics: Sequence[TopicSpec]) -> list[TextAnalysis]:
        return [self._analyze(text, topics) for text in texts]

    def _analyze(self, text: str, topics: Sequence[TopicSpec]) -> TextAnalysis:
        spans = [(c, s, e, self.score(c)) for c, s, e in clauses(text)]
        if not spans:
            return TextAnalysis(NEUTRAL, 0.0, [], {"source": "text", "clauses": [], "words": [],
                                                   "rules": []})
        total = sum(score for *_rest, score in spans) / len(spans)
        explanation = {
            "source": "text",
            "clauses": [{"text": c, "start": s, "end": e, "score": round(v, 4),
                         "weight": round(1 / len(spans), 4)} for c, s, e, v in spans],
            "words": [], "rules": [],
        }
        return TextAnalysis(label_for(total), round(total, 4), match_topics(spans, topics),
                            explanation)
