"""Index a corpus: extract, parse, tokenize and embed every document, fanned out over workers.

:func:`index_corpus` is what ``policy-align index`` runs. The client lists the inputs, skips the
documents the store already holds in full (same file, same manifest facts, same parser, every
vector present), and streams the rest to the workers in small batches, a bounded number in
flight (:func:`~alignment.distributed.cluster.stream_map`). Each worker builds its engine once
(:mod:`alignment.distributed.worker`) and returns per document an
:class:`~alignment.distributed.sink.IndexedDocument`; the client writes each one to the store as
it arrives (:class:`~alignment.distributed.sink.StoreSink`). A document that cannot be extracted
comes back as a :class:`~alignment.schema.Failure`, is listed, and the run goes on.

Afterwards ``policy-align report --store`` on the same manifest reads nothing again: its parses
are found by parse key, its vectors by text, its terms in the memo. Workers read the files at the
paths the client gives, so on a real cluster the corpus must sit on a file system every worker
mounts at the same path.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

from alignment.distributed.cluster import connect, file_size, n_threads, peak_memory, stream_map
from alignment.distributed.sink import IndexedDocument, StoreSink, entry_key
from alignment.distributed.worker import EngineConfig, register, worker_engine
from alignment.embed.base import cache_key
from alignment.errors import AlignmentError
from alignment.manifest import Entry, expand_inputs
from alignment.pipeline import DEFAULT_EMBEDDER, EMBED_KIND, parse_entry
from alignment.schema import Failure, ParsedDocument, Unit

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

    from alignment.store import Store

#: Documents indexed in one task, at most, and their total bytes (a bigger file goes alone).
DOCS_PER_TASK = 8
BYTES_PER_TASK = 256 << 10


@dataclass(frozen=True)
class IndexSummary:
    """What one :func:`index_corpus` run did.

    ``documents``: inputs listed; ``indexed``: read and embedded now; ``unchanged``: held in full by
    the store already; ``failures``: the inputs that could not be read, in input order; ``units``
    and ``texts``: units stored and texts embedded now; ``chars``: characters of the documents
    indexed now; ``workers``: worker threads (1 in-process); ``peak_memory``: peak resident bytes
    of each worker process (empty in-process); ``client_seconds``: time the client spent hashing
    inputs and writing results (in-process runs included), the ceiling of the one writer.
    """

    documents: int
    indexed: int
    unchanged: int
    failures: tuple[Failure, ...]
    units: int
    texts: int
    chars: int
    seconds: float
    workers: int
    peak_memory: dict[str, int] = field(default_factory=dict)
    client_seconds: float = 0.0

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds > 0 else 0.0

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds > 0 else 0.0


def document_texts(parsed: ParsedDocument, role: str) -> tuple[list[Unit], list[str]]:
    """The units a document brings to a report in its ``role`` and the distinct texts the report
    embeds for them: a directive's articles and their clauses, a plan's passages; a document
    without a role gives both (it may be used on either side)."""
    from alignment.align import clauses
    from alignment.units import directive_units, plan_units

    units: list[Unit] = []
    texts: list[str] = []
    if role in ("directive", ""):
        directives = directive_units(parsed)
        units += [d.unit for d in directives]
        texts += [d.unit.text for d in directives]
        texts += [c for d in directives for c in clauses(d.unit.text)]
    if role in ("plan", ""):
        passages = plan_units(parsed)
        units += passages
        texts += [u.text for u in passages]
    return units, list(dict.fromkeys(texts))


def index_task(entries: list[Entry], *, config: EngineConfig) -> list[IndexedDocument | Failure]:
    """Extract, parse, cut into units, tokenize and embed each entry, on a worker (its engine is
    built once per process); an entry that cannot be read is a :class:`Failure` naming it."""
    engine = worker_engine(config)
    seg, embedder = engine.segmenter, engine.embedder
    out: list[IndexedDocument | Failure] = []
    for entry in entries:
        try:
            parsed = parse_entry(entry)
        except AlignmentError as exc:
            out.append(Failure(path=str(entry.path), message=str(exc)))
            continue
        units, texts = document_texts(parsed, entry.role)
        out.append(IndexedDocument(
            entry=entry, parsed=parsed, units=tuple(units), texts=tuple(texts),
            terms=tuple(tuple(seg.terms(t)) for t in texts),
            vectors=embedder.embed(texts, kind=EMBED_KIND, cache=False),
            namespace=embedder.cache_namespace, fingerprint=seg.fingerprint(),
        ))
    return out


def index_corpus(inputs: Sequence[str | Path], *, store: "Store", scheduler: "str | Client | None" = None,
                 embedder: str = DEFAULT_EMBEDDER, ocr: str | None = None, memo: bool = True,
                 progress: Callable[[str], None] | None = None) -> IndexSummary:
    """Index the documents of ``inputs`` (files, folders, manifests) into ``store``.

    ``scheduler``: ``None`` runs in this process; ``local``/``local:N``, a scheduler address or a
    ``Client`` runs on Dask workers. ``embedder`` names the embedder whose vectors are stored (use
    the one the reports will use). ``memo`` also stores each text's terms in the memo beside the
    embedding cache. ``progress`` is called with each document's file name as it is written.
    """
    from alignment.embed import get_embedder

    t0 = time.perf_counter()
    entries = expand_inputs(list(inputs), ocr=ocr)
    config = EngineConfig(embedder)
    sink = StoreSink(store, memo=_open_memo() if memo else None)
    namespace: list[str] = []  # the local embedder's, looked up only if the store holds a document

    def unchanged(entry: Entry, key: str | None) -> bool:
        found = store.find_parsed(key) if key else None
        if found is None:
            return False
        if not namespace:
            namespace.append(get_embedder(embedder).cache_namespace)
        _, texts = document_texts(found, entry.role)
        return sink.holds([cache_key(namespace[0], EMBED_KIND, t) for t in texts])

    failures: dict[int, Failure] = {}
    counts = {"indexed": 0, "unchanged": 0, "units": 0, "texts": 0, "chars": 0}
    spent = {"client": 0.0}  # seconds the client spends hashing and writing
    pending: dict[int, list[tuple[int, Entry, str | None, str]]] = {}  # batch number -> its entries
    made = count()

    def batches() -> Iterator[list[Entry]]:
        """Batches of the entries to index, made lazily (hashing overlaps with the workers' work)."""
        batch: list[tuple[int, Entry, str | None, str]] = []
        size = 0
        for i, e in enumerate(entries):
            t = time.perf_counter()
            key, sha = entry_key(e)
            skip = unchanged(e, key)
            nbytes = file_size(e.path)
            spent["client"] += time.perf_counter() - t
            if skip:
                counts["unchanged"] += 1
                continue
            if batch and (len(batch) >= DOCS_PER_TASK or size + nbytes > BYTES_PER_TASK):
                pending[next(made)] = batch
                yield [b[1] for b in batch]
                batch, size = [], 0
            batch.append((i, e, key, sha))
            size += nbytes
        if batch:
            pending[next(made)] = batch
            yield [b[1] for b in batch]

    with (connect(scheduler) if scheduler is not None else nullcontext()) as client:
        if client is not None:
            register(client, config)
        try:
            for j, results in stream_map(index_task, batches(), client=client, config=config):
                for (i, e, key, sha), res in zip(pending.pop(j), results):
                    if isinstance(res, Failure):
                        failures[i] = res
                    else:
                        t = time.perf_counter()
                        sink.write(res, parse_key=key, sha256=sha)
                        spent["client"] += time.perf_counter() - t
                        counts["indexed"] += 1
                        counts["units"] += len(res.units)
                        counts["texts"] += len(res.texts)
                        counts["chars"] += res.chars
                    if progress:
                        progress(e.path.name)
        finally:
            if sink.memo is not None:
                sink.memo.close()
        workers = n_threads(client)
        peaks = peak_memory(client) if client is not None else {}
    return IndexSummary(
        documents=len(entries), indexed=counts["indexed"], unchanged=counts["unchanged"],
        failures=tuple(failures[i] for i in sorted(failures)), units=counts["units"], texts=counts["texts"],
        chars=counts["chars"], seconds=time.perf_counter() - t0, workers=workers, peak_memory=peaks,
        client_seconds=spent["client"],
    )


def _open_memo():
    """The memo beside the embedding cache (as the engine opens it), or None if it cannot be opened."""
    import sqlite3

    from alignment.memo import Memo
    from alignment.segment import default_cache_dir

    try:
        return Memo(default_cache_dir() / "memo.db")
    except (OSError, sqlite3.Error):
        return None
