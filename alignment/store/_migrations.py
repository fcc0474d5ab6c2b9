"""The store's schema, as numbered migrations applied in order (``PRAGMA user_version`` holds the last).

A migration is never edited once released: a change to the schema is a new migration at the end.
Each runs in the same ``BEGIN IMMEDIATE`` transaction as the version bump, so a store is always at
exactly one version, even when the process is killed half-way.
"""
from __future__ import annotations

#: Decision actions the ``decisions`` table accepts (see :mod:`alignment.store.review`).
ACTIONS_SQL = "'accept', 'reject', 'add', 'out_of_scope', 'comment', 'clear'"

_V1 = f"""
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per version of a document: a new file content (or new parser code) is a new row.
CREATE TABLE documents (
    version   INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL,            -- Document.id, what units refer to
    path      TEXT NOT NULL,
    sha256    TEXT NOT NULL,            -- of the source file's bytes
    doc_sha1  TEXT NOT NULL,            -- of the Document's JSON: text and facts
    parse_key TEXT UNIQUE,              -- path + sha256 + manifest facts + parser code; NULL if not parsed here
    role      TEXT,
    document  TEXT NOT NULL,            -- JSON of alignment.schema.Document
    tree      TEXT,                     -- JSON of the root Section, NULL when only the Document is known
    created   TEXT NOT NULL
);
CREATE INDEX documents_by_content ON documents (doc_id, doc_sha1);

CREATE TABLE units (
    version      INTEGER NOT NULL REFERENCES documents (version) ON DELETE CASCADE,
    unit_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    char_start   INTEGER NOT NULL,
    char_end     INTEGER NOT NULL,
    page         INTEGER NOT NULL,
    section_path TEXT NOT NULL,         -- JSON list
    context      TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,         -- alignment.store.review.fingerprint(text)
    PRIMARY KEY (version, unit_id)
) WITHOUT ROWID;

CREATE TABLE embeddings (
    backend TEXT NOT NULL,
    kind    TEXT NOT NULL,
    sha1    TEXT NOT NULL,
    dim     INTEGER NOT NULL,
    vector  BLOB NOT NULL,
    PRIMARY KEY (backend, kind, sha1)
) WITHOUT ROWID;

CREATE TABLE runs (
    run_id   INTEGER PRIMARY KEY,
    state    TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'interrupted')),
    pid      INTEGER,
    host     TEXT,
    started  TEXT NOT NULL,
    finished TEXT,
    method   TEXT NOT NULL DEFAULT '',
    embedder TEXT NOT NULL DEFAULT '',
    created  TEXT NOT NULL DEFAULT '',  -- Report.created
    options  TEXT NOT NULL DEFAULT '{{}}',
    failures TEXT NOT NULL DEFAULT '[]',
    message  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE run_documents (
    run_id   INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    version  INTEGER NOT NULL REFERENCES documents (version),
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;

-- The verdict on each directive of a run, as the machine gave it.
CREATE TABLE results (
    run_id       INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    directive_id TEXT NOT NULL,
    version      INTEGER NOT NULL,
    strength     INTEGER NOT NULL,
    actions      TEXT NOT NULL,         -- JSON list
    status       TEXT NOT NULL,
    confidence   REAL NOT NULL,
    reviewed     INTEGER NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, directive_id)
) WITHOUT ROWID;

-- A directive's matches, best first (rank 0 is the best).
CREATE TABLE links (
    run_id       INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    directive_id TEXT NOT NULL,
    rank         INTEGER NOT NULL,
    unit_id      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    score        REAL NOT NULL,
    evidence     TEXT NOT NULL,         -- JSON of alignment.schema.Evidence
    via          TEXT NOT NULL,         -- JSON list
    PRIMARY KEY (run_id, directive_id, rank)
) WITHOUT ROWID;

-- The plan units of a run in order, and the directives each implements.
CREATE TABLE plan_units (
    run_id     INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    unit_id    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    directives TEXT NOT NULL,           -- JSON list of [directive id, score]
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;

-- Reviewers' decisions: append-only; the latest row per (directive, unit) is the one in force.
CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    directive_id   TEXT NOT NULL,
    unit_id        TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL CHECK (action IN ({ACTIONS_SQL})),
    comment        TEXT NOT NULL DEFAULT '',
    reviewer       TEXT NOT NULL,
    time           TEXT NOT NULL,
    directive_fp   TEXT NOT NULL DEFAULT '',
    unit_fp        TEXT NOT NULL DEFAULT '',
    directive_text TEXT NOT NULL DEFAULT '',
    unit_text      TEXT NOT NULL DEFAULT '',
    score          REAL,
    run_id         INTEGER
);
"""

# Version 2: stage timings per run (scripts/bench_incremental.py reads them), the run's analysis
# (alignment.analysis: indicators, tasks, levels; JSON) and the lookups the review pages make on every request.
_V2 = """
ALTER TABLE runs ADD COLUMN timings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE runs ADD COLUMN analysis TEXT;
CREATE INDEX decisions_by_directive ON decisions (directive_id, unit_id, id);
CREATE INDEX runs_by_state ON runs (state, run_id);
"""

#: (version, SQL script) in order; the store's version is the last one applied.
MIGRATIONS: tuple[tuple[int, str], ...] = ((1, _V1), (2, _V2))
LATEST = MIGRATIONS[-1][0]
