"""The memo of tokens and pair features: a re-run computes nothing twice and reports the same."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from alignment.memo import Memo, code_digest, digest, memo_terms, pack_arrays, unpack_arrays

ROOT = Path(__file__).resolve().parents[1]


def test_memo_terms_computes_only_unseen_texts_and_keeps_them_apart_by_fingerprint(tmp_path):
    memo = Memo(tmp_path / "memo.db")
    seen: list[str] = []

    def compute(text):
        seen.append(text)
        return list(text)

    first = memo_terms(memo, "dict-a", ["养老", "救助", "养老"], compute)
    assert first == {"养老": ["养", "老"], "救助": ["救", "助"]} and seen == ["养老", "救助"]
    again = memo_terms(memo, "dict-a", ["救助", "慈善"], compute)
    assert again == {"救助": ["救", "助"], "慈善": ["慈", "善"]} and seen == ["养老", "救助", "慈善"]
    # Another dictionary's tokens are another namespace: computed afresh.
    memo_terms(memo, "dict-b", ["养老"], compute)
    assert seen[-1] == "养老"
    memo.close()
    # It persists: a new handle on the same file finds them.
    assert memo_terms(Memo(tmp_path / "memo.db"), "dict-a", ["慈善"], lambda t: 1 / 0) == {"慈善": ["慈", "善"]}


def test_digests_are_length_prefixed_and_follow_the_code():
    assert digest("ab", "c") != digest("a", "bc")
    import alignment.memo as m
    import alignment.schema as s

    assert code_digest(m) != code_digest(s) and code_digest(m) == code_digest(m)


def test_arrays_round_trip_without_pickle():
    a = {"X": np.arange(6, dtype=np.float64).reshape(2, 3), "names": np.array(["cos", "bm25_z"])}
    b = unpack_arrays(pack_arrays(**a))
    np.testing.assert_array_equal(a["X"], b["X"])
    assert b["names"].tolist() == ["cos", "bm25_z"]


_CHILD = r"""
import json, sys
from alignment.pipeline import Engine, run_report
from alignment.report import to_dict
report = run_report(engine=Engine(embedder="lexical"))
data = to_dict(report)
print(json.dumps({"jieba": "jieba" in sys.modules, "directives": data["directives"], "plan_units": data["plan_units"]},
                 ensure_ascii=False))
"""


def _run(cache: Path) -> dict:
    env = dict(os.environ, POLICY_ALIGN_CACHE=str(cache))
    out = subprocess.run([sys.executable, "-c", _CHILD], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_warm_rerun_never_loads_jieba_and_reports_exactly_the_same(tmp_path):
    cold = _run(tmp_path / "embeddings.db")
    warm = _run(tmp_path / "embeddings.db")
    assert cold["jieba"] and not warm["jieba"]
    assert warm["directives"] == cold["directives"] and warm["plan_units"] == cold["plan_units"]
    # And without the memo (a fresh cache folder) the report is the same again.
    fresh = _run(tmp_path / "other" / "embeddings.db")
    assert fresh["directives"] == cold["directives"]
