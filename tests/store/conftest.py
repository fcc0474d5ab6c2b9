"""Fixtures for the store tests: a store holding the hand-made demo report, and a small real corpus.

``demo_store``: a fresh store with :func:`report.fixtures.demo_report` recorded as run 1 (no
pipeline, fast). ``corpus``: copies of two real documents (山东省老年人权益保障条例 → 德州市养老服务条例)
in a temporary folder, so tests can change one and re-run the real pipeline (lexical embedder).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alignment.store import Store
from report.fixtures import CORPUS, DEZHOU, SHANDONG, demo_report


@pytest.fixture
def demo_store(tmp_path: Path):
    with Store.open(tmp_path / "store.db") as store:
        store.record_report(demo_report())
        yield store


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    d = shutil.copy(CORPUS / "provincial" / f"{SHANDONG}.txt", folder / f"{SHANDONG}.txt")
    p = shutil.copy(CORPUS / "municipal" / f"{DEZHOU}.txt", folder / f"{DEZHOU}.txt")
    return {"directive": Path(d), "plan": Path(p)}


def run_pipeline(store: Store, corpus: dict[str, Path]):
    """One real report run over ``corpus`` with the lexical embedder, recorded in ``store``."""
    from alignment.pipeline import Engine, run_report

    return run_report([corpus["directive"]], [corpus["plan"]], engine=Engine(embedder="lexical"), store=store)
