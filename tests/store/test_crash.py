"""A report run killed with SIGKILL at any stage leaves the store consistent, loses no decision, and
the next run completes (real processes, the real pipeline with the lexical embedder)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alignment.store import Store

from .conftest import run_pipeline

# The run to kill: the real pipeline over the corpus, made to stop (and signal the test) at one point:
#   parse  - just after the changed document's new version was committed
#   embed  - just after the first batch of new embeddings was committed
#   record - inside the transaction that records the run's units, results and links
CHILD = """
import os, signal, sys
from pathlib import Path
from alignment.pipeline import Engine, run_report
from alignment.store import Store, db

point, store_path, directive, plan, marker = sys.argv[1:6]

def stop_here():
    Path(marker).write_text(str(os.getpid()))
    signal.pause()  # until the test's SIGKILL

if point == "parse":
    upsert = db.Store.upsert_document
    def patched(self, *args, **kwargs):
        version = upsert(self, *args, **kwargs)
        stop_here()
    db.Store.upsert_document = patched
elif point == "embed":
    put = db.Store.put_embeddings
    def patched(self, items):
        put(self, items)
        stop_here()
    db.Store.put_embeddings = patched
elif point == "record":
    insert = db._insert_units
    def patched(conn, version, units):
        units = list(units)
        insert(conn, version, units)
        if units:
            stop_here()
    db._insert_units = patched

run_report([directive], [plan], engine=Engine(embedder="lexical"), store=Store.open(store_path))
print("the run was not stopped")
"""


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A store after one complete run over the corpus, with two decisions recorded."""
    from report.fixtures import CORPUS, DEZHOU, SHANDONG

    folder = tmp_path_factory.mktemp("baseline")
    corpus = {"directive": Path(shutil.copy(CORPUS / "provincial" / f"{SHANDONG}.txt", folder)),
              "plan": Path(shutil.copy(CORPUS / "municipal" / f"{DEZHOU}.txt", folder))}
    with Store.open(folder / "store.db") as store:
        report = run_pipeline(store, corpus)
        linked = [r for r in report.directives if len(r.matches) >= 2]
        store.record_decision(linked[0].directive.id, "accept", reviewer="张三", unit_id=linked[0].matches[0].unit.id)
        store.record_decision(linked[1].directive.id, "reject", reviewer="李四", unit_id=linked[1].matches[1].unit.id,
                              comment="不对应")
    return folder, corpus


@pytest.mark.parametrize("point", ["parse", "embed", "record"])
def test_a_run_killed_mid_way_leaves_the_store_consistent_and_the_next_run_completes(tmp_path, baseline, point):
    folder, original = baseline
    shutil.copy(folder / "store.db", tmp_path / "store.db")  # closed cleanly: no WAL beside it
    corpus = {k: Path(shutil.copy(p, tmp_path)) for k, p in original.items()}
    # The plan changed since the baseline run, so the run has a document to read and texts to embed.
    plan = corpus["plan"]
    plan.write_text(plan.read_text(encoding="utf-8").replace("养老服务", "养老服务工作", 3), encoding="utf-8")
    marker = tmp_path / "stopped"
    child = subprocess.Popen([sys.executable, "-c", CHILD, point, str(tmp_path / "store.db"),
                              str(corpus["directive"]), str(plan), str(marker)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, child.communicate()[1]
            assert time.monotonic() < deadline, "the run never reached the kill point"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with Store.open(tmp_path / "store.db") as store:
        assert store.integrity_check() == "ok"
        states = [r.state for r in store.runs()]
        assert states == (["interrupted", "complete"] if point == "record" else ["complete"])
        decisions = store.decisions()
        assert [(d.reviewer, d.action) for d in decisions] == [("张三", "accept"), ("李四", "reject")]
        # The last complete run still loads, with the decisions applied.
        before = store.load_report()
        assert sum(1 for r in before.directives for m in r.matches if m.review) == 2
        # The next run completes and keeps every decision.
        after = run_pipeline(store, corpus)
        assert store.latest_run().run_id == max(r.run_id for r in store.runs())
        assert [r.state for r in store.runs()][0] == "complete"
        reviews = {(r.directive.id, m.unit.id): m.review for r in after.directives for m in r.matches if m.review}
        assert {(d.directive_id, d.unit_id) for d in decisions} <= set(reviews)
        assert store.integrity_check() == "ok"
