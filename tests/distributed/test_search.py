"""Exact search sharded over workers equals brute force; FAISS keeps recall@10 high."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed", reason="needs the dist extra: pip install 'policy-align[dist]'")
pytest.importorskip("faiss", reason="needs the dist extra: pip install 'policy-align[dist]'")

from alignment.distributed.search import (  # noqa: E402
    ApproximateIndex,
    VectorIndex,
    exact_search,
    recall_at_k,
    top_k,
)

pytestmark = pytest.mark.dist


def unit_rows(n: int, d: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def brute_force(queries: np.ndarray, vectors: np.ndarray, k: int) -> np.ndarray:
    """Ids of the k best rows per query, ties to the lower id: the definition exact search follows."""
    s = queries @ vectors.T
    ids = np.broadcast_to(np.arange(len(vectors)), s.shape)
    return np.lexsort((ids, -s), axis=1)[:, :k]


@pytest.fixture(scope="module")
def corpus():
    x = unit_rows(20_000, 64, seed=1)
    x[[900, 4000, 19_999]] = x[17]  # duplicate texts embed identically: ties must not depend on shards
    return x


def test_top_k_breaks_ties_by_id():
    scores = np.array([[0.5, 0.9, 0.5, 0.9, 0.5]], dtype=np.float32)
    s, i = top_k(scores, 3, offset=10)
    assert i.tolist() == [[11, 13, 10]] and np.array_equal(s, scores[:, [1, 3, 0]])


def test_exact_search_sharded_over_workers_equals_brute_force(corpus, client):
    queries = np.vstack([corpus[:50], unit_rows(50, 64, seed=2)])
    want = brute_force(queries, corpus, 10)
    for c in (None, client):
        scores, ids = exact_search(queries, corpus, 10, client=c, shard_rows=3_000)
        assert np.array_equal(ids, want)
        assert np.all(np.diff(scores, axis=1) <= 0)
    assert ids[17][:4].tolist() == [17, 900, 4000, 19_999]


def test_hnsw_recall_at_10_against_exact(corpus):
    queries = unit_rows(300, 64, seed=3)  # held out: not rows of the corpus
    _, truth = exact_search(queries, corpus, 10)
    _, found = ApproximateIndex(kind="hnsw").fit(corpus).search(queries, 10)
    assert recall_at_k(found, truth) >= 0.9
    assert recall_at_k(truth, truth) == 1.0


def test_vector_index_is_exact_below_the_threshold_and_approximate_above(corpus):
    queries = unit_rows(100, 64, seed=4)
    small = VectorIndex(corpus[:5_000], threshold=10_000)
    assert small.kind == "exact" and small.recall(queries) == 1.0
    large = VectorIndex(corpus, threshold=10_000)
    assert large.kind == "hnsw" and large.recall(queries) >= 0.9
