"""Features of (directive, plan unit) pairs.

Raw cosine scores of e5 sit in a narrow band (unrelated Chinese policy sentences score 0.86-0.93),
so every signal is also given relative to its own directive: its z-score over all plan units, its
rank, and its gap to the best unit. The scorer learns how to weigh them.

Signals, and which ``--method`` uses them:

- dense (``dense``, ``hybrid``): cosine of the embeddings, z-score, rank, gap to best, reverse rank
  (rank of the directive among all directives for this unit), best cosine within the same article.
- bm25 (``bm25``, ``hybrid``): BM25 over jieba terms and character bigrams, normalised by the
  directive's best, and its rank.
- tfidf (``tfidf``, ``hybrid``): cosine of TF-IDF vectors over the same tokens, z-score and rank.
- overlap (``hybrid``): IDF-weighted share of the directive's terms found in the unit (recall) and
  of the unit's terms found in the directive (precision), bigram containment, the longest common
  substring as a share of the directive, shared target groups, action verbs and numbers, heading
  (context) similarity.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from alignment.align.lexical import LexicalIndex
from alignment.align.lexicon import actions_in, groups_in, numbers_in

DENSE = ("cos", "cos_z", "cos_rank", "cos_gap", "cos_rev_rank", "cos_article_best", "sub_cos_z", "sub_cos_rank")
BM25 = ("bm25_norm", "bm25_rank", "bm25_z", "sub_bm25_norm", "sub_bm25_z")
TFIDF = ("tfidf_cos", "tfidf_z", "tfidf_rank", "sub_tfidf_cos", "sub_tfidf_z")
OVERLAP = (
    "idf_recall", "idf_precision", "bigram_containment", "lcs_ratio", "group_match", "group_miss",
    "action_shared", "number_shared", "context_sim", "log_len_ratio", "sub_idf_recall", "sub_lcs_ratio",
)

#: Feature names per method; hybrid uses them all.
METHODS: dict[str, tuple[str, ...]] = {
    "dense": DENSE,
    "bm25": BM25,
    "tfidf": TFIDF,
    "hybrid": DENSE + BM25 + TFIDF + OVERLAP,
}
#: Which similarity matrices propose candidates for each method.
CANDIDATE_SOURCES: dict[str, tuple[str, ...]] = {
    "dense": ("dense",),
    "bm25": ("bm25",),
    "tfidf": ("tfidf",),
    "hybrid": ("dense", "bm25", "tfidf"),
}


@dataclass(frozen=True)
class Side:
    """One side of the comparison (directives or plan units), already tokenized and embedded.

    ``vectors``: (n, d) float32, L2-normalised, or None for methods without a dense signal.
    ``terms``: canonical jieba content terms per text; ``bigrams``: CJK character bigrams per text.
    ``groups``: an integer per text; texts with the same group (article) pool their best cosine.
    ``memo``: what is derived from this side alone (its lexical index, TF-IDF matrix, term sets),
    kept so that a plan side prepared once serves many queries without recomputing it.
    """

    texts: Sequence[str]
    contexts: Sequence[str]
    terms: Sequence[Sequence[str]]
    bigrams: Sequence[Sequence[str]]
    vectors: np.ndarray | None
    groups: Sequence[int] | None = None
    parent: Sequence[int] | None = None
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def derived(self, name: str, make):
        """``make()``, computed once per side and kept in ``memo``."""
        if name not in self.memo:
            self.memo[name] = make()
        return self.memo[name]


def _sub_max(sub: np.ndarray, parent: np.ndarray, n: int) -> np.ndarray:
    """(n, n_units): for each directive, the maximum over the rows of its clauses."""
    out = np.full((n, sub.shape[1]), -np.inf)
    np.maximum.at(out, parent, sub)
    return out


@dataclass(frozen=True)
class PairTable:
    """Candidate pairs and their features: ``X`` is (m, len(names)) float64."""

    d_idx: np.ndarray
    u_idx: np.ndarray
    X: np.ndarray
    names: tuple[str, ...]


def _zscore_rows(s: np.ndarray) -> np.ndarray:
    mu = s.mean(axis=1, keepdims=True)
    sd = s.std(axis=1, keepdims=True)
    return (s - mu) / np.maximum(sd, 1e-6)


def _ranks_rows(s: np.ndarray) -> np.ndarray:
    """0 for the best column of each row, 1 for the next…"""
    order = np.argsort(-s, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(s.shape[0])[:, None]
    ranks[rows, order] = np.arange(s.shape[1])[None, :]
    return ranks


def _tfidf_cos(d: Side, u: Side, index: LexicalIndex) -> np.ndarray:
    from scipy import sparse

    def mat(docs):
        # term frequency with sublinear scaling, times idf, L2-normalised
        rows, cols, vals = [], [], []
        for i, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for t in doc:
                j = index.vocabulary_.get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append((1 + np.log(c)) * index.idf_[j])
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), index.weights_.shape[1]))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return sparse.diags(1 / np.maximum(norms, 1e-12)) @ m

    dm = mat(_tokens(d))
    um = u.derived("tfidf_t", lambda: mat(_tokens(u)).T.tocsr())
    return np.asarray((dm @ um).todense())


def _tokens(side: Side) -> list[list[str]]:
    """Terms and character bigrams of each text: the lexical signals' tokens."""
    return [list(t) + list(b) for t, b in zip(side.terms, side.bigrams)]


