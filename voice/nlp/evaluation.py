"""Evaluation of an analyzer on labelled rows (pure Python): accuracy, macro-F1, throughput,
topic accuracy. Rows whose text is in the training corpus are dropped first and counted."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from voice.nlp.artifact import normalized
from voice.nlp.types import NEGATIVE, POSITIVE, TopicSpec

WARM_UP = "物流很快，但是质量太差"
ERR_COLUMNS = "The CSV needs a header with the columns label,text (and optionally topic)."
ERR_LABEL = "Line {line}: label must be 1 (positive) or 0 (negative), not {value!r}."


def read_labelled_csv(path: str | Path) -> list[dict]:
    """[{"label": 1|0, "text", "topic"?}] from a `label,text[,topic]` CSV; ValueError on bad
    input, naming the line."""
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"label", "text"} <= set(reader.fieldnames):
            raise ValueError(ERR_COLUMNS)
        for line, row in enumerate(reader, start=2):
            value = (row.get("label") or "").strip()
            if value not in {"0", "1"}:
                raise ValueError(ERR_LABEL.format(line=line, value=value))
            entry = {"label": int(value), "text": row.get("text") or ""}
            if "topic" in reader.fieldnames:
                entry["topic"] = (row.get("topic") or "").strip()
            rows.append(entry)
    return rows


def drop_seen(rows: Sequence[dict], seen_texts: Iterable[str]) -> tuple[list[dict], int]:
    """The rows whose text (whitespace ignored) is not in the training texts, and how many
    were dropped."""
    seen = {normalized(t) for t in seen_texts}
    kept = [row for row in rows if normalized(row["text"]) not in seen]
    return kept, len(rows) - len(kept)


def _macro_f1(gold: list[int], predicted: list[str]) -> float:
    scores = []
    for cls, name in ((1, POSITIVE), (0, NEGATIVE)):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p == name)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != cls and p == name)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p != name)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / 2


def evaluate(analyzer, rows: Sequence[dict], topics: Sequence[TopicSpec] = (),
             batch: int = 512) -> dict:
    """{"n", "accuracy", "macro_f1", "texts_per_second", "neutral", ["topic_accuracy"]}.
    A neutral prediction counts as wrong. Throughput is of the sentiment only (no topics)."""
    texts = [row["text"] for row in rows]
    # NOTE: "after loading": the first call loads jieba's dictionary (about a second); a text
    # outside the set takes it out of the timing.
    analyzer.analyze_many([WARM_UP], [])
    started = time.perf_counter()
    labels = []
    for i in range(0, len(texts), batch):
        labels += [a.label for a in analyzer.analyze_many(texts[i:i + batch], [])]
    elapsed = time.perf_counter() - started
    gold = [row["label"] for row in rows]
    correct = sum(1 for g, p in zip(gold, labels, strict=True)
                  if (g == 1 and p == POSITIVE) or (g == 0 and p == NEGATIVE))
    result = {"n": len(rows), "accuracy": round(correct / len(rows), 4) if rows else 0.0,
              "macro_f1": round(_macro_f1(gold, labels), 4) if rows else 0.0,
              "texts_per_second": round(len(rows) / elapsed, 1) if elapsed > 0 else 0.0,
              "neutral": sum(1 for p in labels if p not in (POSITIVE, NEGATIVE))}
    if rows and "topic" in rows[0]:
        found = []
        for i in range(0, len(texts), batch):
            found += [{h.name for h in a.topics}
                      for a in analyzer.analyze_many(texts[i:i + batch], topics)]
        hits = sum(1 for row, names in zip(rows, found, strict=True) if row["topic"] in names)
        result["topic_accuracy"] = round(hits / len(rows), 4)
    return result
