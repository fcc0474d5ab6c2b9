"""Fixtures for the distributed tests: corpora cut from the real laws, and a two-worker LocalCluster.

The corpora come from :func:`alignment.distributed.corpusgen.make_corpus`: every document is a run
of consecutive articles (第X条 with their paragraphs) of one real law or regulation in ``corpus/``,
a title line naming its source; directives are cut from the central, provincial and municipal
texts, plans from the municipal ones; ``broken`` files are PDFs that are not. The cut is seeded,
so every run of the suite sees the same documents. Each test module skips itself when the dist
extra is missing (``pytest.importorskip``); nothing here imports Dask until a fixture needs it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from alignment.distributed.corpusgen import SyntheticCorpus, make_corpus

#: The acceptance corpus: 40 directive and 470 plan documents and 2 unreadable files (512 inputs).
N_DIRECTIVES, N_PLANS, N_BROKEN = 40, 470, 2


@pytest.fixture(scope="session")
def corpus500(tmp_path_factory: pytest.TempPathFactory) -> SyntheticCorpus:
    return make_corpus(tmp_path_factory.mktemp("corpus500"), n_directives=N_DIRECTIVES, n_plans=N_PLANS,
                       broken=N_BROKEN, seed=6)


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> SyntheticCorpus:
    """20 directive and 20 plan documents and one unreadable file."""
    return make_corpus(tmp_path_factory.mktemp("small"), n_directives=20, n_plans=20, broken=1, seed=7)


@pytest.fixture(scope="session")
def client():
    """A LocalCluster of 2 single-threaded worker processes, shared by the tests that do not kill one."""
    from alignment.distributed.cluster import connect

    with connect("local:2") as c:
        yield c


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the embedding cache and the memo at a fresh folder; returns a function that switches
    to another one (so that two runs in one test share nothing)."""

    def use(name: str) -> Path:
        folder = tmp_path / name
        monkeypatch.setenv("POLICY_ALIGN_CACHE", str(folder / "embeddings.db"))
        return folder

    use("cache")
    return use
