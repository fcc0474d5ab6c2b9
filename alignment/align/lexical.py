"""BM25 and IDF over jieba terms plus character bigrams.

BM25 with a whitespace tokenizer silently fails on Chinese, so documents arrive here already
tokenized (``Segmenter.terms`` + ``Segmenter.bigrams``). :class:`LexicalIndex` follows the
scikit-learn estimator contract: ``fit`` learns the vocabulary and IDF over the plan units and
returns self; learned attributes end in ``_``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


class LexicalIndex:
    """Okapi BM25 over token lists.

    ``k1`` and ``b`` are the usual BM25 constants. After ``fit``: ``vocabulary_`` (token -> column),
    ``idf_`` (n_terms,) float64, ``weights_`` (n_docs, n_terms) CSR of BM25 term weights.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, docs: Sequence[Sequence[str]]) -> "LexicalIndex":
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for tok in doc:
                j = vocab.setdefault(tok, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            rows.extend([i] * len(counts))
            cols.extend(counts.keys())
            vals.extend(counts.values())
        n_docs = len(docs)
        tf = sparse.csr_matrix((vals, (rows, cols)), shape=(n_docs, max(len(vocab), 1)), dtype=np.float64)
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        # BM25+-style non-negative IDF.
        self.idf_ = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = lengths.mean() if n_docs else 1.0
        norm = self.k1 * (1 - self.b + self.b * lengths / max(avg, 1e-9))
        tf = tf.tocoo()
        w = tf.data * (self.k1 + 1) / (tf.data + norm[tf.row]) * self.idf_[tf.col]
        self.weights_ = sparse.csr_matrix((w, (tf.row, tf.col)), shape=tf.shape)
        self.vocabulary_ = vocab
        self.n_docs_ = n_docs
        return self

    def idf(self, token: str) -> float:
        """IDF of ``token``; unseen tokens get the largest IDF (they are rare by definition)."""
        j = self.vocabulary_.get(token)
        if j is None:
            return float(np.log1p((self.n_docs_ + 0.5) / 0.5))
        return float(self.idf_[j])

    def query_matrix(self, queries: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """(n_queries, n_terms) binary CSR of the query tokens known to the index."""
        rows, cols = [], []
        for i, q in enumerate(queries):
            seen = {self.vocabulary_[t] for t in q if t in self.vocabulary_}
            rows.extend([i] * len(seen))
            cols.extend(seen)
        data = np.ones(len(rows), dtype=np.float64)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(queries), self.weights_.shape[1]))

    def scores(self, queries: Sequence[Sequence[str]]) -> np.ndarray:
        """(n_queries, n_docs) BM25 scores, >= 0."""
        return np.asarray((self.query_matrix(queries) @ self.weights_.T).todense())
