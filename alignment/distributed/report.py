"""The coverage report on a Dask cluster: the same report as :func:`alignment.pipeline.run_report`.

:func:`distributed_report` runs ``run_report`` itself, with two things swapped in: a
:class:`~alignment.distributed.engine.ClusterEngine` (tokenizing, embedding and pair features on the
workers) and :class:`ClusterParsing` in the place of the store, which extracts and parses the
documents on the workers (reusing those a store holds) and passes everything else to the store, or
does nothing when there is none. Statuses, matches, evidence, tracing and analysis therefore come
from the pipeline's own code, on inputs equal to the in-process ones.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alignment.distributed.cluster import connect, file_size, runs, stream_map
from alignment.distributed.engine import LOCAL_CELLS, SHARD_CELLS, ClusterEngine
from alignment.distributed.sink import entry_key
from alignment.distributed.worker import EngineConfig, register
from alignment.errors import AlignmentError
from alignment.manifest import Entry
from alignment.pipeline import DEFAULT_K, Engine, parse_entry, run_report
from alignment.schema import Failure, ParsedDocument, Report

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

    from alignment.store import Store


#: Documents parsed in one task, at most, and their total bytes (a bigger file goes alone).
DOCS_PER_TASK = 16
BYTES_PER_TASK = 1 << 20


def parse_task(entries: list[Entry]) -> list[ParsedDocument | Failure]:
    """:func:`alignment.pipeline.parse_entry` of each entry, on a worker; a file that cannot be read
    is a :class:`Failure` naming it."""
    out: list[ParsedDocument | Failure] = []
    for entry in entries:
        try:
            out.append(parse_entry(entry))
        except AlignmentError as exc:
            out.append(Failure(path=str(entry.path), message=str(exc)))
    return out


class ClusterParsing:
    """What :func:`~alignment.pipeline.run_report` asks of its ``store``, with parsing on the cluster.

    :meth:`parse_entries` extracts and parses on the workers of ``client``, in bounded batches;
    with a ``store`` it first reuses the parses the store holds and stores the new ones (as
    :meth:`alignment.store.Store.parse_entries` does). ``embeddings`` and :meth:`record_run` are the
    store's; without a store there are no embeddings to offer (the engine keeps its own cache) and
    nothing is recorded, exactly as ``run_report(store=None)`` does.
    """

    def __init__(self, client: "Client | None", store: "Store | None" = None) -> None:
        self.client = client
        self.store = store
        self.reused: dict[str, bool] = {}

    @property
    def embeddings(self):
        return self.store.embeddings if self.store is not None else None

    def parse_entries(self, entries: Sequence[Entry], progress: Callable[[str], None] | None = None,
                      ) -> tuple[list[ParsedDocument], list[Failure]]:
        """Parsed documents and failures, both in ``entries`` order (as the in-process function)."""
        results: list[ParsedDocument | Failure | None] = [None] * len(entries)
        keys: dict[int, tuple[str | None, str]] = {}
        todo: list[int] = []
        self.reused = {}
        for i, e in enumerate(entries):
            if self.store is not None:
                keys[i] = entry_key(e)
                key = keys[i][0]
                found = self.store.find_parsed(key) if key else None
                if found is not None:
                    results[i] = found
                    self.reused[str(e.path)] = True
                    continue
            todo.append(i)
        sizes = [file_size(entries[i].path) for i in todo]
        spans = runs(sizes, max_items=DOCS_PER_TASK, max_weight=BYTES_PER_TASK)
        batches = ([entries[i] for i in todo[a:b]] for a, b in spans)
        for j, batch in stream_map(parse_task, batches, client=self.client):
            for i, res in zip(todo[spans[j][0]:spans[j][1]], batch):
                if progress:
                    progress(entries[i].path.name)
                if isinstance(res, ParsedDocument):
                    key, sha = keys.get(i, (None, ""))
                    if self.store is not None and key and res.document.sha256 == sha:
                        self.store.upsert_document(res, parse_key=key)
                    self.reused[str(entries[i].path)] = False
                results[i] = res
        parsed = [r for r in results if isinstance(r, ParsedDocument)]
        failures = [r for r in results if isinstance(r, Failure)]
        return parsed, failures

    def record_run(self, report: Report, *, options: Mapping[str, Any] | None = None,
                   timings: Mapping[str, float] | None = None) -> Report:
        """Record the run in the store (with which documents were reused), or return ``report``."""
        if self.store is None:
            return report
        opts = dict(options or {})
        if self.reused:
            opts["reused"] = sorted(p for p, r in self.reused.items() if r)
            opts["parsed"] = sorted(p for p, r in self.reused.items() if not r)
        opts["scheduler"] = "dask"
        return self.store.record_run(report, options=opts, timings=timings)


def distributed_report(directives: Sequence[str | Path] = (), plans: Sequence[str | Path] = (), *,
                       scheduler: "str | Client | None", engine: Engine | None = None,
                       scope: Sequence[str] = (), directive_scope: Sequence[str] = (), k: int = DEFAULT_K,
                       progress: Callable[[str], None] | None = None, store: "Store | None" = None,
                       ocr: str | None = None, shard_cells: int = SHARD_CELLS, local_cells: int = LOCAL_CELLS,
                       ) -> Report:
    """:func:`alignment.pipeline.run_report` with parsing, tokenizing, embedding and pair scoring on
    a Dask cluster: ``scheduler`` is ``local``/``local:N``, a scheduler address or a ``Client``
    (``None`` runs ``run_report`` in this process). ``engine`` gives the embedder, method, scorer
    and cache (default: a default :class:`~alignment.pipeline.Engine`); its timings are filled in.
    The report equals the in-process one (same statuses, matches, scores and evidence).
    ``shard_cells`` and ``local_cells`` size the scoring shards (see :class:`ClusterEngine`).
    """
    engine = engine or Engine()
    if scheduler is None:
        return run_report(directives, plans, engine=engine, scope=scope, directive_scope=directive_scope, k=k,
                          progress=progress, store=store, ocr=ocr)
    with connect(scheduler) as client:
        register(client, EngineConfig(engine.embedder_name))
        cluster = ClusterEngine.like(engine, client, shard_cells=shard_cells, local_cells=local_cells)
        cluster.timings = engine.timings
        return run_report(directives, plans, engine=cluster, scope=scope, directive_scope=directive_scope,
                          k=k, progress=progress, store=ClusterParsing(client, store), ocr=ocr)
