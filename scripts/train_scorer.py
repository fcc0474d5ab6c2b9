#!/usr/bin/env python3
"""Fit the pair scorer and coverage rule of every method on the whole development set and write
models/scorer.json (plain JSON, no pickle).

The coverage rule (a directive-level logistic model and its thresholds) is fitted on the final pair
scorer's probabilities over the training pairs, as scripts/evaluate.py does in each fold; its
leave-one-pair-out figures are the ones docs/evaluation.md reports. Run after changing features or labels:

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
from evaluate import features, fit  # noqa: E402

from alignment.align.features import METHODS  # noqa: E402
from alignment.align.scorer import SCORER_VERSION, save_models  # noqa: E402
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
        # The coverage rule sees the scorer's probabilities on the training pairs, exactly as
        # evaluate.py fits it in each fold.
        scorer, rule = fit(datas, tables, list(range(len(datas))))
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
