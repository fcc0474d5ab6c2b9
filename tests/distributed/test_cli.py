"""policy-align index and report --scheduler, end to end through the command line."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed", reason="needs the dist extra: pip install 'policy-align[dist]'")

from alignment.cli import cli  # noqa: E402
from alignment.store import Store  # noqa: E402

pytestmark = pytest.mark.dist


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("scheduler", [None, "local:2"])
def test_index_lists_the_unreadable_file_and_completes(small_corpus, tmp_path, cache_dir, scheduler):
    store = tmp_path / "store.db"
    extra = ["--scheduler", scheduler] if scheduler else []
    res = invoke("index", small_corpus.manifest, "--store", store, "--embedder", "lexical", *extra)
    assert res.exit_code == 0, res.output
    broken = small_corpus.broken[0]
    failed = [line for line in res.stderr.splitlines() if line.startswith("已跳过：")]
    assert len(failed) == 1 and failed[0].startswith(f"已跳过：无法读取 {broken}：")
    assert "已索引 40 份文档（未变 0 份，未能读取 1 份）" in res.stderr
    assert f"{2 if scheduler else 1} 个工作线程" in res.stderr
    assert res.stdout == ""
    with Store.open(store, create=False) as s:
        assert s.count("documents") == 40 and s.count("embeddings") > 0
    again = invoke("index", small_corpus.manifest, "--store", store, "--embedder", "lexical", "-q", *extra)
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines() == failed  # quiet: only the unreadable file, listed again


def test_report_with_a_scheduler_writes_the_same_report(small_corpus, tmp_path, cache_dir):
    plain, dist = tmp_path / "plain.json", tmp_path / "dist.json"
    res = invoke("report", "-d", small_corpus.manifest, "--embedder", "lexical", "-o", plain, "-q")
    assert res.exit_code == 0, res.output
    cache_dir("cluster")
    res = invoke("report", "-d", small_corpus.manifest, "--embedder", "lexical", "-o", dist, "-q",
                 "--scheduler", "local:2")
    assert res.exit_code == 0, res.output
    want, got = (json.loads(p.read_text(encoding="utf-8")) for p in (plain, dist))
    assert want.pop("created") and got.pop("created")
    assert got == want
    # Named relative to the report's folder (docs/report-schema.md, Paths), in both runs alike.
    broken = os.path.relpath(os.path.realpath(small_corpus.broken[0]), os.path.realpath(tmp_path))
    assert [f["path"] for f in got["failures"]] == [Path(broken).as_posix()]


def test_an_unreachable_scheduler_is_one_error_line(small_corpus, tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        res = invoke("report", "-d", small_corpus.manifest, "--embedder", "lexical",
                     "-o", tmp_path / "r.json", "--scheduler", "tcp://127.0.0.1:9")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1].startswith(
        "Error: 无法连接 --scheduler tcp://127.0.0.1:9 上的 Dask 调度器（")


@pytest.mark.parametrize("command", ["index", "report"])
def test_help_explains_the_scheduler(command):
    res = invoke(command, "--help")
    assert res.exit_code == 0
    assert "--scheduler" in res.output and "local:N" in res.output and "tcp://host:8786" in res.output
