"""Nearest-neighbour search over embeddings that holds at the size of a national library.

Vectors are (n, d) float32 with L2-normalised rows, so the inner product is the cosine.

* :class:`ExactIndex` / :func:`exact_search`: the true top ``k`` by inner product. With a Dask
  client the corpus is cut into row shards, scattered once to the workers; each shard returns its
  own top ``k`` per query and the client merges them (the top ``k`` of the union of per-shard top
  ``k`` lists is the global top ``k``). Ties go to the lower row id, so the answer does not depend
  on the shards.
* :class:`ApproximateIndex`: a FAISS index (``pip install 'policy-align[dist]'``): HNSW
  (``IndexHNSWFlat``, no training, the default) or IVF (``IndexIVFFlat``, trained k-means lists),
  both on the inner product.
* :class:`VectorIndex`: exact up to :data:`APPROXIMATE_ABOVE` vectors, approximate beyond, with
  :meth:`VectorIndex.recall` measuring recall@k of the approximate answer against the exact one.

Recall and speed-up measured on this project's embeddings are in docs/scaling.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from alignment.distributed.cluster import stream_map
from alignment.errors import ConfigError, MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

#: Up to this many vectors :class:`VectorIndex` searches exactly; beyond it, with FAISS.
APPROXIMATE_ABOVE = 100_000
#: Rows of one exact-search shard (a worker holds it, (rows, d) float32).
SHARD_ROWS = 65_536
#: Query rows x corpus rows scored at once inside a shard: 64 MB of float32 scores.
BLOCK_CELLS = 1 << 24
#: FAISS defaults: HNSW graph degree, construction and search breadth; IVF lists per sqrt(n), probes.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96
IVF_LISTS_PER_SQRT = 4
IVF_NPROBE = 24
KINDS = ("exact", "hnsw", "ivf")


def _as_matrix(x: np.ndarray, name: str) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ConfigError(f"向量 {name} 应为 (n, d) 矩阵，而不是形状 {x.shape}。")
    return x


def top_k(scores: np.ndarray, k: int, *, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Per row of (nq, n) ``scores``: the ``k`` best (scores, ids + ``offset``), best first, ties to
    the lower id; (nq, min(k, n)) float32 and int64."""
    n = scores.shape[1]
    k = min(k, n)
    if k == 0:
        return np.zeros((len(scores), 0), np.float32), np.zeros((len(scores), 0), np.int64)
    # argpartition may pick either of two equal scores at the boundary: where more than k scores
    # reach the k-th best, widen the cut to all of them and keep the k best by (score desc, id asc).
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part_s = np.take_along_axis(scores, part, axis=1)
    kth = part_s.min(axis=1, keepdims=True)
    for r in np.nonzero((scores >= kth).sum(axis=1) > k)[0]:
        cand = np.nonzero(scores[r] >= kth[r])[0]
        part[r] = cand[np.lexsort((cand, -scores[r, cand]))[:k]]
        part_s[r] = scores[r, part[r]]
    order = np.lexsort((part, -part_s), axis=1)
    return (np.take_along_axis(part_s, order, axis=1).astype(np.float32),
            np.take_along_axis(part, order, axis=1).astype(np.int64) + offset)


