"""An :class:`~alignment.pipeline.Engine` whose heavy stages run on a Dask cluster.

:class:`ClusterEngine` is the in-process engine with three stages sent to the workers, and nothing
else changed, so :func:`alignment.pipeline.align` and everything after it (decisions, evidence,
tracing, analysis) run the pipeline's own code on the client:

* tokenizing (``Segmenter.terms``): the texts the memo does not hold, in chunks, one task each;
* embedding: :class:`ClusterEmbedder` behind the engine's usual cache, the misses in chunks;
* pair features (:func:`sharded_pair_features`): :func:`alignment.align.features.pair_features`
  over shards of directive rows against the whole plan side (scattered once to every worker), then
  the one feature that looks across directives, ``cos_rev_rank``, over shards of plan units.
  The client concatenates the shards and computes the probabilities on the whole table.

Every feature of a pair depends on its directive's row of each similarity matrix, except
``cos_rev_rank`` (the directive's rank among all directives for that unit), which is why it has its
own pass. A pairing too small to be worth shipping (:data:`LOCAL_CELLS`) is scored on the client.

The table equals the in-process one: every value bit for bit, with two caveats. (1) A BLAS may
round a small product differently from a large one (OpenBLAS has small-matrix kernels, and uses
gemv for a single row), so every shard's product stays above :data:`MIN_BLOCK_MACS` multiply-adds
and two rows, or the whole product is one shard; workers must run the client's numpy/BLAS build.
(2) The IDF overlap features sum a Python ``set`` of terms, whose order follows the process's
string-hash seed, so they may differ in the last bit between any two processes, the in-process
engine's included; set the same ``PYTHONHASHSEED`` on client and workers to remove even that.
Neither changes a status or a reported (4-decimal) score in practice: the tests check both.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from alignment.align.features import PairTable, Side
from alignment.distributed.cluster import runs, stream_map
from alignment.distributed.worker import EngineConfig, worker_engine
from alignment.embed.base import Embedder, Kind
from alignment.pipeline import DEFAULT_EMBEDDER, DEFAULT_K, DEFAULT_METHOD, Engine

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from distributed import Client

    from alignment.align import Prepared, Scored
    from alignment.align.scorer import PairScorer

#: Below this many multiply-adds a BLAS product may take a path that rounds differently (OpenBLAS's
#: small-matrix kernels start near 10^6); shards stay 16x above it.
MIN_BLOCK_MACS = 1 << 24
#: Cells (directive rows x plan units) of one scoring shard: each similarity matrix of the shard
#: is then 8 MB in float64, and a shard holds about two dozen of them at its peak.
SHARD_CELLS = 1 << 20
#: Texts sent to a worker in one tokenizing or embedding task, at most; and characters.
TEXTS_PER_TASK = 256
CHARS_PER_TASK = 40_000
#: Directive rows x plan units up to which the client scores a pairing itself (tracing aligns many
#: small ones: one lower-level document against the levels above it).
LOCAL_CELLS = 1 << 18
#: The feature computed across directives, fixed up after the shards (see the module docstring).
REV_RANK = "cos_rev_rank"


def blocks(n_rows: int, n_cols: int, dim: int, *, cells: int = SHARD_CELLS) -> list[tuple[int, int]]:
    """Balanced ``[start, end)`` row blocks of an (n_rows, n_cols) similarity matrix.

    A block has about ``cells`` cells. With ``dim`` > 0 (the rows come from a (rows, dim) @
    (dim, n_cols) product) every block also keeps at least two rows and :data:`MIN_BLOCK_MACS`
    multiply-adds, and a product too small for two such blocks is one block, so that each block's
    product rounds exactly as the whole product does.
    """
    if n_rows == 0:
        return []
    min_rows = 1
    if dim > 0:
        if n_rows < 4 or n_cols < 2 or n_rows * n_cols * dim < 2 * MIN_BLOCK_MACS:
            return [(0, n_rows)]
        min_rows = max(2, -(-MIN_BLOCK_MACS // (n_cols * dim)))
    rows = max(min_rows, cells // max(n_cols, 1))
    n_blocks = max(1, min(n_rows // min_rows, -(-n_rows // rows)))
    bounds = np.linspace(0, n_rows, n_blocks + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]


def text_chunks(texts: Sequence[str], *, size: int = TEXTS_PER_TASK,
                chars: int = CHARS_PER_TASK) -> list[tuple[int, int]]:
    """``[start, end)`` runs of ``texts`` with at most ``size`` texts and about ``chars`` characters."""
    return runs([len(t) for t in texts], max_items=size, max_weight=chars)


# --- tasks (run on the workers) ------------------------------------------------------------------

def terms_task(texts: list[str], *, config: EngineConfig) -> list[list[str]]:
    """``Segmenter.terms`` of each text, with the worker's segmenter."""
    seg = worker_engine(config).segmenter
    return [seg.terms(t) for t in texts]


def embed_task(texts: list[str], *, config: EngineConfig, kind: Kind) -> np.ndarray:
    """(len(texts), d) float32 L2-normalised vectors from the worker's embedder (no cache there)."""
    return worker_engine(config).embedder.embed(texts, kind=kind, cache=False)


