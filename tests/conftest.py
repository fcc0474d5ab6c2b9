"""Fixtures shared by the whole suite.

* The embedding cache (and jieba's prefix-dictionary cache beside it) goes to a temporary folder
  for the session, so tests never read or write the user's ``~/.cache/policy-align``.
* :class:`FakeEmbedder`: a deterministic stand-in for a real model, for fast unit tests.
"""
from __future__ import annotations

import os
import zlib

import numpy as np
import pytest

from alignment.embed import Embedder, EmbeddingCache, Kind


class FakeEmbedder(Embedder):
    """Character bigrams hashed (CRC-32) into 64 dimensions, L2-normalised; no model, no state.

    Texts sharing bigrams get similar vectors, so retrieval tests behave sensibly. ``calls``
    records every batch handed to :meth:`embed_batch`, to test caching and batching.
    """

    name = "fake"
    dim = 64
    batch_size = 8

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed_batch(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = text if len(text) > 1 else f"{text}\x00"
            for i in range(len(padded) - 1):
                out[row, zlib.crc32(padded[i:i + 2].encode("utf-8")) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Point POLICY_ALIGN_CACHE at a session temp file unless the caller chose one."""
    if os.environ.get("POLICY_ALIGN_CACHE"):
        yield
        return
    path = tmp_path_factory.mktemp("policy-align-cache") / "embeddings.db"
    os.environ["POLICY_ALIGN_CACHE"] = str(path)
    try:
        yield
    finally:
        os.environ.pop("POLICY_ALIGN_CACHE", None)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    """A fresh :class:`FakeEmbedder` (its ``calls`` list starts empty)."""
    return FakeEmbedder()


@pytest.fixture
def embedding_cache(tmp_path) -> EmbeddingCache:
    """An empty on-disk :class:`EmbeddingCache` in the test's temp folder."""
    with EmbeddingCache(tmp_path / "embeddings.db") as cache:
        yield cache
