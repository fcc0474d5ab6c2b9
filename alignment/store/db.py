"""The SQLite store: one file holding documents, units, embeddings, runs, links and review decisions.

Concurrency and crash safety come from SQLite itself: WAL journaling (readers never block the
writer), every write in one ``BEGIN IMMEDIATE`` transaction (a killed process leaves either all of
a write or none of it), and a busy timeout so a second writer waits instead of failing. A run is
recorded in two steps: :meth:`Store.begin_run` (state ``running``) and :meth:`Store.finish_run`
(links and results in one transaction, state ``complete``); a run whose process died is marked
``interrupted`` the next time the store is opened, and never shown as a result.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from alignment.embed.base import CacheKey
from alignment.errors import AlignmentError, StoreError
from alignment.manifest import Entry
from alignment.schema import (
    Directive,
    DirectiveResult,
    Document,
    Evidence,
    Failure,
    Match,
    ParsedDocument,
    PlanUnitResult,
    Report,
    Section,
    Unit,
)
from alignment.store import _codec
from alignment.store._migrations import LATEST, MIGRATIONS
from alignment.store.review import ACTIONS, LINK_ACTIONS, Decision, apply_decisions, fingerprint

#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 60.0
#: Keys per SELECT ... IN (...) (SQLite's bound-parameter limit is 999 in old builds).
_CHUNK = 500


def now() -> str:
    """The current UTC time, ISO 8601 with offset, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RunInfo:
    """One row of the ``runs`` table. ``state``: running, complete, failed or interrupted."""

    run_id: int
    state: str
    started: str
    finished: str
    method: str
    embedder: str
    options: dict[str, Any]
    timings: dict[str, float]
    message: str = ""


@dataclass(frozen=True)
class DocumentVersion:
    """One stored version of a document: ``version`` is its row id, new for every new content."""

    version: int
    doc_id: str
    path: str
    sha256: str
    role: str
    created: str
    parsed: bool  # the section tree is stored, so the file need not be extracted again


class StoreEmbeddings:
    """The store's embeddings, with the interface of :class:`alignment.embed.EmbeddingCache`.

    Pass it as ``Engine(cache=store.embeddings)`` (or ``Embedder.embed(..., cache=...)``): texts
    embedded once are never embedded again, whichever run or process embedded them. Vectors the
    store lacks are looked up in the user's embedding cache (``$POLICY_ALIGN_CACHE``, the one runs
    without a store use) and copied in, so a first run with a new store re-embeds nothing the
    machine has embedded before; new vectors go to both.
    """

    def __init__(self, store: "Store", fallback: Any = None) -> None:
        self._store = store
        self._fallback = fallback  # an EmbeddingCache, opened on first use when None

    def _user_cache(self) -> Any:
        if self._fallback is None:
            from alignment.embed.cache import EmbeddingCache

            try:
                self._fallback = EmbeddingCache.default()
            except AlignmentError:  # unreadable or unwritable: the store alone still works
                self._fallback = False
        return self._fallback

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, np.ndarray]:
        """The vectors among ``keys`` in the store, else in the user's cache (missing ones absent)."""
        keys = list(keys)
        found = self._store.get_embeddings(keys)
        missing = [k for k in keys if k not in found]
        user = self._user_cache() if missing else False
        if user:
            more = user.get_many(missing)
            if more:
                self._store.put_embeddings(more)
                found.update(more)
        return found

    def put_many(self, items: Mapping[CacheKey, np.ndarray] | Iterable[tuple[CacheKey, np.ndarray]]) -> None:
        """Store vectors (replacing any under the same key) in one transaction, and in the user's cache."""
        items = dict(items)
        self._store.put_embeddings(items)
        user = self._user_cache()
        if user:
            user.put_many(items)

    def __len__(self) -> int:
        return self._store.count("embeddings")

    def __bool__(self) -> bool:  # an empty cache is still a cache
        return True


