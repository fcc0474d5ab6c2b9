"""Measure incremental runs with the review store: what a re-run costs after nothing, or one document, changed.

Copies the job's documents (default: the bundled demo, 老年人权益保障法 + 山东省老年人权益保障条例 →
德州市养老服务条例) into a temporary folder and runs the real pipeline four times in one process:

1. ``no store``: the job without a store (and with an empty embedding cache), for reference;
2. ``cold``: the first run into an empty store;
3. ``unchanged``: the same files again;
4. ``one changed``: after one sentence was added to one paragraph of the plan.

For each run it prints the wall time, the stage timings the engine records, how many documents
were extracted and parsed (the rest came from the store) and how many texts were embedded (new rows
in the store's embedding table). Figures go to stdout as a Markdown table.

    .venv/bin/python scripts/bench_incremental.py                    # lexical embedder
    .venv/bin/python scripts/bench_incremental.py --embedder e5-small
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment.manifest import bundled_corpus, expand_inputs  # noqa: E402
from alignment.pipeline import Engine, run_report  # noqa: E402
from alignment.store import Store  # noqa: E402


def copy_job(folder: Path) -> tuple[list[Path], list[Path]]:
    """The demo job's files copied into ``folder``: (directive files, plan files)."""
    entries = expand_inputs([bundled_corpus() / "manifest.toml"])
    directives, plans = [], []
    for e in entries:
        target = Path(shutil.copy(e.path, folder / e.path.name))
        (directives if e.role == "directive" else plans).append(target)
    return directives, plans


def edit_one_paragraph(path: Path) -> str:
    """Add a sentence to the longest paragraph of ``path``; returns the paragraph's start."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    i = max(range(len(lines)), key=lambda k: len(lines[k]))
    lines[i] = lines[i].rstrip("。") + "，并定期评估落实情况。"
    path.write_text("\n".join(lines), encoding="utf-8")
    return lines[i][:20]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--embedder", default="lexical", help="lexical (default), e5-small, st:<model>")
    ap.add_argument("--method", default="hybrid")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        folder = Path(tmp)
        os.environ["POLICY_ALIGN_CACHE"] = str(folder / "cache.db")  # the no-store run starts cold too
        directives, plans = copy_job(folder)
        rows = []

        def measure(label: str, store: Store | None) -> None:
            before = store.count("embeddings") if store else 0
            engine = Engine(embedder=args.embedder, method=args.method)
            t = time.perf_counter()
            report = run_report(directives, plans, engine=engine, store=store)
            wall = time.perf_counter() - t
            stages = engine.timings.stages
            if store is not None:
                run = store.latest_run()
                parsed = len(run.options.get("parsed", []))
                embedded = store.count("embeddings") - before
            else:
                parsed, embedded = len(directives) + len(plans), None
            rows.append((label, wall, stages.get("extract+parse", 0.0), stages.get("embed", 0.0),
                         stages.get("segment", 0.0), parsed, embedded, len(report.directives)))

        measure("no store", None)
        with Store.open(folder / ".policy-align" / "store.db") as store:
            measure("cold", store)
            measure("unchanged", store)
            where = edit_one_paragraph(plans[0])
            measure("one changed", store)

    print(f"Job: {', '.join(p.name for p in directives)} → {', '.join(p.name for p in plans)}; "
          f"embedder {args.embedder}, method {args.method}; changed paragraph starts 「{where}」.\n")
    print("| run | wall s | extract+parse s | embed s | segment s | the rest s | documents read | texts embedded |"
          " directives |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, wall, parse, embed, seg, parsed, embedded, n in rows:
        shown = "—" if embedded is None else str(embedded)
        rest = wall - parse - embed - seg  # scoring, analysis, recording the run
        print(f"| {label} | {wall:.2f} | {parse:.2f} | {embed:.2f} | {seg:.2f} | {rest:.2f} | {parsed} | {shown} | {n} |")


if __name__ == "__main__":
    main()
