"""The on-disk embedding cache."""
from __future__ import annotations

import hashlib
import multiprocessing as mp
from pathlib import Path

import numpy as np
import pytest

from alignment.embed import CacheKey, EmbeddingCache, cache_key
from alignment.embed.cache import default_path
from alignment.errors import ConfigError


def test_key_is_backend_kind_and_sha1_of_the_text():
    key = cache_key("e5-small", "query", "社会救助")
    assert key == CacheKey("e5-small", "query", hashlib.sha1("社会救助".encode("utf-8")).hexdigest())


def test_round_trip_keeps_float32_vectors_exactly(embedding_cache):
    rng = np.random.default_rng(0)
    items = {cache_key("b", "passage", f"t{i}"): rng.standard_normal(7).astype(np.float32) for i in range(3)}
    embedding_cache.put_many(items)
    wanted = [*items, cache_key("b", "passage", "never stored"), cache_key("other", "passage", "t0")]
    got = embedding_cache.get_many(wanted)
    assert set(got) == set(items)
    for key, vec in items.items():
        assert got[key].dtype == np.float32
        np.testing.assert_array_equal(got[key], vec)


def test_put_replaces_and_accepts_pairs(embedding_cache):
    key = cache_key("b", "query", "x")
    embedding_cache.put_many([(key, np.ones(3, np.float32))])
    embedding_cache.put_many([(key, np.zeros(3, np.float32))])
    assert len(embedding_cache) == 1
    np.testing.assert_array_equal(embedding_cache.get_many([key])[key], np.zeros(3))


def test_many_keys_are_fetched_in_chunks(embedding_cache):
    items = {cache_key("b", "passage", str(i)): np.full(2, i, np.float32) for i in range(1200)}
    embedding_cache.put_many(items)
    assert len(embedding_cache.get_many(items)) == 1200


def test_file_uses_wal_and_persists(tmp_path):
    path = tmp_path / "sub" / "e.db"
    with EmbeddingCache(path) as cache:
        cache.put_many({cache_key("b", "passage", "x"): np.ones(4, np.float32)})
        assert cache._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with EmbeddingCache(path) as again:
        assert len(again) == 1


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_ALIGN_CACHE", str(tmp_path / "a.db"))
    assert default_path() == tmp_path / "a.db"
    first = EmbeddingCache.default()
    monkeypatch.setenv("POLICY_ALIGN_CACHE", str(tmp_path / "b.db"))
    assert EmbeddingCache.default().path == tmp_path / "b.db" and first.path == tmp_path / "a.db"
    monkeypatch.delenv("POLICY_ALIGN_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "policy-align" / "embeddings.db"


def test_a_file_that_is_not_a_database_is_named(tmp_path):
    bad = tmp_path / "embeddings.db"
    bad.write_text("not sqlite at all, just text " * 100, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^无法打开向量缓存 .*embeddings\.db（.*）：请删除该文件"):
        EmbeddingCache(bad)


def _writer(path: str, worker: int, rounds: int) -> None:
    cache = EmbeddingCache(path)
    for r in range(rounds):
        batch = {cache_key(f"w{worker}", "passage", f"{r}-{i}"): np.full(16, r, np.float32) for i in range(5)}
        cache.put_many(batch)
        cache.get_many([cache_key(f"w{1 - worker}", "passage", f"{r}-0")])
    cache.close()


def test_two_processes_writing_at_once(tmp_path: Path):
    path = str(tmp_path / "shared.db")
    EmbeddingCache(path).close()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 60)) for w in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with EmbeddingCache(path) as cache:
        assert len(cache) == 2 * 60 * 5