class Store:
    """A review store in one SQLite file (created and migrated by :meth:`open`).

    One connection behind a lock: safe to share between threads (the web server's) and, through
    SQLite's locking, between processes.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self.embeddings = StoreEmbeddings(self)
        self._reused: dict[str, bool] = {}
        #: The id of the last run this object recorded (None before any).
        self.last_run_id: int | None = None

    # --- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> "Store":
        """Open the store at ``path``, creating it (and its folder) when ``create``, and migrate it.

        Raises :class:`StoreError` when the file cannot be opened, is not a store, or was written
        by a newer version of policy-align.
        """
        path = Path(path)
        if not create and not path.is_file():
            raise StoreError(f"找不到复核库 {path}：请先运行 `policy-align report --store {path} ...` 创建，"
                             "或用 --store PATH 指定已有的复核库。")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except (OSError, sqlite3.OperationalError) as exc:
            raise StoreError(f"无法打开复核库 {path}（{exc}）：请检查路径和访问权限，"
                             "或用 --store 指定其他位置。") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"文件 {path} 不是 policy-align 复核库（{exc}）：请用 --store 指定其他路径。") from None
        store = cls(path, conn)
        try:
            store.migrate()
            store._mark_dead_runs()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"文件 {path} 不是 policy-align 复核库（{exc}）：请用 --store 指定其他路径。") from None
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` write transaction: committed on success, rolled back on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    @property
    def schema_version(self) -> int:
        """The last migration applied (``PRAGMA user_version``)."""
        return int(self._read("PRAGMA user_version")[0][0])

    def migrate(self) -> int:
        """Apply the migrations this file lacks, each with its version bump in one transaction."""
        with self.transaction() as conn:
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current > LATEST:
                raise StoreError(f"复核库 {self.path} 的结构版本 {current} 比本版 policy-align 支持的版本"
                                 f"（{LATEST}）新：请升级 policy-align。")
            for version, script in MIGRATIONS:
                if version > current:
                    for statement in _statements(script):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {version}")
        return self.schema_version

    def count(self, table: str) -> int:
        """Rows in one of the store's tables."""
        if table not in {"documents", "units", "embeddings", "runs", "links", "results", "decisions"}:
            raise StoreError(f"复核库中没有数据表 {table!r}。")
        return int(self._read(f"SELECT COUNT(*) FROM {table}")[0][0])

    # --- documents and units ------------------------------------------------------------------
    def find_parsed(self, parse_key: str) -> ParsedDocument | None:
        """The parsed document stored under ``parse_key`` (see :mod:`alignment.store.incremental`)."""
        rows = self._read("SELECT document, tree FROM documents WHERE parse_key = ?", (parse_key,))
        if not rows or rows[0][1] is None:
            return None
        try:
            return ParsedDocument(document=_codec.load(Document, rows[0][0]), root=_codec.load(Section, rows[0][1]))
        except (TypeError, KeyError, ValueError):  # written before a schema change: parse the file again
            return None

    def upsert_document(self, doc: Document | ParsedDocument, *, units: Sequence[Unit] = (),
                        parse_key: str | None = None) -> int:
        """Store a document version (its text, and section tree when parsed) and its ``units``.

        Returns the version id. With a ``parse_key`` (see :mod:`alignment.store.incremental`) the
        version is the one stored under that key; without, a document equal in every field to a
        stored one is that version. Anything else is a new version.
        """
        parsed = doc if isinstance(doc, ParsedDocument) else None
        document = parsed.document if parsed else doc
        assert isinstance(document, Document)
        blob = _codec.dump(document)
        doc_sha1 = _sha1(blob)
        with self.transaction() as conn:
            row = conn.execute("SELECT version FROM documents WHERE parse_key = ?", (parse_key,)).fetchone() \
                if parse_key else None
            if row is None and not parse_key:
                row = conn.execute("SELECT version FROM documents WHERE doc_id = ? AND doc_sha1 = ? "
                                   "ORDER BY version DESC LIMIT 1", (document.id, doc_sha1)).fetchone()
            if row is None:
                version = conn.execute(
                    "INSERT INTO documents (doc_id, path, sha256, doc_sha1, parse_key, role, document, tree, created) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (document.id, document.path, document.sha256, doc_sha1, parse_key, document.meta.role,
                     blob, _codec.dump(parsed.root) if parsed else None, now()),
                ).lastrowid
            else:
                version = int(row[0])
                if parsed is not None:
                    conn.execute("UPDATE documents SET tree = COALESCE(tree, ?) WHERE version = ?",
                                 (_codec.dump(parsed.root), version))
            _insert_units(conn, int(version), units)
        return int(version)

    def parse_entries(self, entries: Sequence[Entry], progress: Callable[[str], None] | None = None,
                      ) -> tuple[list[ParsedDocument], list[Failure]]:
        """:func:`alignment.pipeline.parse_entries`, reusing the unchanged documents this store holds
        (see :mod:`alignment.store.incremental`); which were reused is noted for the next recorded run."""
        from alignment.store.incremental import parse_entries

        parsed, failures, reused = parse_entries(self, entries, progress)
        self._reused = reused
        return parsed, failures

    def document_versions(self, doc_id: str | None = None) -> list[DocumentVersion]:
        """Stored document versions (of ``doc_id`` only, when given), oldest first."""
        sql = "SELECT version, doc_id, path, sha256, role, created, tree IS NOT NULL FROM documents"
        rows = self._read(sql + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY version",
                          (doc_id,) if doc_id else ())
        return [DocumentVersion(int(v), d, p, s, r or "", c, bool(t)) for v, d, p, s, r, c, t in rows]

    def load_parsed(self, version: int) -> ParsedDocument | None:
        """A stored version with its section tree, or None when only its text was stored."""
        rows = self._read("SELECT document, tree FROM documents WHERE version = ?", (version,))
        if not rows:
            raise StoreError(f"复核库 {self.path} 中没有文档版本 {version}。")
        if rows[0][1] is None:
            return None
        return ParsedDocument(document=_codec.load(Document, rows[0][0]), root=_codec.load(Section, rows[0][1]))

    def units(self, version: int) -> list[Unit]:
        """The units stored for a document version, in document order."""
        rows = self._read("SELECT d.doc_id, u.unit_id, u.kind, u.text, u.char_start, u.char_end, u.page, "
                          "u.section_path, u.context FROM units u JOIN documents d USING (version) "
                          "WHERE u.version = ? ORDER BY u.char_start, u.unit_id", (version,))
        return [_unit_row(r) for r in rows]

    # --- embeddings -------------------------------------------------------------------------------
    def get_embeddings(self, keys: Iterable[CacheKey]) -> dict[CacheKey, np.ndarray]:
        """The stored vectors among ``keys`` (missing keys absent), as float32 arrays."""
        groups: dict[tuple[str, str], list[str]] = {}
        for backend, kind, sha1 in dict.fromkeys(keys):
            groups.setdefault((backend, kind), []).append(sha1)
        out: dict[CacheKey, np.ndarray] = {}
        for (backend, kind), hashes in groups.items():
            for i in range(0, len(hashes), _CHUNK):
                chunk = hashes[i:i + _CHUNK]
                rows = self._read("SELECT sha1, dim, vector FROM embeddings WHERE backend = ? AND kind = ? "
                                  f"AND sha1 IN ({','.join('?' * len(chunk))})", (backend, kind, *chunk))
                for sha1, dim, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape[0] == dim:
                        out[CacheKey(backend, kind, sha1)] = vec
        return out

    def put_embeddings(self, items: Mapping[CacheKey, np.ndarray] | Iterable[tuple[CacheKey, np.ndarray]]) -> None:
        """Store vectors (replacing any under the same key) in one transaction."""
        pairs = items.items() if isinstance(items, Mapping) else items
        rows = []
        for (backend, kind, sha1), vec in pairs:
            v = np.ascontiguousarray(vec, dtype=np.float32).reshape(-1)
            rows.append((backend, kind, sha1, int(v.shape[0]), v.tobytes()))
        if rows:
            with self.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO embeddings (backend, kind, sha1, dim, vector) "
                                 "VALUES (?, ?, ?, ?, ?)", rows)

    # --- runs -------------------------------------------------------------------------------------
    def begin_run(self, *, method: str = "", embedder: str = "", options: Mapping[str, Any] | None = None) -> int:
        """Start recording a run (state ``running``); returns its id for :meth:`finish_run`."""
        with self.transaction() as conn:
            return int(conn.execute(
                "INSERT INTO runs (state, pid, host, started, method, embedder, options) "
                "VALUES ('running', ?, ?, ?, ?, ?, ?)",
                (os.getpid(), socket.gethostname(), now(), method, embedder,
                 json.dumps(dict(options or {}), ensure_ascii=False)),
            ).lastrowid)

    def fail_run(self, run_id: int, message: str) -> None:
        """Mark a run as failed (its partial results, if any, are never shown)."""
        with self.transaction() as conn:
            conn.execute("UPDATE runs SET state = 'failed', finished = ?, message = ? WHERE run_id = ?",
                         (now(), message, run_id))

    def finish_run(self, run_id: int, report: Report, *, timings: Mapping[str, float] | None = None) -> None:
        """Record ``report`` as the result of run ``run_id`` and mark it complete, in one transaction.

        Documents the store does not hold yet are stored (text only); every unit the report names
        is stored under its document's version.
        """
        versions = {d.id: self._version_of(d) for d in report.documents}
        with self.transaction() as conn:
            state = conn.execute("SELECT state FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            if state is None or state[0] != "running":
                raise StoreError(f"复核库 {self.path} 中第 {run_id} 次运行不在进行中"
                                 f"（当前状态：{state[0] if state else 'unknown'}）。")

            def version(unit: Unit) -> int:
                if unit.document not in versions:
                    raise StoreError(f"条款 {unit.id} 所属的文档 {unit.document!r} 不在报告中。")
                return versions[unit.document]

            conn.executemany("INSERT INTO run_documents (run_id, position, version) VALUES (?, ?, ?)",
                             [(run_id, i, versions[d.id]) for i, d in enumerate(report.documents)])
            units: dict[str, Unit] = {}
            for r in report.directives:
                units[r.directive.unit.id] = r.directive.unit
                for m in r.matches:
                    units[m.unit.id] = m.unit
            for p in report.plan_units:
                units[p.unit.id] = p.unit
            by_version: dict[int, list[Unit]] = {}
            for u in units.values():
                by_version.setdefault(version(u), []).append(u)
            for v, us in by_version.items():
                _insert_units(conn, v, us)
            conn.executemany(
                "INSERT INTO results (run_id, position, directive_id, version, strength, actions, status, "
                "confidence, reviewed, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, i, r.directive.id, version(r.directive.unit), int(r.directive.strength),
                  _codec.dump(list(r.directive.actions)), r.status, float(r.confidence), int(r.reviewed), r.note)
                 for i, r in enumerate(report.directives)],
            )
            conn.executemany(
                "INSERT INTO links (run_id, directive_id, rank, unit_id, version, score, evidence, via) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, r.directive.id, k, m.unit.id, version(m.unit), float(m.score), _codec.dump(m.evidence),
                  _codec.dump(list(m.via)))
                 for r in report.directives for k, m in enumerate(r.matches) if m.review is None or
                 m.review.decision != "add"],
            )
            conn.executemany(
                "INSERT INTO plan_units (run_id, position, unit_id, version, directives) VALUES (?, ?, ?, ?, ?)",
                [(run_id, i, p.unit.id, version(p.unit), _codec.dump([[d, float(s)] for d, s in p.directives]))
                 for i, p in enumerate(report.plan_units)],
            )
            conn.execute(
                "UPDATE runs SET state = 'complete', finished = ?, method = ?, embedder = ?, created = ?, "
                "failures = ?, timings = ?, analysis = ? WHERE run_id = ?",
                (now(), report.method, report.embedder, report.created,
                 _codec.dump([{"path": f.path, "message": f.message} for f in report.failures]),
                 json.dumps({k: round(float(v), 4) for k, v in (timings or {}).items()}),
                 _codec.dump(report.analysis) if getattr(report, "analysis", None) is not None else None, run_id),
            )

    def record_report(self, report: Report, *, options: Mapping[str, Any] | None = None,
                      timings: Mapping[str, float] | None = None) -> int:
        """Record a finished report as a new complete run; returns the run id."""
        run_id = self.begin_run(method=report.method, embedder=report.embedder, options=options)
        try:
            self.finish_run(run_id, report, timings=timings)
        except BaseException as exc:
            self.fail_run(run_id, str(exc))
            raise
        return run_id

    def record_run(self, report: Report, *, options: Mapping[str, Any] | None = None,
                   timings: Mapping[str, float] | None = None) -> Report:
        """Record a report the aligner just made, and return it with the reviewers' decisions applied."""
        opts = dict(options or {})
        if self._reused:
            opts["reused"] = sorted(p for p, r in self._reused.items() if r)
            opts["parsed"] = sorted(p for p, r in self._reused.items() if not r)
            self._reused = {}
        run_id = self.record_report(report, options=opts, timings=timings)
        self.last_run_id = run_id
        return apply_decisions(report, self.decisions())

    def _version_of(self, doc: Document) -> int:
        """The newest stored version equal to ``doc`` (its role aside), stored now if there is none."""
        rows = self._read("SELECT version, document FROM documents WHERE doc_id = ? AND sha256 = ? AND path = ? "
                          "ORDER BY version DESC", (doc.id, doc.sha256, doc.path))
        for version, blob in rows:
            stored = _codec.load(Document, blob)
            if replace(stored, meta=replace(stored.meta, role=doc.meta.role)) == doc:
                return int(version)
        return self.upsert_document(doc)

    def runs(self, *, state: str | None = None) -> list[RunInfo]:
        """Runs, newest first (only those in ``state`` when given)."""
        sql = ("SELECT run_id, state, started, COALESCE(finished, ''), method, embedder, options, timings, message "
               "FROM runs")
        rows = self._read(sql + (" WHERE state = ?" if state else "") + " ORDER BY run_id DESC",
                          (state,) if state else ())
        return [RunInfo(int(r[0]), r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), json.loads(r[7]), r[8]) for r in rows]

    def latest_run(self) -> RunInfo | None:
        """The newest complete run, or None when no run has completed."""
        runs = self._read("SELECT run_id FROM runs WHERE state = 'complete' ORDER BY run_id DESC LIMIT 1")
        return self.run(int(runs[0][0])) if runs else None

    def run(self, run_id: int) -> RunInfo:
        """One run by id (:class:`StoreError` when there is none)."""
        found = [r for r in self.runs() if r.run_id == run_id]
        if not found:
            raise StoreError(f"复核库 {self.path} 中没有第 {run_id} 次运行：`policy-align review runs` 可列出全部运行。")
        return found[0]

    def _mark_dead_runs(self) -> None:
        """Runs left ``running`` by a process of this host that no longer exists become ``interrupted``."""
        host = socket.gethostname()
        rows = self._read("SELECT run_id, pid FROM runs WHERE state = 'running' AND host = ?", (host,))
        dead = [run_id for run_id, pid in rows if not _alive(pid)]
        if dead:
            with self.transaction() as conn:
                conn.executemany("UPDATE runs SET state = 'interrupted', message = '进程在运行完成前已停止' "
                                 "WHERE run_id = ? AND state = 'running'", [(r,) for r in dead])

    def load_report(self, run_id: int | None = None, *, reviewed: bool = True) -> Report:
        """The report of run ``run_id`` (default: the latest complete run), with the decisions applied
        unless ``reviewed`` is false."""
        if run_id is None:
            latest = self.latest_run()
            if latest is None:
                raise StoreError(f"复核库 {self.path} 中还没有完成的运行：请先运行 "
                                 f"`policy-align report --store {self.path} ...`。")
            run_id = latest.run_id
        with self._lock:  # one consistent snapshot of the run
            self._conn.execute("BEGIN")
            try:
                report = self._load(run_id)
            finally:
                self._conn.execute("COMMIT")
        return apply_decisions(report, self.decisions()) if reviewed else report

    def _load(self, run_id: int) -> Report:
        run = self._conn.execute("SELECT state, method, embedder, created, failures, analysis, options FROM runs "
                                 "WHERE run_id = ?", (run_id,)).fetchone()
        if run is None or run[0] != "complete":
            raise StoreError(f"复核库 {self.path} 中第 {run_id} 次运行"
                             f"{'的状态是 ' + run[0] if run else '不存在'}：只有已完成的运行才有报告。")
        options = json.loads(run[6] or "{}")
        docs = [(v, _codec.load(Document, text)) for v, text in self._conn.execute(
            "SELECT d.version, d.document FROM run_documents r JOIN documents d USING (version) "
            "WHERE r.run_id = ? ORDER BY r.position", (run_id,))]
        versions = [v for v, _ in docs]
        units: dict[tuple[int, str], Unit] = {}
        marks = ",".join("?" * len(versions))
        for row in self._conn.execute(
                "SELECT u.version, d.doc_id, u.unit_id, u.kind, u.text, u.char_start, u.char_end, u.page, "
                f"u.section_path, u.context FROM units u JOIN documents d USING (version) WHERE u.version IN ({marks})",
                versions):
            units[(int(row[0]), row[2])] = _unit_row(row[1:])
        links: dict[str, list[Match]] = {}
        for did, uid, v, score, ev, via in self._conn.execute(
                "SELECT directive_id, unit_id, version, score, evidence, via FROM links WHERE run_id = ? "
                "ORDER BY directive_id, rank", (run_id,)):
            links.setdefault(did, []).append(Match(unit=units[(v, uid)], score=float(score),
                                                   evidence=_codec.load(Evidence, ev), via=tuple(json.loads(via))))
        results = [
            DirectiveResult(
                directive=Directive(unit=units[(v, did)], strength=int(strength), actions=tuple(json.loads(actions))),
                status=status, confidence=float(conf), matches=tuple(links.get(did, ())), reviewed=bool(reviewed),
                note=note)
            for did, v, strength, actions, status, conf, reviewed, note in self._conn.execute(
                "SELECT directive_id, version, strength, actions, status, confidence, reviewed, note FROM results "
                "WHERE run_id = ? ORDER BY position", (run_id,))
        ]
        plan = [PlanUnitResult(unit=units[(v, uid)], directives=tuple((d, float(s)) for d, s in json.loads(ds)))
                for uid, v, ds in self._conn.execute(
                    "SELECT unit_id, version, directives FROM plan_units WHERE run_id = ? ORDER BY position", (run_id,))]
        report = Report(
            documents=tuple(d for _, d in docs), directives=tuple(results), plan_units=tuple(plan),
            method=run[1], embedder=run[2], created=run[3],
            failures=tuple(Failure(path=f["path"], message=f["message"]) for f in json.loads(run[4])),
            scope=tuple(options.get("scope", ())), directive_scope=tuple(options.get("directive_scope", ())),
        )
        return _with_analysis(report, run[5])

    def run_documents(self, run_id: int) -> list[DocumentVersion]:
        """The document versions a run read, in its order."""
        found = {v.version: v for v in self.document_versions()}
        rows = self._read("SELECT version FROM run_documents WHERE run_id = ? ORDER BY position", (run_id,))
        return [found[int(v)] for (v,) in rows]

    # --- decisions --------------------------------------------------------------------------------
    def record_decision(self, directive_id: str, action: str, *, reviewer: str, unit_id: str = "",
                        comment: str = "", run_id: int | None = None) -> Decision:
        """Record one decision (see :mod:`alignment.store.review`) against run ``run_id`` (default:
        the latest complete run), which must hold the directive (and the plan unit, for a link)."""
        return self.record_decisions([dict(directive_id=directive_id, action=action, reviewer=reviewer,
                                           unit_id=unit_id, comment=comment)], run_id=run_id)[0]

    def record_decisions(self, items: Sequence[Mapping[str, Any]], *, run_id: int | None = None) -> list[Decision]:
        """Record several decisions in one transaction (e.g. a relink: reject one unit, add another).

        Each item has ``directive_id``, ``action``, ``reviewer`` and optionally ``unit_id`` and
        ``comment``. The texts the reviewer saw are fingerprinted from run ``run_id`` (default:
        the latest complete run). Raises :class:`StoreError` for an unknown action, directive or unit.
        """
        out = []
        with self.transaction() as conn:
            if run_id is None:
                row = conn.execute("SELECT MAX(run_id) FROM runs WHERE state = 'complete'").fetchone()
                if row[0] is None:
                    raise StoreError(f"复核库 {self.path} 中还没有可复核的运行：请先运行 "
                                     f"`policy-align report --store {self.path} ...`。")
                run_id = int(row[0])
            for item in items:
                d = self._checked_decision(conn, run_id, item)
                d_id = conn.execute(
                    "INSERT INTO decisions (directive_id, unit_id, action, comment, reviewer, time, directive_fp, "
                    "unit_fp, directive_text, unit_text, score, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (d.directive_id, d.unit_id, d.action, d.comment, d.reviewer, d.time, d.directive_fp, d.unit_fp,
                     d.directive_text, d.unit_text, d.score, d.run_id),
                ).lastrowid
                out.append(Decision(**{**d.__dict__, "id": int(d_id)}))
        return out

    def _checked_decision(self, conn: sqlite3.Connection, run_id: int, item: Mapping[str, Any]) -> Decision:
        directive_id = str(item.get("directive_id") or "")
        action = str(item.get("action") or "")
        reviewer = " ".join(str(item.get("reviewer") or "").split())
        unit_id = str(item.get("unit_id") or "")
        comment = str(item.get("comment") or "").strip()
        if action not in ACTIONS:
            raise StoreError(f"未知的复核操作 {action!r}：可选 {'、'.join(ACTIONS)}。")
        if not reviewer:
            raise StoreError("复核意见需要复核人姓名：请用 --reviewer NAME 或设置 POLICY_ALIGN_REVIEWER。")
        if action in LINK_ACTIONS and not unit_id:
            raise StoreError(f"操作 {action} 针对一条对应关系：请同时给出规划条款 ID（UNIT_ID）。")
        if action == "out_of_scope" and unit_id:
            raise StoreError("操作 out_of_scope（不适用）针对要求本身：请不要给出条款 ID。")
        if action == "comment" and not comment:
            raise StoreError("批注（comment）需要填写批注内容。")
        found = conn.execute(
            "SELECT u.text FROM results r JOIN units u ON u.version = r.version AND u.unit_id = r.directive_id "
            "WHERE r.run_id = ? AND r.directive_id = ?", (run_id, directive_id)).fetchone()
        if found is None:
            raise StoreError(f"第 {run_id} 次运行中没有要求 {directive_id!r}："
                             "`policy-align review list` 可列出要求 ID。")
        directive_text = found[0]
        unit_text, score = "", None
        if unit_id:
            unit = conn.execute(
                "SELECT u.text FROM plan_units p JOIN units u ON u.version = p.version AND u.unit_id = p.unit_id "
                "WHERE p.run_id = ? AND p.unit_id = ?", (run_id, unit_id)).fetchone()
            if unit is None:
                unit = conn.execute(
                    "SELECT u.text FROM links l JOIN units u ON u.version = l.version AND u.unit_id = l.unit_id "
                    "WHERE l.run_id = ? AND l.unit_id = ? LIMIT 1", (run_id, unit_id)).fetchone()
            if unit is None:
                raise StoreError(f"第 {run_id} 次运行中没有规划条款 {unit_id!r}：要求页面列出了候选条款，"
                                 "查询框可以找到其他条款。")
            unit_text = unit[0]
            link = conn.execute("SELECT score FROM links WHERE run_id = ? AND directive_id = ? AND unit_id = ?",
                                (run_id, directive_id, unit_id)).fetchone()
            score = float(link[0]) if link else None
            if action in ("accept", "reject") and link is None:
                previous = conn.execute(
                    "SELECT action FROM decisions WHERE directive_id = ? AND unit_id = ? ORDER BY id DESC LIMIT 1",
                    (directive_id, unit_id)).fetchone()
                if previous is None or previous[0] not in ("add", "accept", "reject"):
                    raise StoreError(f"条款 {unit_id} 不是要求 {directive_id} 的候选：请用 add 添加这条对应关系。")
        return Decision(
            directive_id=directive_id, action=action, reviewer=reviewer, unit_id=unit_id, comment=comment,
            time=now(), directive_fp=fingerprint(directive_text), unit_fp=fingerprint(unit_text) if unit_id else "",
            directive_text=directive_text, unit_text=unit_text, score=score, run_id=run_id,
        )

    def decisions(self, *, directive_id: str | None = None, reviewer: str | None = None) -> list[Decision]:
        """The decision log (oldest first), for one directive and/or one reviewer when given."""
        where, params = [], []
        if directive_id is not None:
            where.append("directive_id = ?")
            params.append(directive_id)
        if reviewer is not None:
            where.append("reviewer = ?")
            params.append(reviewer)
        rows = self._read(
            "SELECT id, directive_id, unit_id, action, comment, reviewer, time, directive_fp, unit_fp, "
            "directive_text, unit_text, score, run_id FROM decisions"
            + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id", params)
        return [Decision(id=int(r[0]), directive_id=r[1], unit_id=r[2], action=r[3], comment=r[4], reviewer=r[5],
                         time=r[6], directive_fp=r[7], unit_fp=r[8], directive_text=r[9], unit_text=r[10],
                         score=r[11], run_id=r[12]) for r in rows]

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``'ok'`` for a sound file."""
        return str(self._read("PRAGMA integrity_check")[0][0])


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _with_analysis(report: Report, blob: str | None) -> Report:
    """``report`` with the stored analysis (alignment.analysis) decoded, when there is one and it
    still decodes; an analysis written by another version of that package is left out."""
    if not blob or "analysis" not in {f.name for f in fields(Report)}:
        return report
    try:
        from alignment.analysis.records import Analysis

        return replace(report, analysis=_codec.load(Analysis, blob))
    except (ImportError, TypeError, KeyError, ValueError, NameError):
        return report


def _insert_units(conn: sqlite3.Connection, version: int, units: Iterable[Unit]) -> None:
    """Store units under a document version; a unit stored before under the same id is replaced
    (the unit-cutting code may have changed while the document did not)."""
    conn.executemany(
        "INSERT OR REPLACE INTO units (version, unit_id, kind, text, char_start, char_end, page, section_path, "
        "context, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(version, u.id, u.kind, u.text, int(u.char_start), int(u.char_end), int(u.page),
          _codec.dump(list(u.section_path)), u.context, fingerprint(u.text)) for u in units],
    )


def _unit_row(row: Sequence[Any]) -> Unit:
    doc_id, unit_id, kind, text, start, end, page, path, context = row
    return Unit(id=unit_id, document=doc_id, kind=kind, text=text, char_start=int(start), char_end=int(end),
                page=int(page), section_path=tuple(json.loads(path)), context=context)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one at a time (``executescript`` would commit our transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") or not ln.strip() for ln in buf.splitlines()):
        raise StoreError(f"迁移脚本中有不完整的 SQL 语句：{buf.strip()[:60]}")
