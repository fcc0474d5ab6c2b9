"""The SQLite store: schema and migrations, documents by content hash, embeddings, runs round-tripped."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from alignment.embed import CacheKey
from alignment.errors import StoreError
from alignment.store import Store
from alignment.store._migrations import LATEST, MIGRATIONS
from alignment.store.db import StoreEmbeddings, _statements
from report.fixtures import demo_documents, demo_report


def test_a_new_store_is_at_the_latest_version_in_wal_mode(tmp_path):
    with Store.open(tmp_path / "sub" / "store.db") as store:
        assert store.schema_version == LATEST == 2
        assert store.integrity_check() == "ok"
    conn = sqlite3.connect(tmp_path / "sub" / "store.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "units", "embeddings", "runs", "links", "results", "decisions", "plan_units"} <= tables


def test_a_version_1_store_is_migrated_keeping_its_decisions(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0][1]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO decisions (directive_id, unit_id, action, reviewer, time) "
                 "VALUES ('d1', 'u1', 'accept', '张三', '2025-01-01T00:00:00+00:00')")
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version == 2
        assert [(d.directive_id, d.action, d.reviewer) for d in store.decisions()] == [("d1", "accept", "张三")]
        assert store.runs() == []  # the new columns exist: the query reads them


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(StoreError, match=r"^复核库 .*new\.db 的结构版本 3 比本版 policy-align 支持的版本（2）新："
                                         r"请升级 policy-align。$"):
        Store.open(path)


def test_a_file_that_is_not_a_store_is_refused_with_the_path(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some notes, not SQLite" * 100)
    with pytest.raises(StoreError, match=r"^文件 .*notes\.db 不是 policy-align 复核库（.*）：请用 --store 指定其他路径。$"):
        Store.open(path)


def test_opening_without_create_names_the_command_that_makes_one(tmp_path):
    with pytest.raises(StoreError) as err:
        Store.open(tmp_path / "none.db", create=False)
    assert str(err.value) == (f"找不到复核库 {tmp_path / 'none.db'}：请先运行 "
                              f"`policy-align report --store {tmp_path / 'none.db'} ...` 创建，"
                              "或用 --store PATH 指定已有的复核库。")


def test_a_report_round_trips_exactly(demo_store):
    report = demo_report()
    assert demo_store.load_report(reviewed=False) == report
    # No decisions yet: the reviewed report is the same.
    assert demo_store.load_report() == report
    run = demo_store.latest_run()
    assert run.state == "complete" and run.method == report.method


def test_documents_are_stored_once_per_content(tmp_path):
    law, shandong, _ = demo_documents()
    with Store.open(tmp_path / "s.db") as store:
        v1 = store.upsert_document(law)
        assert store.upsert_document(law) == v1
        changed = law.__class__(**{**law.__dict__, "text": law.text.replace("老年人", "老人", 1)})
        v2 = store.upsert_document(changed)
        assert v2 != v1
        assert [v.version for v in store.document_versions(law.id)] == [v1, v2]
        assert store.upsert_document(shandong) not in (v1, v2)
        assert store.load_parsed(v1) is None  # the text only, no section tree


def test_units_are_stored_with_their_document_version(demo_store):
    report = demo_report()
    plan_version = [v for v in demo_store.document_versions() if v.doc_id == report.documents[2].id][0]
    units = demo_store.units(plan_version.version)
    assert units == sorted((p.unit for p in report.plan_units), key=lambda u: (u.char_start, u.id))


def test_embeddings_round_trip_and_serve_as_an_embedding_cache(tmp_path, fake_embedder):
    with Store.open(tmp_path / "s.db") as store:
        key = CacheKey("fake", "passage", "0" * 40)
        store.put_embeddings({key: np.arange(4, dtype=np.float32)})
        got = store.get_embeddings([key, CacheKey("fake", "passage", "1" * 40)])
        assert list(got) == [key] and got[key].tolist() == [0, 1, 2, 3]

        embedder = fake_embedder
        texts = ["健全养老服务体系", "发展社区居家养老服务", "健全养老服务体系"]
        first = embedder.embed(texts, cache=store.embeddings)
        assert embedder.calls == [["健全养老服务体系", "发展社区居家养老服务"]]
        again = embedder.embed(texts, cache=store.embeddings)
        assert embedder.calls == [["健全养老服务体系", "发展社区居家养老服务"]]  # nothing embedded twice
        assert np.array_equal(first, again)
        assert len(store.embeddings) == 3


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(tmp_path):
    path = tmp_path / "s.db"
    code = ("import sys; from alignment.store import Store; s = Store.open(sys.argv[1]); "
            "print(s.begin_run(method='m'))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    run_id = int(out.stdout)
    with Store.open(path) as store:
        run = store.run(run_id)
        assert run.state == "interrupted"
        assert run.message == "进程在运行完成前已停止"
        assert store.latest_run() is None


def test_a_running_run_of_a_live_process_is_left_alone(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        run_id = store.begin_run(method="m")
        with Store.open(tmp_path / "s.db") as other:
            assert other.run(run_id).state == "running"
        assert os.getpid()  # this process is alive, so the run is not interrupted


def test_finish_run_twice_is_refused(demo_store):
    run_id = demo_store.latest_run().run_id
    with pytest.raises(StoreError, match=f"第 {run_id} 次运行不在进行中（当前状态：complete）。$"):
        demo_store.finish_run(run_id, demo_report())


def test_load_report_without_a_run_says_what_to_do(tmp_path):
    message = "中还没有完成的运行：请先运行 `policy-align report --store"
    with Store.open(tmp_path / "s.db") as store, pytest.raises(StoreError, match=message):
        store.load_report()


def test_a_new_store_takes_vectors_from_the_user_cache_and_gives_new_ones_back(tmp_path, fake_embedder, embedding_cache):
    texts = ["健全养老服务体系", "发展社区居家养老服务"]
    fake_embedder.embed(texts, cache=embedding_cache)  # a run without a store filled the user's cache
    assert len(fake_embedder.calls) == 1
    with Store.open(tmp_path / "s.db") as store:
        cache = StoreEmbeddings(store, fallback=embedding_cache)
        fake_embedder.embed(texts + ["加强基层民政能力建设"], cache=cache)
        assert fake_embedder.calls[1:] == [["加强基层民政能力建设"]]  # only the new text
        assert len(cache) == 3  # the two found in the user's cache were copied in
    assert len(embedding_cache) == 3  # and the new vector went to the user's cache too
