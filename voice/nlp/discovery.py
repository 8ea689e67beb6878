"""Topic discovery (pure Python, no Django): cluster short Chinese texts into themes.

TF-IDF over jieba content words (voice.nlp.wordcloud.tokens), then k-means on the
L2-normalised vectors. k is chosen by the silhouette score among 2..K_MAX (bounded by the
volume: at least MIN_CLUSTER_SIZE texts per cluster), so two obvious themes give two clusters
and a hundred varied complaints give more. Each cluster reports its top terms (highest
centroid weights) and the texts closest to its centroid as examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voice.nlp.wordcloud import tokens

#: Fewer texts than this: no clustering (a theme needs several voices).
MIN_TEXTS = 10
MIN_CLUSTER_SIZE = 3
K_MAX = 8
TOP_TERMS = 6
EXAMPLES = 3
SEED = 42
#: silhouette gain a larger k needs over the best smaller one
K_GAIN = 0.02
#: clusters whose centroids are at least this alike (cosine) are one theme
MERGE_SIMILARITY = 0.35


@dataclass
class Cluster:
    terms: list[str]
    members: list[int]  # indices into the input texts, closest to the centroid first
    size: int


def _features(words: list[str]) -> list[str]:
    """The words plus the character bigrams of longer words (开发票 also counts as 发票)."""
    grams = [w[i:i + 2] for w in words if len(w) > 2 for i in range(len(w) - 1)]
    return words + grams


def _merge_similar(model, labels) -> list[int]:
    """Labels after merging clusters whose centroids are alike (cosine ≥ MERGE_SIMILARITY):
    silhouette likes splitting one theme by its secondary words (积分清零 / 积分兑换失败)."""
    import numpy as np

    centers = model.cluster_centers_
    norms = np.linalg.norm(centers, axis=1, keepdims=True)
    unit = centers / np.where(norms == 0, 1, norms)
    similarity = unit @ unit.T
    parent = list(range(len(centers)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(centers)):
        for j in range(i + 1, len(centers)):
            if similarity[i, j] >= MERGE_SIMILARITY:
                parent[find(j)] = find(i)
    return [find(int(label)) for label in labels]


def _choose_k(matrix, n: int, distinct: int):
    """(k, labels, model) with the best silhouette among the candidate k."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    best = None
    # NOTE: never more clusters than distinct texts (k-means would warn and duplicate centres)
    k_max = max(2, min(K_MAX, n // MIN_CLUSTER_SIZE, distinct))
    for k in range(2, k_max + 1):
        model = KMeans(n_clusters=k, n_init=5, random_state=SEED).fit(matrix)
        if len(set(model.labels_)) < 2:
            continue
        score = silhouette_score(matrix, model.labels_, metric="cosine",
                                 sample_size=min(n, 2000), random_state=SEED)
        # NOTE: a larger k must earn its place (short texts split easily into near-duplicates).
        if best is None or score > best[0] + K_GAIN:
            best = (score, k, model)
    return best


def cluster_texts(texts: Sequence[str]) -> list[Cluster]:
    """Clusters of at least MIN_CLUSTER_SIZE texts, largest first; [] below MIN_TEXTS texts or
    when the texts share no vocabulary."""
    if len(texts) < MIN_TEXTS:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    token_lists = [tokens(t) for t in texts]
    keep = [i for i, words in enumerate(token_lists) if words]
    if len(keep) < MIN_TEXTS:
        return []
    vectorizer = TfidfVectorizer(analyzer=lambda i: _features(token_lists[i]), min_df=2,
                                 sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(keep)
    except ValueError:  # no term in two texts: nothing in common to cluster on
        return []
    rows = matrix.tocsr()
    rows.sort_indices()
    distinct = len({(tuple(rows[i].indices), tuple(rows[i].data.round(6)))
                    for i in range(rows.shape[0])})
    if distinct < 2:
        return []
    best = _choose_k(matrix, len(keep), distinct)
    if best is None:
        return []
    labels = _merge_similar(best[2], best[2].labels_)
    words = {w for words in token_lists for w in words}
    return _clusters(matrix, labels, vectorizer.get_feature_names_out(), keep, words)


def _clusters(matrix, labels: list[int], vocabulary, keep: list[int],
              words: set[str]) -> list[Cluster]:
    import numpy as np

    clusters = []
    for label in sorted(set(labels)):
        rows = [r for r, lab in enumerate(labels) if lab == label]
        if len(rows) < MIN_CLUSTER_SIZE:
            continue
        centroid = np.asarray(matrix[rows].mean(axis=0)).ravel()
        # NOTE: bigrams help grouping but only real words are shown (开发票 → 发票, not 开发).
        terms = [str(vocabulary[j]) for j in centroid.argsort()[::-1]
                 if centroid[j] > 0 and str(vocabulary[j]) in words][:TOP_TERMS]
        closeness = np.asarray(matrix[rows] @ centroid).ravel()
        ordered = [rows[i] for i in closeness.argsort()[::-1]]
        clusters.append(Cluster(terms=terms, members=[keep[r] for r in ordered], size=len(rows)))
    return sorted(clusters, key=lambda c: -c.size)
