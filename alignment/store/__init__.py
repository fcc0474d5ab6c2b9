"""The review store: one SQLite file that makes runs incremental and keeps reviewers' decisions.

The file (default ``.policy-align/store.db`` beside the manifest, see :func:`default_store_path`)
holds document versions by content hash with their section trees and units, embeddings by text,
every run with its results and links (scores, evidence), and the reviewers' decisions, an
append-only log. WAL mode; every write is one ``BEGIN IMMEDIATE`` transaction; the schema is
versioned (``PRAGMA user_version``) and migrated on open. See docs/review-workbench.md.

The Python API (everything the CLI, the web UI and other back ends use)::

    from alignment.store import Store, apply_decisions

    store = Store.open(path)                      # create if missing, migrate, mark dead runs
    store.schema_version                          # -> int

    # documents and units, by content hash
    version = store.upsert_document(parsed_or_document, units=units, parse_key=key)   # -> int
    store.find_parsed(key)                        # -> ParsedDocument | None (incremental.parse_key)
    store.load_parsed(version); store.units(version); store.document_versions(doc_id)
    store.parse_entries(entries, progress)        # pipeline.parse_entries, reusing unchanged files

    # embeddings (also as an EmbeddingCache: Engine(cache=store.embeddings))
    store.put_embeddings({CacheKey(...): vector}); store.get_embeddings(keys)

    # runs and links
    run_id = store.begin_run(method=..., embedder=..., options={...})
    store.finish_run(run_id, report, timings={...})   # results + links, one transaction
    store.record_report(report)                   # begin + finish in one call -> run_id
    store.runs(); store.latest_run(); store.load_report(run_id=None, reviewed=True)

    # review decisions
    store.record_decision(directive_id, "accept", reviewer="张三", unit_id=..., comment=...)
    store.record_decisions([{...}, {...}])        # several at once (a relink)
    store.decisions(directive_id=None, reviewer=None)    # the log, oldest first
    apply_decisions(report, store.decisions())    # -> Report with statuses overridden

:func:`alignment.pipeline.run_report` takes ``store=`` to do all of this for one run.
Importing this package opens nothing.
"""
from __future__ import annotations

from pathlib import Path

from alignment.store.db import DocumentVersion, RunInfo, Store, StoreEmbeddings
from alignment.store.review import (
    ACTION_NAMES_ZH,
    ACTIONS,
    LINK_ACTIONS,
    Decision,
    apply_decisions,
    fingerprint,
    in_force,
)

__all__ = [
    "ACTIONS",
    "ACTION_NAMES_ZH",
    "LINK_ACTIONS",
    "STORE_DIR",
    "STORE_FILE",
    "Decision",
    "DocumentVersion",
    "RunInfo",
    "Store",
    "StoreEmbeddings",
    "apply_decisions",
    "default_store_path",
    "fingerprint",
    "in_force",
]

STORE_DIR = ".policy-align"
STORE_FILE = "store.db"


def default_store_path(inputs: list[str | Path] | tuple[str | Path, ...] = (), cwd: Path | None = None) -> Path:
    """Where a job's store lives: ``.policy-align/store.db`` beside its first manifest (``.toml``),
    else in the first input folder, else beside the first input file, else in ``cwd``."""
    cwd = cwd or Path.cwd()
    paths = [Path(p) for p in inputs]
    for p in paths:
        if p.suffix.lower() == ".toml":
            return p.resolve().parent / STORE_DIR / STORE_FILE
    for p in paths:
        if p.is_dir():
            return p.resolve() / STORE_DIR / STORE_FILE
    if paths:
        return paths[0].resolve().parent / STORE_DIR / STORE_FILE
    return cwd / STORE_DIR / STORE_FILE
