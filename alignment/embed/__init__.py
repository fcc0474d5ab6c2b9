"""Embedding backends, chosen by name: ``e5-small`` (default, offline), ``lexical``, ``st:<model>``.

Every backend follows one contract, :class:`Embedder` (one abstract method, ``embed_batch``);
:meth:`Embedder.embed` adds caching (:class:`EmbeddingCache`) and batching. Importing this package
loads no model and imports no backend: :func:`get_embedder` builds one, and its model loads on the
first embedding.
"""
from __future__ import annotations

from collections.abc import Callable

from alignment.embed.base import CacheKey, Embedder, Kind, cache_key, l2_normalise
from alignment.embed.cache import EmbeddingCache
from alignment.errors import ConfigError

__all__ = [
    "DEFAULT_EMBEDDER",
    "EMBEDDERS",
    "CacheKey",
    "Embedder",
    "EmbeddingCache",
    "Kind",
    "cache_key",
    "embedder_names",
    "get_embedder",
    "l2_normalise",
]

DEFAULT_EMBEDDER = "e5-small"
#: How to name a sentence-transformers model (the part after the colon is the model).
ST_PREFIX = "st:"


def _e5() -> Embedder:
    from alignment.embed.e5 import E5Embedder

    return E5Embedder()


def _lexical() -> Embedder:
    from alignment.embed.lexical import LexicalEmbedder

    return LexicalEmbedder()


#: Backend name -> factory. ``st:<model>`` is handled by :func:`get_embedder` (it takes an argument).
EMBEDDERS: dict[str, Callable[[], Embedder]] = {"e5-small": _e5, "lexical": _lexical}


def embedder_names() -> list[str]:
    """The valid names, for help texts and error messages."""
    return [*EMBEDDERS, f"{ST_PREFIX}<model name or local path>"]


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The embedder called ``name``; an unknown name raises :class:`ConfigError` listing the valid ones."""
    if name.startswith(ST_PREFIX):
        from alignment.embed.st import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(name[len(ST_PREFIX):])
    factory = EMBEDDERS.get(name)
    if factory is None:
        raise ConfigError(f"未知的向量模型 --embedder {name!r}：可选 {'、'.join(embedder_names())}。")
    return factory()
