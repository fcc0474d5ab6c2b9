"""``lexical``: a deterministic, fit-free embedding of words and character bigrams.

Each text becomes a bag of features, its :meth:`Segmenter.terms` (canonical policy terms and other
content words) and its CJK character bigrams, hashed into ``dim`` buckets with CRC-32; a bucket
holds ``1 + log(count)`` (sublinear term frequency) and the row is L2-normalised. Nothing is
fitted, so a text's vector never depends on the other texts: it can be cached, and it is the same
on every machine. Cosine similarity is in [0, 1] (all weights are non-negative).
"""
from __future__ import annotations

import hashlib
import zlib
from collections import Counter

from typing import TYPE_CHECKING

import numpy as np

from alignment.embed.base import Embedder, Kind, l2_normalise
from alignment.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from alignment.segment import Segmenter

#: Prefixes keep a word and a bigram with the same characters in different buckets.
_TERM, _BIGRAM = "t:", "b:"


class LexicalEmbedder(Embedder):
    """``lexical``: hashed jieba terms + CJK character bigrams, sublinear tf, L2-normalised.

    ``dim`` is the number of hash buckets (default 2048). ``segmenter`` defaults to the
    process-wide :func:`alignment.segment.default_segmenter`. Symmetric: ``kind`` is ignored.
    """

    name = "lexical"
    batch_size = 256

    def __init__(self, *, dim: int = 2048, segmenter: Segmenter | None = None) -> None:
        if dim < 2:
            raise ConfigError(f"向量模型 lexical：维数 dim 至少为 2，而不是 {dim}。")
        self.dim = dim
        self._segmenter = segmenter
        self._namespace: str | None = None

    @property
    def segmenter(self) -> Segmenter:
        """The :class:`~alignment.segment.Segmenter` used (loaded on first use)."""
        if self._segmenter is None:
            from alignment.segment import default_segmenter

            self._segmenter = default_segmenter()
        return self._segmenter

    @property
    def cache_namespace(self) -> str:
        """``lexical-<dim>-<hash of the dictionary files>``: vectors change when those do."""
        if self._namespace is None:
            seg = self.segmenter
            digest = hashlib.sha1()
            for path in (seg.userdict_path, seg.stopwords_path, seg.synonyms_path):
                try:
                    digest.update(path.read_bytes())
                except OSError:
                    digest.update(str(path).encode("utf-8"))
            self._namespace = f"{self.name}-{self.dim}-{digest.hexdigest()[:12]}"
        return self._namespace

    def features(self, text: str) -> Counter[str]:
        """The feature counts of ``text`` before hashing (``t:`` words, ``b:`` bigrams)."""
        seg = self.segmenter
        counts: Counter[str] = Counter(_TERM + t for t in seg.terms(text))
        counts.update(_BIGRAM + b for b in seg.bigrams(text))
        return counts

    def embed_batch(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised; a text without words or ideographs gives 0."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, count in self.features(text).items():
                bucket = zlib.crc32(feature.encode("utf-8")) % self.dim
                out[row, bucket] += 1.0 + np.log(count)
        return l2_normalise(out)
