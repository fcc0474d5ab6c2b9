"""The one writer: what a worker sends back for a document, and the client-side sink that stores it.

Workers never open the store or the memo. A task returns an :class:`IndexedDocument` (or a
:class:`~alignment.schema.Failure`), and :class:`StoreSink`, in the client process, writes it:
the parsed document with its units under its parse key, its vectors in the store's embedding
table, its terms in the memo. SQLite thus has one writer however many workers there are, and
every document is written in its own transactions as soon as it arrives, so the client holds at
most the results in flight and a run that is stopped keeps what it finished.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from alignment.embed.base import cache_key
from alignment.manifest import Entry
from alignment.pipeline import EMBED_KIND
from alignment.schema import ParsedDocument, Unit

if TYPE_CHECKING:  # pragma: no cover
    from alignment.memo import Memo
    from alignment.store import Store


@dataclass(frozen=True, eq=False)
class IndexedDocument:
    """One document as a worker indexed it.

    ``units``: the units of its role (directive articles, plan passages, both without a role);
    ``texts``: the distinct texts a report embeds for them, with ``terms`` (``Segmenter.terms``)
    and ``vectors`` ((len(texts), d) float32, L2-normalised) in the same order; ``namespace`` and
    ``fingerprint`` name the embedder and the segmenter that made them (the cache and memo keys).
    """

    entry: Entry
    parsed: ParsedDocument
    units: tuple[Unit, ...]
    texts: tuple[str, ...]
    terms: tuple[tuple[str, ...], ...]
    vectors: np.ndarray
    namespace: str
    fingerprint: str

    @property
    def chars(self) -> int:
        return len(self.parsed.document.text)


def entry_key(entry: Entry) -> tuple[str | None, str]:
    """(the store's parse key of ``entry``, the SHA-256 of its bytes), read now; (None, '') for a
    file that cannot be read or is empty (the extractor then says what is wrong with it)."""
    from alignment.store.incremental import parse_key

    try:
        data = entry.path.read_bytes()
    except OSError:
        return None, ""
    if not data:
        return None, ""
    sha = hashlib.sha256(data).hexdigest()
    return parse_key(entry, sha), sha


class StoreSink:
    """Writes :class:`IndexedDocument` results into ``store`` (and terms into ``memo``, if given)."""

    def __init__(self, store: "Store", *, memo: "Memo | None" = None) -> None:
        self.store = store
        self.memo = memo

    def write(self, doc: IndexedDocument, *, parse_key: str | None, sha256: str) -> int:
        """Store one document; returns its version. The parse is filed under ``parse_key`` only
        when the worker read the bytes that were hashed (``sha256``): a file that changed in
        between is stored by content and read again next time."""
        key = parse_key if parse_key and doc.parsed.document.sha256 == sha256 else None
        version = self.store.upsert_document(doc.parsed, units=doc.units, parse_key=key)
        vectors = {cache_key(doc.namespace, EMBED_KIND, t): v for t, v in zip(doc.texts, doc.vectors)}
        held = self.store.get_embeddings(vectors)  # boilerplate recurs across documents: write it once
        self.store.put_embeddings({k: v for k, v in vectors.items() if k not in held})
        if self.memo is not None and doc.texts:
            from alignment.memo import memo_terms

            terms = dict(zip(doc.texts, doc.terms))
            memo_terms(self.memo, doc.fingerprint, list(doc.texts), lambda t: list(terms[t]))
        return version

    def holds(self, keys: Sequence) -> bool:
        """True when the store has a vector under every one of ``keys``."""
        return len(self.store.get_embeddings(keys)) == len(set(keys))
