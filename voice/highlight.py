"""The analysis explanation (voice.nlp.types.EXPLANATION) as highlighted pieces of the text.

Clauses are coloured by their score, decisive words are bold. Offsets that do not fit the text
are ignored, so a stale or odd explanation never breaks the page. The pieces are plain text:
the template escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass

#: a clause scoring beyond ±TONE_THRESHOLD is coloured positive / negative
TONE_THRESHOLD = 0.1


@dataclass
class Piece:
    text: str
    tone: str = ""  # "pos" | "neg" | ""
    bold: bool = False
    clause_score: float | None = None
    word_weight: float | None = None


def _spans(entries, length: int, value_key: str) -> list[tuple[int, int, float]]:
    spans = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        start, end, value = entry.get("start"), entry.get("end"), entry.get(value_key)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            value = 0.0
        if 0 <= start < end <= length:
            spans.append((start, end, float(value)))
    return spans


def _tone(score: float | None) -> str:
    if score is None:
        return ""
    return "pos" if score > TONE_THRESHOLD else "neg" if score < -TONE_THRESHOLD else ""


def _covering(spans, start: int, end: int) -> tuple[int, int, float] | None:
    return next((span for span in spans if span[0] <= start and end <= span[1]), None)


def highlight(text: str, explanation: dict | None) -> list[Piece]:
    """The whole text as ordered pieces; without a usable explanation, one plain piece."""
    explanation = explanation if isinstance(explanation, dict) else {}
    clauses = _spans(explanation.get("clauses"), len(text), "score")
    words = _spans(explanation.get("words"), len(text), "weight")
    if not text or not (clauses or words):
        return [Piece(text)] if text else []
    cuts = sorted({0, len(text), *[p for s in clauses + words for p in s[:2]]})
    pieces: list[Piece] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        clause = _covering(clauses, start, end)
        word = _covering(words, start, end)
        piece = Piece(text[start:end], tone=_tone(clause[2] if clause else None),
                      bold=word is not None, clause_score=clause[2] if clause else None,
                      word_weight=word[2] if word else None)
        last = pieces[-1] if pieces else None
        if last and (last.tone, last.bold, last.clause_score, last.word_weight) == (
                piece.tone, piece.bold, piece.clause_score, piece.word_weight):
            last.text += piece.text
        else:
            pieces.append(piece)
    return pieces


def decisive_words(explanation: dict | None, limit: int = 8) -> list[dict]:
    """The words that moved the score most, strongest first: [{"word", "weight"}]."""
    entries = (explanation or {}).get("words") if isinstance(explanation, dict) else None
    words = [{"word": str(e.get("word", "")), "weight": float(e.get("weight") or 0)}
             for e in entries or [] if isinstance(e, dict) and e.get("word")
             and isinstance(e.get("weight", 0), int | float)]
    return sorted(words, key=lambda w: -abs(w["weight"]))[:limit]


def explanation_rules(explanation: dict | None) -> list[str]:
    rules = (explanation or {}).get("rules") if isinstance(explanation, dict) else None
    return [str(rule) for rule in rules or [] if isinstance(rule, str | int | float)][:20]
