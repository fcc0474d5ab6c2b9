#!/usr/bin/env python3
"""Fit the pair scorer and coverage rule of every method on the whole development set and write
models/scorer.json (plain JSON, no pickle).

The coverage thresholds are fitted on out-of-fold probabilities (leave-one-pair-out), so they are
set for text the scorer has not seen, as in real use. Run after changing features or labels:

    python scripts/train_scorer.py [--embedder e5-small] [--out models/scorer.json]
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devset  # noqa: E402
from evaluate import METHOD_C, features  # noqa: E402

from alignment.align.features import METHODS  # noqa: E402
from alignment.align.scorer import SCORER_VERSION, CoverageRule, PairScorer, save_models  # noqa: E402
from alignment.pipeline import DEFAULT_K, Engine  # noqa: E402
from alignment.segment import models_dir  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--embedder", default="e5-small")
    ap.add_argument("-k", type=int, default=DEFAULT_K)
    ap.add_argument("--out", type=Path, default=models_dir() / "scorer.json")
    args = ap.parse_args(argv)
    cases = devset.load_cases()
    engine = Engine(embedder=args.embedder, method="hybrid")
    t0 = time.perf_counter()
    datas = [devset.build_case(c, engine) for c in cases]
    print(f"prepared {len(datas)} pairs in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    payload = {
        "version": SCORER_VERSION,
        "embedder": args.embedder,
        "k": args.k,
        "trained": date.today().isoformat(),
        "training_pairs": [c.name for c in cases],
        "methods": {},
    }
    for method in METHODS:
        tables = features(datas, method, args.k)
        X = np.vstack([t.X[lab] for t, _, lab in tables])
        y = np.concatenate([yy[lab] for _, yy, lab in tables])
        scorer = PairScorer(C=METHOD_C).fit(X, y, tables[0][0].names)
        # Out-of-fold best probabilities for the coverage rule.
        cols = [[], [], [], []]
        for hold in range(len(datas)):
            idx = [n for n in range(len(datas)) if n != hold]
            Xh = np.vstack([tables[n][0].X[tables[n][2]] for n in idx])
            yh = np.concatenate([tables[n][1][tables[n][2]] for n in idx])
            fold = PairScorer(C=METHOD_C).fit(Xh, yh, tables[0][0].names)
            t = tables[hold][0]
            for c, v in zip(cols, devset.directive_targets(datas[hold], t, fold.predict_proba(t.X))):
                c.extend(v)
        rule = CoverageRule().fit(*(np.array(c) for c in cols))
        payload["methods"][method] = {
            "pair": scorer.to_dict(),
            "rule": rule.to_dict(),
            "pairs": int(len(y)),
            "positives": int(y.sum()),
        }
        print(f"{method}: {len(y)} pairs ({int(y.sum())} positive), thresholds implemented "
              f"{rule.implemented_:.3f} covered {rule.covered_:.3f}", file=sys.stderr)
    save_models(args.out, payload)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
