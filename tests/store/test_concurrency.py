"""Several processes writing to one store at once lose nothing (real processes, not threads)."""
from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from alignment.store import Store
from report.fixtures import demo_report

# A writer process: waits for the start file, then records N decisions (accept and reject in turn
# on the links of the demo report, plus a comment each time) one transaction at a time.
WRITER = """
import sys, time
from pathlib import Path
from alignment.store import Store

path, reviewer, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
store = Store.open(path)
links = [(r.directive.id, m.unit.id) for r in store.load_report(reviewed=False).directives for m in r.matches]
Path(f"{go}.{reviewer}").touch()  # ready: the store is open
while not go.exists():
    time.sleep(0.005)
for i in range(n):
    did, uid = links[i % len(links)]
    store.record_decision(did, ("accept", "reject")[i % 2], reviewer=reviewer, unit_id=uid, comment=f"{reviewer} #{i}")
    time.sleep(0.004)  # a reviewer's pace, compressed: keeps the two writers overlapping
print("done")
"""

# A process recording whole runs of the demo report while the writers write.
RUNNER = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from alignment.store import Store
from report.fixtures import demo_report

store, go = Store.open(sys.argv[1]), Path(sys.argv[2])
Path(f"{go}.runner").touch()  # ready: the store is open
while not go.exists():
    time.sleep(0.005)
for _ in range(3):
    store.record_report(demo_report())
print("done")
"""

TESTS = str(Path(__file__).resolve().parents[1])


def _start(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_decisions_at_once_lose_nothing(tmp_path):
    path = tmp_path / "store.db"
    with Store.open(path) as store:
        store.record_report(demo_report())
    go = tmp_path / "go"
    n = 60
    procs = [_start(WRITER, path, name, n, go) for name in ("张三", "李四")]
    procs.append(_start(RUNNER, path, go, TESTS))
    ready = [tmp_path / f"go.{name}" for name in ("张三", "李四", "runner")]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready):  # every process has the store open and waits at the start line
        for p in procs:
            assert p.poll() is None, p.communicate()[1]
        assert time.monotonic() < deadline, "the writers never got ready"
        time.sleep(0.01)
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "done"
    with Store.open(path) as store:
        decisions = store.decisions()
        assert Counter(d.reviewer for d in decisions) == {"张三": n, "李四": n}
        assert sorted(d.comment for d in decisions if d.reviewer == "张三") == sorted(f"张三 #{i}" for i in range(n))
        assert len({d.id for d in decisions}) == 2 * n
        order = "".join("Z" if d.reviewer == "张三" else "L" for d in decisions)
        assert order.count("ZL") + order.count("LZ") >= 2, "the writers did not overlap: " + order
        assert [r.state for r in store.runs()] == ["complete"] * 4
        assert store.integrity_check() == "ok"
        # The latest decisions apply to the newest run.
        assert store.load_report().directives[0].reviewed