class _LCS:
    """Longest common substring of one fixed text ``a`` with many others, as a share of ``a``.

    SequenceMatcher indexes its second sequence, so ``a`` goes second and is indexed once (the
    length of a longest common substring does not depend on the order; nothing is junk here).
    """

    def __init__(self, a: str) -> None:
        self.n = len(a)
        self.matcher = SequenceMatcher(None, "", a, autojunk=False)

    def ratio(self, b: str) -> float:
        if not self.n or not b:
            return 0.0
        self.matcher.set_seq1(b)
        return self.matcher.find_longest_match(0, len(b), 0, self.n).size / self.n



def similarity_matrices(d: Side, u: Side, method: str, sub: Side | None = None) -> dict[str, np.ndarray]:
    """The full (n_directives, n_units) similarity matrices the method needs.

    With ``sub`` (the directives' clauses, ``sub.parent`` naming each clause's directive), each
    signal also gets a ``sub_`` matrix: per directive, the best clause's value (raw and z-scored).
    """
    mats: dict[str, np.ndarray] = {}
    needs = set(CANDIDATE_SOURCES[method])
    index = u.derived("index", lambda: LexicalIndex().fit(_tokens(u)))
    if "dense" in needs:
        if d.vectors is None or u.vectors is None:
            raise ValueError("the dense signal needs embeddings on both sides")
        mats["dense"] = d.vectors @ u.vectors.T
    if "bm25" in needs:
        mats["bm25"] = index.scores(_tokens(d))
    if "tfidf" in needs:
        mats["tfidf"] = _tfidf_cos(d, u, index)
    if sub is not None:
        parent = np.asarray(sub.parent)
        n = len(d.texts)
        raw: dict[str, np.ndarray] = {}
        if "dense" in needs:
            raw["dense"] = sub.vectors @ u.vectors.T
        if "bm25" in needs:
            b = index.scores(_tokens(sub))
            raw["bm25"] = b / np.maximum(b.max(axis=1, keepdims=True), 1e-9)
        if "tfidf" in needs:
            raw["tfidf"] = _tfidf_cos(sub, u, index)
        for name, m in raw.items():
            mats["sub_" + name] = _sub_max(m, parent, n)
            mats["sub_" + name + "_z"] = _sub_max(_zscore_rows(m), parent, n)
    mats["_index"] = index  # type: ignore[assignment]
    return mats


