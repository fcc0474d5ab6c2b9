"""On-disk embedding cache: one SQLite file, one table, vectors as float32 blobs.

Rows are keyed by (backend namespace, kind, SHA-1 of the text), so a second run over the same
corpus embeds nothing. The file is ``$POLICY_ALIGN_CACHE`` (a file path) or
``~/.cache/policy-align/embeddings.db`` (``$XDG_CACHE_HOME`` respected). Several processes may read
and write it at once: WAL journaling lets readers run beside a writer, every write is one
``BEGIN IMMEDIATE`` transaction, and a busy timeout makes a writer wait for another instead of
failing.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from alignment.embed.base import CacheKey
from alignment.errors import ConfigError

#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 60.0
#: Keys per SELECT (SQLite's bound-parameter limit is 999 in old builds).
_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    backend TEXT NOT NULL,
    kind    TEXT NOT NULL,
    sha1    TEXT NOT NULL,
    dim     INTEGER NOT NULL,
    vector  BLOB NOT NULL,
    PRIMARY KEY (backend, kind, sha1)
) WITHOUT ROWID
"""


def default_path() -> Path:
    """``$POLICY_ALIGN_CACHE``, or ``embeddings.db`` in :func:`alignment.segment.default_cache_dir`."""
    env = os.environ.get("POLICY_ALIGN_CACHE")
    if env:
        return Path(env).expanduser()
    from alignment.segment import default_cache_dir

    return default_cache_dir() / "embeddings.db"


class EmbeddingCache:
    """Vectors by :class:`~alignment.embed.base.CacheKey` in a SQLite file (created if missing).

    Safe to share between threads (one connection behind a lock) and between processes.
    """

    _default: "EmbeddingCache | None" = None
    _default_lock = threading.Lock()

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"无法打开向量缓存 {self.path}（{exc}）：请删除该文件，"
                "或把 POLICY_ALIGN_CACHE 设为可写的路径。"
            ) from None
        self._conn = conn

    @classmethod
    def default(cls) -> "EmbeddingCache":
        """The process-wide cache at :func:`default_path` (reopened when that path changes)."""
        path = default_path()
        with cls._default_lock:
            if cls._default is None or cls._default.path != path:
                cls._default = cls(path)
            return cls._default

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, np.ndarray]:
        """The cached vectors among ``keys`` (missing keys are simply absent), as float32 arrays."""
        groups: dict[tuple[str, str], list[str]] = {}
        for backend, kind, sha1 in dict.fromkeys(keys):
            groups.setdefault((backend, kind), []).append(sha1)
        out: dict[CacheKey, np.ndarray] = {}
        with self._lock:
            for (backend, kind), hashes in groups.items():
                for i in range(0, len(hashes), _CHUNK):
                    chunk = hashes[i:i + _CHUNK]
                    rows = self._conn.execute(
                        "SELECT sha1, dim, vector FROM vectors WHERE backend = ? AND kind = ? "
                        f"AND sha1 IN ({','.join('?' * len(chunk))})",
                        (backend, kind, *chunk),
                    ).fetchall()
                    for sha1, dim, blob in rows:
                        vec = np.frombuffer(blob, dtype=np.float32)
                        if vec.shape[0] == dim:  # a torn or foreign row is treated as a miss
                            out[CacheKey(backend, kind, sha1)] = vec
        return out

    def put_many(self, items: Mapping[CacheKey, np.ndarray] | Iterable[tuple[CacheKey, np.ndarray]]) -> None:
        """Store vectors (replacing any under the same key) in one transaction."""
        pairs = items.items() if isinstance(items, Mapping) else items
        rows = []
        for (backend, kind, sha1), vec in pairs:
            v = np.ascontiguousarray(vec, dtype=np.float32).reshape(-1)
            rows.append((backend, kind, sha1, int(v.shape[0]), v.tobytes()))
        if not rows:
            return
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO vectors (backend, kind, sha1, dim, vector) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def __bool__(self) -> bool:  # an empty cache is still a cache
        return True

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "EmbeddingCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.path)!r})"
