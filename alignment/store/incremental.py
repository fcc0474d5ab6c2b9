"""Incremental runs: a document whose file, manifest facts and parser code are unchanged is not read again.

:func:`parse_key` names what a parse depends on: the resolved path, the SHA-256 of the file's
bytes, the facts the manifest gives (title, level, role, …) and :func:`parser_fingerprint`, a hash
of the source of the modules that turn a file into a section tree (so a parser fix invalidates
every stored tree without anyone remembering to bump a version). :func:`parse_entries` is the
store-backed twin of :func:`alignment.pipeline.parse_entries`. Embeddings need nothing special:
the store's embedding table is keyed by text, so only texts not seen before are embedded.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from alignment.errors import AlignmentError
from alignment.manifest import Entry
from alignment.schema import Failure, ParsedDocument
from alignment.store.db import Store

#: Modules (relative to the package) whose code decides how a file becomes a ParsedDocument.
PARSER_SOURCES = ("ingest", "structure", "manifest.py")


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """SHA-1 of the source files of :data:`PARSER_SOURCES` (computed once per process)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for name in PARSER_SOURCES:
        target = root / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for f in files:
            digest.update(str(f.relative_to(root)).encode("utf-8"))
            digest.update(f.read_bytes())
    return digest.hexdigest()


def parse_key(entry: Entry, sha256: str) -> str:
    """The key a parse of ``entry`` (file content ``sha256``) is stored under."""
    facts = {k: str(v) for k, v in asdict(entry).items()}
    payload = json.dumps([facts, sha256, parser_fingerprint()], ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def parse_entries(store: Store, entries: Sequence[Entry], progress: Callable[[str], None] | None = None,
                  ) -> tuple[list[ParsedDocument], list[Failure], dict[str, bool]]:
    """Like :func:`alignment.pipeline.parse_entries`, reusing the parses ``store`` holds.

    Returns (parsed documents, failures, reused) where ``reused[path]`` is True for each document
    read from the store instead of extracted. New parses are stored as they are made, so a run
    killed half-way keeps them.
    """
    from alignment.pipeline import parse_entry

    parsed: list[ParsedDocument] = []
    failures: list[Failure] = []
    reused: dict[str, bool] = {}
    for e in entries:
        try:
            data = e.path.read_bytes()
        except OSError:
            data = None  # let the extractor raise its own, helpful error
        key = parse_key(e, hashlib.sha256(data).hexdigest()) if data else None
        found = store.find_parsed(key) if key else None
        if found is not None:
            parsed.append(found)
            reused[str(e.path)] = True
            continue
        if progress:
            progress(e.path.name)
        try:
            p = parse_entry(e)
        except AlignmentError as exc:
            failures.append(Failure(path=str(e.path), message=str(exc)))
            continue
        if key and p.document.sha256 == key_sha(data):
            store.upsert_document(p, parse_key=key)
        parsed.append(p)
        reused[str(e.path)] = False
    return parsed, failures, reused


def key_sha(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data else ""
