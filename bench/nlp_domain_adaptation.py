"""Domain adaptation (what `train_sentiment --org S --csv PATH` does) on waimai_10k: an 80/20
train_test_split (random_state=42, stratified); the default model vs the default corpus plus
the train split, both scored on the test split.

    .venv/bin/python bench/nlp_domain_adaptation.py [--set waimai_10k] [--model-dir DIR]

Skips with a message when ../shared/data/sentiment is absent. The adapted artifact is cached
in --model-dir like an organization's model.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "sentiment"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default="waimai_10k")
    parser.add_argument("--model-dir", default=str(ROOT / "var" / "models"))
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"skipped: {DATA} is absent (public evaluation sets, see its README)")
    sys.path.insert(0, str(ROOT))
    from sklearn.model_selection import train_test_split

    from voice.nlp import artifact
    from voice.nlp.evaluation import drop_seen, evaluate, read_labelled_csv
    from voice.nlp.model import SentimentAnalyzer

    rows, dropped = drop_seen(read_labelled_csv(DATA / f"{args.set}.csv"),
                              artifact.default_corpus()[0])
    train, test = train_test_split(rows, test_size=0.2, random_state=42,
                                   stratify=[r["label"] for r in rows])
    folder = Path(args.model_dir)
    default, _ = artifact.load_or_train(folder)
    started = time.monotonic()
    adapted, trained = artifact.load_or_train(folder, [(r["label"], r["text"]) for r in train])
    seconds = time.monotonic() - started
    print(f"{args.set}: {len(rows)} rows ({dropped} dropped as seen in training), "
          f"train {len(train)} / test {len(test)}; adapted model "
          + (f"trained in {seconds:.1f} s" if trained else "cached"))
    print("| model | training rows | test accuracy | macro-F1 |")
    print("|---|---:|---:|---:|")
    for name, weights in (("default", default), ("default + train split", adapted)):
        result = evaluate(SentimentAnalyzer(weights), test)
        rows_used = weights.meta["rows_default"] + weights.meta["rows_extra"]
        print(f"| {name} | {rows_used} | {result['accuracy']:.4f} | {result['macro_f1']:.4f} |")


if __name__ == "__main__":
    main()