def pair_shard_task(shard: tuple[Side, Side], *, u_side: Side, method: str, k: int) -> PairTable:
    """:func:`~alignment.align.features.pair_features` of one shard of directives (``d_idx`` local).

    ``u_side`` is the scattered plan side: one object per worker, so its derived lexical index and
    term sets (``Side.memo``) are built once per worker, not once per shard.
    """
    from alignment.align.features import pair_features

    d_side, sub_side = shard
    return pair_features(d_side, u_side, sub=sub_side, method=method, k=k)


def rev_rank_task(block: tuple[int, int, np.ndarray, np.ndarray], *, d_vectors: np.ndarray,
                  u_side: Side) -> np.ndarray:
    """For the pairs ``(d_idx, u_idx)`` whose unit is in ``[start, end)``: the rank of the directive
    among all directives by cosine with that unit (0 = closest), as the in-process feature ranks it."""
    from alignment.align.features import _ranks_rows

    start, end, d_idx, u_idx = block
    s = d_vectors @ u_side.vectors[start:end].T  # (n_directives, units of the block)
    return _ranks_rows(s.T)[u_idx - start, d_idx]


# --- the client side -------------------------------------------------------------------------------

def _shards(d: Side, sub: Side, spans: list[tuple[int, int]]) -> Iterator[tuple[Side, Side]]:
    """The directive rows ``[a, b)`` of ``d`` with their clauses in ``sub`` (re-parented), lazily."""
    parent = np.asarray(sub.parent, dtype=np.int64)
    if len(parent) > 1 and np.any(np.diff(parent) < 0):  # prepare() lists clauses directive by directive
        raise ValueError("clauses are not grouped by directive")
    for a, b in spans:
        sa, sb = (int(x) for x in np.searchsorted(parent, [a, b]))
        yield (
            Side(texts=d.texts[a:b], contexts=d.contexts[a:b], terms=d.terms[a:b], bigrams=d.bigrams[a:b],
                 vectors=None if d.vectors is None else d.vectors[a:b]),
            Side(texts=sub.texts[sa:sb], contexts=sub.contexts[sa:sb], terms=sub.terms[sa:sb],
                 bigrams=sub.bigrams[sa:sb], vectors=None if sub.vectors is None else sub.vectors[sa:sb],
                 parent=(parent[sa:sb] - a).tolist()),
        )


def sharded_pair_features(prep: "Prepared", *, client: "Client | None", method: str = DEFAULT_METHOD,
                          k: int = DEFAULT_K, cells: int = SHARD_CELLS) -> PairTable:
    """The candidate pairs and features of ``prep``, equal to
    ``pair_features(prep.d_side, prep.u_side, sub=prep.sub_side, method=method, k=k)``, computed in
    shards on the workers of ``client`` (in this process, shard by shard, without one); ``cells``
    sizes the shards (see :func:`blocks`)."""
    from alignment.align.features import CANDIDATE_SOURCES, METHODS

    d, sub, u = prep.d_side, prep.sub_side, prep.u_side
    n_d, n_u = len(d.texts), len(u.texts)
    dense = "dense" in CANDIDATE_SOURCES[method]
    dim = int(u.vectors.shape[1]) if dense and u.vectors is not None else 0
    spans = blocks(n_d, n_u, dim, cells=cells)
    u_future = u if client is None else client.scatter(replace(u, memo={}), broadcast=True, hash=False)
    tables: list[PairTable | None] = [None] * len(spans)
    for i, table in stream_map(pair_shard_task, _shards(d, sub, spans), client=client, u_side=u_future,
                               method=method, k=k):
        tables[i] = table
    names = METHODS[method]
    done = [t for t in tables if t is not None]
    if len(done) != len(spans):  # pragma: no cover - stream_map yields every item or raises
        raise RuntimeError("a scoring shard returned nothing")
    if done:
        d_idx = np.concatenate([t.d_idx + a for t, (a, _) in zip(done, spans)])
        u_idx = np.concatenate([t.u_idx for t in done])
        X = np.vstack([t.X for t in done])
    else:
        d_idx, u_idx, X = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, len(names)))
    if REV_RANK in names and len(d_idx) and len(spans) > 1:
        ranks = _rev_ranks(d_idx, u_idx, d.vectors, u_future, n_u, client, cells)
        X[:, names.index(REV_RANK)] = np.log1p(ranks)
    del u_future
    return PairTable(d_idx=d_idx, u_idx=u_idx, X=X, names=names)


def _rev_ranks(d_idx: np.ndarray, u_idx: np.ndarray, d_vectors: np.ndarray, u_future: Any, n_u: int,
               client: "Client | None", cells: int) -> np.ndarray:
    """Each pair's ``cos_rev_rank`` before log1p, over shards of plan units."""
    spans = blocks(n_u, len(d_vectors), int(d_vectors.shape[1]), cells=cells)
    selected = [np.nonzero((u_idx >= a) & (u_idx < b))[0] for a, b in spans]
    work = ((a, b, d_idx[sel], u_idx[sel]) for (a, b), sel in zip(spans, selected))
    d_future = d_vectors if client is None else client.scatter(d_vectors, broadcast=True, hash=False)
    ranks = np.zeros(len(d_idx), dtype=np.int64)
    for i, part in stream_map(rev_rank_task, work, client=client, d_vectors=d_future, u_side=u_future):
        ranks[selected[i]] = part
    return ranks


