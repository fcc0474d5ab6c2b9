"""Measure how indexing, the report and vector search scale on Dask (issue 6; results in docs/scaling.md).

Corpora are cut from the real laws and regulations in corpus/ by alignment.distributed.corpusgen
(one directive document in five, the rest plans; every text real, only the cut synthetic).

1. ``index``: ``index_corpus`` over corpora growing 10x (default 50, 500, 5000 documents, lexical
   embedder) in this process, on a LocalCluster of 1 worker and of 2 workers; then a smaller e5-small
   row. Each cluster is fresh; its start and the engine warm-up (model and dictionary loading, once
   per process, in-process too) are timed apart, not in the rate; each run has an empty store and
   cache. Documents/s and characters/s of the documents indexed;
   peak resident memory of each worker process (ru_maxrss) and the client's resident memory.
2. ``report``: the 500-document report in this process and on 2 workers (same report; wall time).
3. ``search``: recall@10 and queries/s of FAISS HNSW and IVF against exact search, on 2048-d
   lexical vectors of 100,000 distinct real texts (windows of 1-4 consecutive clauses of the
   corpus, 1,000 of them held out as queries) and on 100,000 random unit vectors in 384-d (the
   worst case: no neighbourhood structure at all).

Markdown tables go to stdout, progress to stderr; ``-o FILE`` also writes every figure as JSON.

    .venv/bin/python scripts/bench_scale.py                      # everything (~15 min on 2 cores)
    .venv/bin/python scripts/bench_scale.py --sizes 50,500 --no-search --no-report   # quick
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from alignment.distributed.cluster import connect  # noqa: E402
from alignment.distributed.corpusgen import make_corpus  # noqa: E402
from alignment.distributed.worker import EngineConfig, register, worker_engine  # noqa: E402


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def fresh_cache(root: Path, name: str) -> None:
    """Point the embedding cache and memo at an empty folder (nothing carries over between runs)."""
    os.environ["POLICY_ALIGN_CACHE"] = str(root / "cache" / name / "embeddings.db")


def index_row(corpus, workers: int, embedder: str, tmp: Path) -> dict:
    """One index run: in this process (workers=0) or on a fresh LocalCluster of ``workers``."""
    from alignment.distributed import index_corpus
    from alignment.store import Store

    name = f"{corpus.n_documents}-{workers}-{embedder}"
    fresh_cache(tmp, name)
    row: dict = {"documents": corpus.n_documents, "workers": workers, "embedder": embedder}
    with Store.open(tmp / f"{name}.db") as store:
        if workers == 0:
            t = time.perf_counter()
            worker_engine(EngineConfig(embedder))  # the in-process tasks' engine, loaded once as on a worker
            row["warm_up_s"] = round(time.perf_counter() - t, 2)
            s = index_corpus([corpus.manifest], store=store, embedder=embedder)
        else:
            t = time.perf_counter()
            with connect(f"local:{workers}") as client:
                row["cluster_start_s"] = round(time.perf_counter() - t, 2)
                t = time.perf_counter()
                register(client, EngineConfig(embedder))  # returns once every worker has built its engine
                row["warm_up_s"] = round(time.perf_counter() - t, 2)
                s = index_corpus([corpus.manifest], store=store, scheduler=client, embedder=embedder)
    row.update(indexed=s.indexed, failures=len(s.failures), texts=s.texts, chars=s.chars,
               seconds=round(s.seconds, 2), docs_per_s=round(s.docs_per_second, 1),
               chars_per_s=round(s.chars_per_second), client_rss_mib=round(rss() / 2**20),
               client_s=round(s.client_seconds, 2),
               client_chars_per_s=round(s.chars / max(s.client_seconds, 1e-9)),
               worker_peak_mib=[round(v / 2**20) for v in s.peak_memory.values()])
    log(f"  index {name}: {row['docs_per_s']} docs/s, {row['chars_per_s']} chars/s in {row['seconds']} s")
    return row


def bench_index(sizes: list[int], workers: list[int], e5_docs: int, tmp: Path) -> list[dict]:
    rows = []
    for n in sizes:
        corpus = make_corpus(tmp / f"corpus{n}", n_directives=n // 5, n_plans=n - n // 5, seed=n)
        for w in workers:
            rows.append(index_row(corpus, w, "lexical", tmp))
    if e5_docs:
        corpus = make_corpus(tmp / f"corpus-e5-{e5_docs}", n_directives=e5_docs // 5,
                             n_plans=e5_docs - e5_docs // 5, seed=1)
        for w in workers:
            rows.append(index_row(corpus, w, "e5-small", tmp))
    return rows


def bench_report(n: int, tmp: Path) -> list[dict]:
    from dataclasses import replace

    from alignment.distributed import distributed_report
    from alignment.pipeline import Engine, run_report

    corpus = make_corpus(tmp / f"report{n}", n_directives=n // 5, n_plans=n - n // 5, seed=5)
    rows = []
    fresh_cache(tmp, "report-local")
    t = time.perf_counter()
    engine = Engine(embedder="lexical")
    want = run_report([corpus.manifest], engine=engine)
    rows.append({"documents": n, "workers": 0, "seconds": round(time.perf_counter() - t, 2),
                 "directives": len(want.directives), "plan_units": len(want.plan_units),
                 "stages": {k: round(v, 1) for k, v in engine.timings.stages.items()}})
    log(f"  report {n} in-process: {rows[-1]['seconds']} s")
    fresh_cache(tmp, "report-dist")
    with connect("local:2") as client:
        register(client, EngineConfig("lexical"))
        t = time.perf_counter()
        engine = Engine(embedder="lexical")
        got = distributed_report([corpus.manifest], scheduler=client, engine=engine)
        rows.append({"documents": n, "workers": 2, "seconds": round(time.perf_counter() - t, 2),
                     "directives": len(got.directives), "plan_units": len(got.plan_units),
                     "stages": {k: round(v, 1) for k, v in engine.timings.stages.items()},
                     "same_report": replace(got, created="") == replace(want, created="")})
    log(f"  report {n} on 2 workers: {rows[-1]['seconds']} s, same report: {rows[-1]['same_report']}")
    return rows


def real_windows(n: int) -> list[str]:
    """``n`` distinct texts of the real corpus: windows of 1-4 consecutive clauses, at least 8 characters."""
    from alignment.manifest import bundled_corpus

    corpus = bundled_corpus()
    out: list[str] = []
    for level in ("central", "provincial", "municipal"):
        for path in sorted((corpus / level).glob("*.txt")):
            clauses = [c.strip() for c in re.split(r"[。；！？，、\n]", path.read_text(encoding="utf-8-sig"))
                       if len(c.strip()) >= 4]
            for w in (1, 2, 3, 4):
                out += ["，".join(clauses[i:i + w]) for i in range(len(clauses) - w + 1)]
    return list(dict.fromkeys(t for t in out if len(t) >= 8))[:n]


def search_rows(name: str, vectors: np.ndarray, queries: np.ndarray,
                settings: list[tuple[str, dict]]) -> list[dict]:
    from alignment.distributed.search import ApproximateIndex, ExactIndex, recall_at_k

    rows = []
    t = time.perf_counter()
    _, truth = ExactIndex(vectors).search(queries, 10)
    exact_s = time.perf_counter() - t
    rows.append({"data": name, "n": len(vectors), "dim": vectors.shape[1],
                 "index": "exact (numpy, this process)", "build_s": 0.0, "qps": round(len(queries) / exact_s), "recall_at_10": 1.0,
                 "speedup": 1.0})
    for label, kw in settings:
        t = time.perf_counter()
        index = ApproximateIndex(**kw).fit(vectors)
        build = time.perf_counter() - t
        t = time.perf_counter()
        _, found = index.search(queries, 10)
        took = time.perf_counter() - t
        rows.append({"data": name, "n": len(vectors), "dim": vectors.shape[1], "index": label,
                     "build_s": round(build, 1), "qps": round(len(queries) / took),
                     "recall_at_10": round(recall_at_k(found, truth), 3),
                     "speedup": round(exact_s / took, 1)})
        log(f"  search {name} {label}: recall@10 {rows[-1]['recall_at_10']}, {rows[-1]['speedup']}x")
    return rows


def bench_search(n: int, n_queries: int) -> list[dict]:
    from alignment.embed import get_embedder

    settings = [
        ("HNSW M=32 efC=80 efS=96 (default)", {"kind": "hnsw"}),
        ("HNSW M=16 efC=40 efS=48", {"kind": "hnsw", "m": 16, "ef_construction": 40, "ef_search": 48}),
        ("IVF-Flat 4*sqrt(n) lists, nprobe=24", {"kind": "ivf"}),
    ]
    texts = real_windows(n + n_queries)
    log(f"  embedding {len(texts)} real texts (lexical)")
    x = get_embedder("lexical").embed(texts, cache=False)
    rng = np.random.default_rng(0)
    held = rng.choice(len(x), n_queries, replace=False)
    keep = np.ones(len(x), bool)
    keep[held] = False
    rows = search_rows("real texts, lexical 2048-d", x[keep], x[held], settings)
    del x
    r = rng.standard_normal((n + n_queries, 384)).astype(np.float32)
    r /= np.linalg.norm(r, axis=1, keepdims=True)
    rows += search_rows("random unit vectors 384-d", r[:n], r[n:], settings[:1] + settings[2:])
    return rows


def table(rows: list[dict], cols: list[str]) -> str:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="50,500,5000", help="corpus sizes for the lexical index rows")
    ap.add_argument("--workers", default="0,1,2", help="0 = in this process; N = a LocalCluster of N workers")
    ap.add_argument("--e5-docs", type=int, default=30, help="corpus size of the e5-small rows (0: none)")
    ap.add_argument("--report-docs", type=int, default=500, help="corpus size of the report rows")
    ap.add_argument("--search-n", type=int, default=100_000, help="vectors in the search rows")
    ap.add_argument("--queries", type=int, default=1_000)
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("-o", "--output", type=Path, help="also write the figures here as JSON")
    args = ap.parse_args()
    results: dict = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        log("index")
        sizes = [int(s) for s in args.sizes.split(",")]
        workers = [int(w) for w in args.workers.split(",")]
        results["index"] = bench_index(sizes, workers, args.e5_docs, Path(tmp))
        if not args.no_report:
            log("report")
            results["report"] = bench_report(args.report_docs, Path(tmp))
    if not args.no_search:
        log("search")
        results["search"] = bench_search(args.search_n, args.queries)
    print(f"## Indexing ({os.cpu_count()} CPUs; workers 0 = in this process)\n")
    print(table(results["index"], ["embedder", "documents", "workers", "chars", "texts", "seconds",
                                   "docs_per_s", "chars_per_s", "client_chars_per_s", "worker_peak_mib",
                                   "client_rss_mib", "cluster_start_s", "warm_up_s"]))
    if "report" in results:
        print("\n## Report\n")
        print(table(results["report"], ["documents", "workers", "directives", "plan_units", "seconds",
                                        "same_report", "stages"]))
    if "search" in results:
        print(f"\n## Search ({args.queries} held-out queries, k = 10)\n")
        print(table(results["search"], ["data", "n", "dim", "index", "build_s", "qps", "recall_at_10",
                                        "speedup"]))
    if args.output:
        args.output.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
