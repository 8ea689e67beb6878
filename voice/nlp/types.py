"""The contract between the analysis workers and any sentiment/topic model (pure Python).

A model is an `Analyzer`: given texts and the organization's taxonomy it returns one
`TextAnalysis` per text. `explanation` is stored as JSON on FeedbackAnalysis and drives the
highlighting on the feedback page, so its shape is part of the contract (see EXPLANATION).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Protocol

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
PAIN, DELIGHT, NEUTRAL_POLARITY = "pain", "delight", "neutral"

#: The JSON shape of `TextAnalysis.explanation` (offsets are str indices into the text):
#: {"source": "text" | "score",
#:  "clauses": [{"text", "start", "end", "score" (-1..1), "weight" (share of the final score)}],
#:  "words":   [{"word", "start", "end", "weight" (+ pulls positive, - pulls negative)}],
#:  "rules":   ["negation: 不太满意", "contrast: 但是 (later clause weighs more)", ...]}
EXPLANATION = ("source", "clauses", "words", "rules")


class TransientAnalysisError(RuntimeError):
    """A passing failure of a scoring dependency: the task retries with back-off."""


@dataclass(frozen=True)
class TopicSpec:
    """One taxonomy entry as the analyzer sees it: a name and its keywords/phrases."""

    name: str
    keywords: tuple[str, ...]


@dataclass
class TopicHit:
    """A topic found in a text; `polarity` comes from the clause that mentions it."""

    name: str
    polarity: str  # pain | delight | neutral
    clause: str = ""
    keyword: str = ""


@dataclass
class TextAnalysis:
    label: str  # positive | neutral | negative
    score: float  # -1..1
    topics: list[TopicHit] = field(default_factory=list)
    explanation: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


class Analyzer(Protocol):
    """What the workers call. `version` names the model (stored with every score)."""

    version: str

    def analyze_many(self, texts: Sequence[str],
                     topics: Sequence[TopicSpec]) -> list[TextAnalysis]: ...