class ClusterEmbedder(Embedder):
    """Another embedder's vectors, computed on the workers: :meth:`embed` (inherited) serves the
    cache hits on the client and hands every miss to :meth:`embed_batch` at once, which sends them
    out in chunks. Name, dimension and cache namespace are the local embedder's, so the cache and
    the store see the same keys either way."""

    batch_size = 1 << 30

    def __init__(self, local: Embedder, client: "Client", config: EngineConfig) -> None:
        self.local = local
        self.client = client
        self.config = config
        self.name = local.name
        self.dim = local.dim

    @property
    def cache_namespace(self) -> str:
        return self.local.cache_namespace

    def embed_batch(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        spans = text_chunks(texts)
        out: np.ndarray | None = None
        for i, vectors in stream_map(embed_task, (texts[a:b] for a, b in spans), client=self.client,
                                     config=self.config, kind=kind):
            if out is None:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            a, b = spans[i]
            out[a:b] = vectors
        return out if out is not None else np.zeros((0, self.dim), dtype=np.float32)


class ClusterEngine(Engine):
    """An :class:`~alignment.pipeline.Engine` that tokenizes, embeds and scores on the workers of
    ``client`` (see the module docstring); the memo, the embedding cache and the scorer stay on the
    client. ``shard_cells`` sizes the scoring shards (:func:`blocks`); a pairing of at most
    ``local_cells`` cells is scored on the client.

    The pair-feature memo of the in-process engine is not used: the shards are recomputed.
    """

    def __init__(self, client: "Client", *, embedder: str = DEFAULT_EMBEDDER, method: str = DEFAULT_METHOD,
                 scorer_path: "Path | None" = None, cache=None, shard_cells: int = SHARD_CELLS,
                 local_cells: int = LOCAL_CELLS) -> None:
        super().__init__(embedder=embedder, method=method, scorer_path=scorer_path, cache=cache)
        self.client = client
        self.config = EngineConfig(embedder)
        self.shard_cells = shard_cells
        self.local_cells = local_cells

    @classmethod
    def like(cls, engine: Engine, client: "Client", **kwargs: Any) -> "ClusterEngine":
        """A cluster engine with ``engine``'s embedder, method, scorer and cache."""
        return cls(client, embedder=engine.embedder_name, method=engine.method,
                   scorer_path=engine.scorer_path, cache=engine.cache, **kwargs)

    @property
    def embedder(self) -> ClusterEmbedder:
        if self._embedder is None:
            from alignment.embed import get_embedder

            self._embedder = ClusterEmbedder(get_embedder(self.embedder_name), self.client, self.config)
        return self._embedder

    def _terms(self, texts: Sequence[str]):
        """``Segmenter.terms`` for ``texts``: the memo's, the rest computed on the workers (and memoised)."""
        from alignment.memo import memo_terms

        seg = self.segmenter
        distinct = list(dict.fromkeys(texts))
        table = memoised_terms(self.memo, seg.fingerprint(), distinct)
        missing = [t for t in distinct if t not in table]
        if missing:
            spans = text_chunks(missing)
            fresh: dict[str, list[str]] = {}
            for i, terms in stream_map(terms_task, (missing[a:b] for a, b in spans), client=self.client,
                                       config=self.config):
                a, b = spans[i]
                fresh.update(zip(missing[a:b], terms))
            if self.memo is not None:
                memo_terms(self.memo, seg.fingerprint(), missing, fresh.__getitem__)
            table.update(fresh)
        return lambda text: table[text] if text in table else seg.terms(text)

    def score_pairs(self, prep: "Prepared", scorer: "PairScorer", *, k: int = DEFAULT_K) -> "Scored":
        """Candidate pairs and probabilities, as :meth:`Engine.score_pairs` gives them, with the pair
        features computed in shards (:func:`sharded_pair_features`)."""
        from alignment.align import Scored
        from alignment.align.features import pair_features

        if len(prep.d_side.texts) * len(prep.u_side.texts) <= self.local_cells:
            table = pair_features(prep.d_side, prep.u_side, sub=prep.sub_side, method=self.method, k=k)
        else:
            table = sharded_pair_features(prep, client=self.client, method=self.method, k=k,
                                          cells=self.shard_cells)
        return Scored(pairs=table, proba=scorer.predict_proba(table.X))


def memoised_terms(memo, fingerprint: str, texts: Sequence[str]) -> dict[str, list[str]]:
    """The terms the memo holds for ``texts`` (under :func:`alignment.memo.memo_terms`' keys); none
    without a memo."""
    if memo is None:
        return {}
    import json

    from alignment.memo import digest

    keys = {t: digest(t) for t in texts}
    found = memo.get_many("terms:" + fingerprint, keys.values())
    return {t: json.loads(found[k]) for t, k in keys.items() if k in found}
