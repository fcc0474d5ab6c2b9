"""Content-keyed memo of derived data (tokens, pair features), so a re-run recomputes nothing.

Everything here is a pure function of its inputs: the terms jieba and the policy dictionary give a
text, the pair features of two sides. Each is stored under a key that digests every input that
decides it, including the code that computes it (:func:`code_digest`), so a changed dictionary,
text or feature module simply misses. Values live in one SQLite file (WAL, one transaction per
write), beside the embedding cache: ``memo.db`` in :func:`alignment.segment.default_cache_dir`.
Deleting the file is always safe.
"""
from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

_SCHEMA = "CREATE TABLE IF NOT EXISTS memo (ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (ns, key))"
#: SQLite caps bound parameters per statement; look keys up in chunks below it.
_CHUNK = 500


def digest(*parts: str | bytes) -> str:
    """A hex SHA-256 of ``parts`` (length-prefixed, so ('ab', 'c') != ('a', 'bc'))."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def code_digest(*modules: object) -> str:
    """A digest of the source files of ``modules``: cached results are tied to the code that made them."""
    parts = []
    for m in modules:
        path = getattr(m, "__file__", None)
        parts.append(Path(path).read_bytes() if path else repr(m).encode())
    return digest(*parts)[:16]


class Memo:
    """A namespaced key -> bytes store in one SQLite file; safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._db:
            self._db.execute(_SCHEMA)

    def get_many(self, ns: str, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, bytes] = {}
        with self._lock:
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i:i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, value FROM memo WHERE ns = ? AND key IN ({marks})", [ns, *chunk])
                out.update((k, bytes(v)) for k, v in rows)
        return out

    def put_many(self, ns: str, items: Mapping[str, bytes]) -> None:
        if not items:
            return
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO memo (ns, key, value) VALUES (?, ?, ?)",
                                 [(ns, k, v) for k, v in items.items()])

    def get(self, ns: str, key: str) -> bytes | None:
        return self.get_many(ns, [key]).get(key)

    def put(self, ns: str, key: str, value: bytes) -> None:
        self.put_many(ns, {key: value})

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"Memo({str(self.path)!r})"


def memo_terms(memo: Memo | None, fingerprint: str, texts: Sequence[str], compute) -> dict[str, list[str]]:
    """``compute(text)`` for every distinct text, through the memo: only unseen texts are computed.

    ``fingerprint`` names the segmenter (its dictionaries and code); ``compute`` is called lazily,
    so a fully warm run never loads jieba.
    """
    distinct = list(dict.fromkeys(texts))
    if memo is None:
        return {t: compute(t) for t in distinct}
    ns = "terms:" + fingerprint
    keys = {t: digest(t) for t in distinct}
    found = memo.get_many(ns, keys.values())
    out: dict[str, list[str]] = {}
    fresh: dict[str, bytes] = {}
    for t, k in keys.items():
        if k in found:
            out[t] = json.loads(found[k])
        else:
            out[t] = compute(t)
            fresh[k] = json.dumps(out[t], ensure_ascii=False).encode("utf-8")
    memo.put_many(ns, fresh)
    return out


def pack_arrays(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def unpack_arrays(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}
