"""The embedding contract: one abstract method, :meth:`Embedder.embed_batch`; the rest is derived.

A backend turns a list of texts into an ``(n, d)`` float32 matrix whose rows are L2-normalised (a
text with no features at all, possible only for the lexical and test backends, gives a zero row).
:meth:`Embedder.embed` adds what every backend needs: input validation, the on-disk cache, batching,
de-duplication and progress, and returns rows in input order.
"""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

from alignment.errors import AlignmentError, ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from alignment.embed.cache import EmbeddingCache

Kind = Literal["query", "passage"]
KINDS: tuple[str, ...] = ("query", "passage")


class CacheKey(NamedTuple):
    """Where one vector lives in the cache: the backend's namespace, the kind, the text's SHA-1."""

    backend: str
    kind: str
    sha1: str


def cache_key(backend: str, kind: str, text: str) -> CacheKey:
    """The cache key of ``text`` embedded by ``backend`` as ``kind``."""
    return CacheKey(backend, kind, hashlib.sha1(text.encode("utf-8")).hexdigest())


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as (n, d) float32; all-zero rows stay zero."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x.reshape(1, -1)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)


class Embedder(ABC):
    """A text embedder. Subclasses set :attr:`name` and implement :meth:`embed_batch`.

    ``dim`` is the vector size; a backend that learns it only from its model sets it when the
    model loads (0 until then). ``batch_size`` is how many texts :meth:`embed` hands to
    :meth:`embed_batch` at once.
    """

    name: str = ""
    dim: int = 0
    batch_size: int = 32

    @abstractmethod
    def embed_batch(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """Embed ``texts``: (len(texts), d) float32, L2-normalised rows.

        ``kind`` is 'query' for the side being looked up (directives) and 'passage' for the side
        searched (plan text); symmetric backends ignore it.
        """

    @property
    def cache_namespace(self) -> str:
        """What the cache files this backend's vectors under; changes when the vectors would."""
        return self.name

    def embed(
        self,
        texts: Sequence[str],
        *,
        kind: Kind = "passage",
        batch_size: int | None = None,
        cache: "EmbeddingCache | None | Literal[False]" = None,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed ``texts`` in input order: (len(texts), d) float32, L2-normalised rows.

        Vectors found in ``cache`` are reused, repeated texts are embedded once, and only the
        misses go to :meth:`embed_batch`, ``batch_size`` (default :attr:`batch_size`) at a time;
        the new vectors are stored before the next batch, so an interrupted run keeps its work.
        ``cache``: an :class:`~alignment.embed.cache.EmbeddingCache`, ``None`` for the default
        on-disk cache (:meth:`EmbeddingCache.default`), ``False`` for none. ``progress`` is called
        with counts that add up to ``len(texts)``: first the cache hits, then each batch.
        """
        if kind not in KINDS:
            raise ConfigError(f"向量类型 kind {kind!r} 无效：可选 {'、'.join(KINDS)}。")
        texts = list(texts)
        bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
        if bad:
            raise ConfigError(f"向量模型 {self.name}：第 {bad[0]} 条文本是 {type(texts[bad[0]]).__name__}，"
                              "应为 str。")
        size = batch_size or self.batch_size
        if size < 1:
            raise ConfigError(f"批大小 batch_size 至少为 1，而不是 {size}。")
        if cache is None:
            from alignment.embed.cache import EmbeddingCache

            cache = EmbeddingCache.default()

        namespace = self.cache_namespace if cache else ""
        keys = [cache_key(namespace, kind, t) for t in texts]
        found: dict[CacheKey, np.ndarray] = cache.get_many(keys) if cache else {}
        todo: dict[CacheKey, str] = {}
        for key, text in zip(keys, texts):
            if key not in found:
                todo.setdefault(key, text)
        repeats = Counter(k for k in keys if k in todo)  # positions each miss fills
        hits = len(keys) - sum(repeats.values())
        if progress and hits:
            progress(hits)

        pending = list(todo.items())
        for start in range(0, len(pending), size):
            chunk = pending[start:start + size]
            vectors = self._checked(self.embed_batch([t for _, t in chunk], kind=kind), len(chunk))
            batch = {key: vectors[i] for i, (key, _) in enumerate(chunk)}
            found.update(batch)
            if cache:
                cache.put_many(batch)
            if progress:
                progress(sum(repeats[k] for k in batch))

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = [found[k] for k in keys]
        widths = {r.shape[-1] for r in rows}
        if len(widths) > 1:
            raise AlignmentError(
                f"向量模型 {self.name} 的缓存中有不同维度的向量 {sorted(widths)}：它背后的模型已更换，"
                "请删除向量缓存（见 POLICY_ALIGN_CACHE）后重新运行。"
            )
        return np.stack(rows).astype(np.float32, copy=False)

    def _checked(self, vectors: np.ndarray, n: int) -> np.ndarray:
        """``vectors`` as (n, d) float32, or an error naming this backend; sets ``dim``."""
        out = np.asarray(vectors, dtype=np.float32)
        if out.ndim != 2 or out.shape[0] != n or (self.dim and out.shape[1] != self.dim):
            raise AlignmentError(
                f"向量模型 {self.name}：embed_batch 对 {n} 条文本返回了形状 {out.shape} 的向量"
                f"（应为 ({n}, {self.dim or 'd'})）。"
            )
        if not self.dim:
            self.dim = int(out.shape[1])
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim})"