def _merge(parts: list[tuple[np.ndarray, np.ndarray]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The best ``k`` of several (scores, ids) lists per query, ties to the lower id."""
    s = np.concatenate([p[0] for p in parts], axis=1)
    i = np.concatenate([p[1] for p in parts], axis=1)
    k = min(k, s.shape[1])
    order = np.lexsort((i, -s), axis=1)[:, :k]
    return np.take_along_axis(s, order, axis=1), np.take_along_axis(i, order, axis=1)


def shard_search_task(shard: tuple[int, np.ndarray], *, queries: np.ndarray,
                      k: int) -> tuple[np.ndarray, np.ndarray]:
    """The top ``k`` of one shard of corpus rows (starting at row ``offset``) for every query."""
    offset, rows = shard
    step = max(1, BLOCK_CELLS // max(len(rows), 1))
    out_s, out_i = [], []
    for a in range(0, len(queries), step):
        s, i = top_k(queries[a:a + step] @ rows.T, k, offset=offset)
        out_s.append(s)
        out_i.append(i)
    return np.vstack(out_s), np.vstack(out_i)


class ExactIndex:
    """Exact search over ``vectors`` cut into shards of ``shard_rows`` rows: held in this process,
    or, with ``client``, scattered once over its workers (each shard stays on one worker, and each
    search sends only the queries)."""

    def __init__(self, vectors: np.ndarray, *, client: "Client | None" = None,
                 shard_rows: int = SHARD_ROWS) -> None:
        self.vectors = _as_matrix(vectors, "vectors")
        self.client = client
        shards = [(a, self.vectors[a:a + shard_rows]) for a in range(0, len(self.vectors), shard_rows)]
        self.shards_: list[Any] = shards if client is None else client.scatter(shards, hash=False)

    def search(self, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), both (nq, min(k, n)), best first, ties to the lower id."""
        queries = _as_matrix(queries, "queries")
        if queries.shape[1] != self.vectors.shape[1]:
            raise ConfigError(f"查询向量是 {queries.shape[1]} 维，索引中的向量是 {self.vectors.shape[1]} 维：两者须一致。")
        if len(self.vectors) == 0 or len(queries) == 0:
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        q = queries if self.client is None else self.client.scatter(queries, broadcast=True, hash=False)
        parts: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(self.shards_)
        for i, part in stream_map(shard_search_task, self.shards_, client=self.client, queries=q, k=k):
            parts[i] = part
        return _merge([p for p in parts if p is not None], k)


def exact_search(queries: np.ndarray, vectors: np.ndarray, k: int = 10, *, client: "Client | None" = None,
                 shard_rows: int = SHARD_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """The exact top ``k`` rows of ``vectors`` by inner product for each query: (scores, ids), both
    (nq, min(k, n)), best first. With ``client`` the shards are searched on its workers."""
    return ExactIndex(vectors, client=client, shard_rows=shard_rows).search(queries, k)


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each query's true top-k ids (rows of ``truth``) among the ids ``found``."""
    if truth.size == 0:
        return 1.0
    hits = sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth))
    return hits / truth.size


def _faiss() -> Any:
    try:
        import faiss
    except ImportError:
        raise MissingDependencyError("faiss-cpu", "dist", "近似向量检索（approximate search）") from None
    return faiss


@dataclass
class ApproximateIndex:
    """A FAISS inner-product index over L2-normalised rows.

    ``kind``: 'hnsw' (graph, no training; ``m``, ``ef_construction``, ``ef_search``) or 'ivf'
    (inverted lists of a k-means quantizer; ``nlist`` lists, default ``4 * sqrt(n)``, ``nprobe``
    searched). Build with :meth:`fit`; ids are row numbers of the fitted matrix.
    """

    kind: str = "hnsw"
    m: int = HNSW_M
    ef_construction: int = HNSW_EF_CONSTRUCTION
    ef_search: int = HNSW_EF_SEARCH
    nlist: int | None = None
    nprobe: int = IVF_NPROBE
    seed: int = 0

    def fit(self, vectors: np.ndarray) -> "ApproximateIndex":
        faiss = _faiss()
        x = _as_matrix(vectors, "vectors")
        n, d = x.shape
        if self.kind == "hnsw":
            index = faiss.IndexHNSWFlat(d, self.m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            index.add(x)
        elif self.kind == "ivf":
            nlist = self.nlist or max(1, min(n // 39, int(IVF_LISTS_PER_SQRT * np.sqrt(n))))
            quantizer = faiss.IndexFlatIP(d)
            index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
            index.cp.seed = self.seed
            index.train(x)
            index.add(x)
            self.quantizer_ = quantizer  # the IVF index does not own it
        else:
            raise ConfigError(f"未知的近似索引类型 {self.kind!r}：可选 hnsw、ivf。")
        self.index_ = index
        self.n_ = n
        return self

    def search(self, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the approximate top ``k``, (nq, k); id -1 where fewer were found."""
        if self.kind == "hnsw":
            self.index_.hnsw.efSearch = max(self.ef_search, k)
        else:
            self.index_.nprobe = self.nprobe
        scores, ids = self.index_.search(_as_matrix(queries, "queries"), min(k, self.n_))
        return scores, ids.astype(np.int64)


class VectorIndex:
    """Exact search up to ``threshold`` vectors (sharded over ``client``'s workers when given),
    FAISS beyond it (``approximate``: 'hnsw' or 'ivf'); ``kind`` forces one ('exact', 'hnsw', 'ivf')."""

    def __init__(self, vectors: np.ndarray, *, client: "Client | None" = None,
                 threshold: int = APPROXIMATE_ABOVE, approximate: str = "hnsw",
                 kind: str | None = None) -> None:
        self.vectors = _as_matrix(vectors, "vectors")
        self.client = client
        self.kind = kind or ("exact" if len(self.vectors) <= threshold else approximate)
        if self.kind not in KINDS:
            raise ConfigError(f"未知的检索方式 {self.kind!r}：可选 {'、'.join(KINDS)}。")
        self.exact_ = ExactIndex(self.vectors, client=client)
        self.approx_ = ApproximateIndex(kind=self.kind).fit(self.vectors) if self.kind != "exact" else None

    def search(self, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), (nq, k), best first."""
        if self.approx_ is None:
            return self.exact_.search(queries, k)
        return self.approx_.search(queries, k)

    def recall(self, queries: np.ndarray, k: int = 10) -> float:
        """recall@k of this index's answer against exact search (1.0 for an exact index)."""
        _, truth = self.exact_.search(queries, k)
        _, found = self.search(queries, k)
        return recall_at_k(found, truth)
