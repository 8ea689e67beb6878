"""Features of the default model: jieba words and bigrams, negation-scoped words, character
1-3 grams and lexicon classes (a positive / negative / negated lexicon word), per clause (never
across a clause boundary), hashed into a fixed-size space."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.utils import murmurhash3_32

from voice.nlp.lexicon import NEGATION_WINDOW, NEGATORS, negator_before, sentiment_words
from voice.nlp.text import clauses, tokenizer

N_FEATURES = 2 ** 20
#: Bump when the features change: it is part of every artifact key.
FEATURE_CONFIG = (f"v2 words+bigrams+neg+char1-3+lexclass hashed {N_FEATURES} binary "
                  "idf*|nb-ratio|^0.5 l2")
#: Lexicon-class features: every hand-written lexicon word also fires one shared feature for its
#: class (L+, L-, and LN+ / LN- when negated), so the model learns one weight per class from the
#: corpus and carries it to lexicon words the corpus never saw (难吃, 送餐慢, 凉了 …).
LEX_POS, LEX_NEG, LEX_NEG_POS, LEX_NEG_NEG = "L+", "L-", "LN+", "LN-"


def clause_features(clause: str, tokens: Sequence[str] | None = None) -> list[str]:
    tokens = tokens if tokens is not None else [t for t in tokenizer().lcut(clause) if t.strip()]
    feats = ["w" + t for t in tokens]
    feats += ["b" + a + "|" + b for a, b in zip(tokens, tokens[1:], strict=False)]
    last_neg = -NEGATION_WINDOW - 1
    for i, t in enumerate(tokens):
        if t in NEGATORS:
            last_neg = i
        elif i - last_neg <= NEGATION_WINDOW:
            feats.append("n" + t)
    lexicon = sentiment_words()
    for i, t in enumerate(tokens):
        polarity = lexicon.get(t)
        if polarity is None:
            continue
        if negator_before(tokens, i) is not None:
            feats.append(LEX_NEG_POS if polarity > 0 else LEX_NEG_NEG)
        else:
            feats.append(LEX_POS if polarity > 0 else LEX_NEG)
    chars = clause.replace(" ", "")
    n = len(chars)
    feats += ["c" + chars[i:i + k] for k in (1, 2, 3) for i in range(n - k + 1)]
    return feats


def text_features(text: str) -> list[str]:
    out: list[str] = []
    for clause, _s, _e in clauses(text):
        out += clause_features(clause)
    return out


@lru_cache(maxsize=1 << 16)
def index(feature: str) -> int:
    """The hashed column of a feature (the same as sklearn's FeatureHasher)."""
    h = murmurhash3_32(feature, seed=0)
    return (2 ** 31 - 1) % N_FEATURES if h == -(2 ** 31) else abs(h) % N_FEATURES


_HASHER = None


def hashed(feature_lists: Iterable[Sequence[str]]) -> sparse.csr_matrix:
    """Binary document × hashed-feature matrix (sklearn's FeatureHasher, the same columns as
    `index`)."""
    global _HASHER
    if _HASHER is None:
        from sklearn.feature_extraction import FeatureHasher

        _HASHER = FeatureHasher(n_features=N_FEATURES, input_type="string",
                                alternate_sign=False, dtype=np.float32)
    matrix = _HASHER.transform(feature_lists).tocsr()
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def nb_ratio(matrix: sparse.csr_matrix, y: np.ndarray, sample_weight: np.ndarray,
             alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratio of every column (Wang & Manning 2012): log of a feature's
    share among the positive rows over its share among the negative rows, smoothed."""
    weighted = sparse.diags(sample_weight.astype(np.float64)) @ matrix
    p = np.asarray(weighted[y == 1].sum(axis=0)).ravel() + alpha
    q = np.asarray(weighted[y == 0].sum(axis=0)).ravel() + alpha
    return np.log((p / p.sum()) / (q / q.sum()))


def weigh(matrix: sparse.csr_matrix, idf: np.ndarray,
          return_norms: bool = False):
    """Per-column weights (the artifact's `idf`: idf × |NB ratio| ** artifact.NB_POWER) then
    l2 normalisation per row (and the norms, when asked)."""
    weighted = matrix.tocsr(copy=True)
    weighted.data = weighted.data * idf[weighted.indices]
    squares = np.add.reduceat(weighted.data ** 2, weighted.indptr[:-1]) if weighted.nnz else []
    counts = np.diff(weighted.indptr)
    norms = np.where(counts > 0, np.sqrt(squares) if weighted.nnz else 0.0, 0.0)
    scale = np.divide(1.0, norms, out=np.zeros_like(norms, dtype=np.float64), where=norms > 0)
    weighted.data = (weighted.data * np.repeat(scale, counts)).astype(np.float32)
    normalized = weighted
    return (normalized, norms) if return_norms else normalized