def candidate_pairs(mats: dict[str, np.ndarray], method: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs in the top ``k`` units of any of the method's candidate sources, sorted by (d, u)."""
    first = mats[CANDIDATE_SOURCES[method][0]]
    n_d, n_u = first.shape
    keep = np.zeros((n_d, n_u), dtype=bool)
    k = min(k, n_u)
    sources = [s for src in CANDIDATE_SOURCES[method] for s in (src, "sub_" + src + "_z") if s in mats]
    for src in sources:
        top = np.argpartition(-mats[src], k - 1, axis=1)[:, :k] if k < n_u else np.tile(np.arange(n_u), (n_d, 1))
        keep[np.arange(n_d)[:, None], top] = True
    d_idx, u_idx = np.nonzero(keep)
    return d_idx, u_idx


def pair_features(d: Side, u: Side, *, sub: Side, method: str = "hybrid", k: int = 12,
                  rev_reference: np.ndarray | None = None) -> PairTable:
    """Candidate pairs for ``method`` and their feature matrix (columns ``METHODS[method]``).

    ``sub`` holds the directives' clauses (a one-clause directive is its own clause).
    ``rev_reference``: dense similarities (n_ref, n_units) of other directives, for a few directives
    scored as if they were part of a run holding those too (``cos_rev_rank`` is the one feature
    that compares a pair with the run's other directives)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    mats = similarity_matrices(d, u, method, sub)
    index: LexicalIndex = mats.pop("_index")  # type: ignore[assignment]
    d_idx, u_idx = candidate_pairs(mats, method, k)
    names = METHODS[method]
    cols: dict[str, np.ndarray] = {}

    if "dense" in mats:
        s = mats["dense"]
        cols["cos"] = s[d_idx, u_idx]
        cols["cos_z"] = _zscore_rows(s)[d_idx, u_idx]
        cols["cos_rank"] = np.log1p(_ranks_rows(s)[d_idx, u_idx])
        cols["cos_gap"] = s.max(axis=1)[d_idx] - s[d_idx, u_idx]
        full = s if rev_reference is None else np.vstack([s, rev_reference])
        cols["cos_rev_rank"] = np.log1p(_ranks_rows(full.T).T[d_idx, u_idx])
        groups = np.asarray(u.groups if u.groups is not None else np.arange(len(u.texts)))
        best_in_group = np.zeros(len(d_idx))
        for g in np.unique(groups[u_idx]):
            members = np.nonzero(groups == g)[0]
            gbest = s[:, members].max(axis=1)
            sel = groups[u_idx] == g
            best_in_group[sel] = gbest[d_idx[sel]]
        cols["cos_article_best"] = (best_in_group - s.mean(axis=1)[d_idx]) / np.maximum(s.std(axis=1)[d_idx], 1e-6)
        cols["sub_cos_z"] = mats["sub_dense_z"][d_idx, u_idx]
        cols["sub_cos_rank"] = np.log1p(_ranks_rows(mats["sub_dense_z"])[d_idx, u_idx])
    if "bm25" in mats:
        s = mats["bm25"]
        best = s.max(axis=1)
        cols["bm25_norm"] = s[d_idx, u_idx] / np.maximum(best[d_idx], 1e-9)
        cols["bm25_rank"] = np.log1p(_ranks_rows(s)[d_idx, u_idx])
        cols["bm25_z"] = _zscore_rows(s)[d_idx, u_idx]
        cols["sub_bm25_norm"] = mats["sub_bm25"][d_idx, u_idx]
        cols["sub_bm25_z"] = mats["sub_bm25_z"][d_idx, u_idx]
    if "tfidf" in mats:
        s = mats["tfidf"]
        cols["tfidf_cos"] = s[d_idx, u_idx]
        cols["tfidf_z"] = _zscore_rows(s)[d_idx, u_idx]
        cols["tfidf_rank"] = np.log1p(_ranks_rows(s)[d_idx, u_idx])
        cols["sub_tfidf_cos"] = mats["sub_tfidf"][d_idx, u_idx]
        cols["sub_tfidf_z"] = mats["sub_tfidf_z"][d_idx, u_idx]
    if any(n in OVERLAP for n in names):
        _overlap_features(d, u, d_idx, u_idx, index, cols, sub)

    X = np.column_stack([cols[n] for n in names]).astype(np.float64) if len(d_idx) else np.zeros((0, len(names)))
    return PairTable(d_idx=d_idx, u_idx=u_idx, X=X, names=names)


def _overlap_features(d: Side, u: Side, d_idx, u_idx, index: LexicalIndex, cols: dict, sub: Side) -> None:
    d_sets, d_bi, d_groups, d_act, d_num, d_ctx = _side_sets(d)
    u_sets, u_bi, u_groups, u_act, u_num, u_ctx = u.derived("sets", lambda: _side_sets(u))
    idf = index.idf
    clauses: dict[int, list[int]] = {}
    for c, p in enumerate(sub.parent):
        clauses.setdefault(int(p), []).append(c)
    sub_sets = [set(t) for t in sub.terms]
    sub_w = [math.fsum(idf(t) for t in st) for st in sub_sets]
    out = {n: np.zeros(len(d_idx)) for n in OVERLAP}
    lcs: dict[int, _LCS] = {}
    sub_lcs: dict[int, _LCS] = {}
    for m, (i, j) in enumerate(zip(d_idx, u_idx)):
        if i not in lcs:  # pairs come sorted by directive: keep only the current one's matchers
            lcs = {i: _LCS(d.texts[i])}
            sub_lcs = {c: _LCS(sub.texts[c]) for c in clauses.get(int(i), [])}
        shared = d_sets[i] & u_sets[j]
        w_shared = math.fsum(idf(t) for t in shared)  # fsum: the same in any set order (hash seed)
        out["idf_recall"][m] = w_shared / max(math.fsum(idf(t) for t in d_sets[i]), 1e-9)
        out["idf_precision"][m] = w_shared / max(math.fsum(idf(t) for t in u_sets[j]), 1e-9)
        out["bigram_containment"][m] = len(d_bi[i] & u_bi[j]) / max(len(d_bi[i]), 1)
        out["lcs_ratio"][m] = lcs[i].ratio(u.texts[j])
        gd, gu = d_groups[i], u_groups[j]
        out["group_match"][m] = len(gd & gu) / max(len(gd), 1)
        out["group_miss"][m] = float(bool(gd) and not (gd & gu))
        out["action_shared"][m] = len(d_act[i] & u_act[j]) / max(len(d_act[i]), 1)
        out["number_shared"][m] = float(bool(d_num[i] & u_num[j]))
        cd, cu = d_ctx[i], u_ctx[j]
        out["context_sim"][m] = len(cd & cu) / max(len(cd | cu), 1)
        out["log_len_ratio"][m] = np.log((len(u.texts[j]) + 1) / (len(d.texts[i]) + 1))
        cl = clauses.get(int(i), [])
        out["sub_idf_recall"][m] = max((math.fsum(idf(t) for t in sub_sets[c] & u_sets[j]) / max(sub_w[c], 1e-9) for c in cl), default=0.0)
        out["sub_lcs_ratio"][m] = max((sub_lcs[c].ratio(u.texts[j]) for c in cl), default=0.0)
    cols.update(out)


def _side_sets(side: Side) -> tuple[list, ...]:
    """Per text: term set, bigram set, target groups, actions, numbers, context bigram set."""
    return (
        [set(t) for t in side.terms],
        [set(b) for b in side.bigrams],
        [groups_in(c + t) for c, t in zip(side.contexts, side.texts)],
        [set(actions_in(t)) for t in side.texts],
        [numbers_in(t) for t in side.texts],
        [set(c) for c in _context_terms(side)],
    )


def _context_terms(side: Side) -> list[list[str]]:
    # Context headings are short; their character bigrams are a robust stand-in for terms.
    return [[c[k:k + 2] for k in range(len(c) - 1)] for c in side.contexts]
