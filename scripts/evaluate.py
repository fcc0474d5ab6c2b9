#!/usr/bin/env python3
"""Evaluate alignment on the labelled development set, hybrid against each single-signal baseline.

Every number is leave-one-pair-out: for each labelled pair, the pair scorer and the coverage rule
are fitted on the OTHER pairs and the held pair is scored, exactly as an unseen plan would be. The
table gives directive-level precision/recall/F1 ("implemented, with a correct passage among its
three best matches"), gap precision/recall/F1 (missing or out_of_scope against degree none), and
Recall@5 of the query path. The pairs in ../shared/corpus/HELD_OUT.md are never used.

    python scripts/evaluate.py [--methods hybrid,bm25,tfidf,dense] [--markdown docs/evaluation.md]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devset  # noqa: E402

from alignment.align import Scored, coverage_proba, decide  # noqa: E402
from alignment.align.features import pair_features  # noqa: E402
from alignment.align.lexical import LexicalIndex  # noqa: E402
from alignment.align.scorer import CoverageRule, PairScorer  # noqa: E402
from alignment.pipeline import DEFAULT_K, Engine, out_of_scope_flags  # noqa: E402

METHOD_C = 0.05  # inverse regularisation of the pair scorer (shared with train_scorer.py)
COVERAGE_C = 0.03  # inverse regularisation of the directive-level coverage model


def features(datas, method, k):
    tables = []
    for d in datas:
        t = pair_features(d.prep.d_side, d.prep.u_side, sub=d.prep.sub_side, method=method, k=k)
        y, lab = devset.pair_labels(d, t)
        tables.append((t, y, lab))
    return tables


def fit(datas, tables, idx):
    """Pair scorer and coverage rule fitted on the pairs ``idx``; the rule sees the fitted scorer's
    probabilities on those same pairs."""
    X = np.vstack([tables[n][0].X[tables[n][2]] for n in idx])
    y = np.concatenate([tables[n][1][tables[n][2]] for n in idx])
    scorer = PairScorer(C=METHOD_C).fit(X, y, tables[idx[0]][0].names)
    parts = [devset.coverage_targets(datas[n], tables[n][0], scorer.predict_proba(tables[n][0].X)) for n in idx]
    F = np.vstack([p[0] for p in parts])
    best, impl, hit, full = (np.concatenate([p[k] for p in parts]) for k in range(2, 6))
    rule = CoverageRule(C=COVERAGE_C).fit(F, parts[0][1], best, impl, hit, full)
    return scorer, rule


def evaluate(datas, method, k, segmenter):
    tables = features(datas, method, k)
    outcomes, r5 = [], [0, 0]
    per_case = []
    for hold in range(len(datas)):
        train = [n for n in range(len(datas)) if n != hold]
        scorer, rule = fit(datas, tables, train)
        d = datas[hold]
        table = tables[hold][0]
        proba = scorer.predict_proba(table.X)
        idf = LexicalIndex().fit(d.prep.u_side.terms).idf
        flags = out_of_scope_flags(d.prep, segmenter.is_policy_term)
        results, _ = decide(d.prep, Scored(table, proba), rule, idf=idf, out_of_scope=flags)
        out = devset.score_case(d.case, results, d.texts, d.ids)
        outcomes += out
        h, t = devset.recall_at(d, table, proba, 5)
        r5[0] += h
        r5[1] += t
        row = devset.f1_table(out)
        row["case"] = d.case.name
        row["threshold"] = rule.implemented_
        row.update(discrimination(d, table, proba, rule))
        per_case.append(row)
    total = devset.f1_table(outcomes)
    total["recall_at5"] = r5[0] / max(r5[1], 1)
    total["errors"] = error_breakdown(outcomes)
    total["outcomes"] = outcomes
    c = sum(r["oracle_counts"] for r in per_case)
    total["oracle_impl_f1"] = 2 * c[0] / max(c[1] + c[2], 1)
    total["oracle_gap_f1"] = 2 * c[3] / max(c[4] + c[5], 1)
    return total, per_case


def discrimination(d, table, proba, rule) -> dict[str, float]:
    """How well P(answered) separates the pair's answered directives from its gaps, apart from where
    the threshold sits: ROC AUC, and the mean of the two F1 under the best threshold for this pair
    chosen in hindsight (a ceiling for any threshold rule on this score)."""
    from sklearn.metrics import roc_auc_score

    p = coverage_proba(d.prep, Scored(table, proba), rule)[list(d.gold_of)]
    _, impl, hit, _ = (np.array(v) for v in devset.directive_targets(d, table, proba))
    impl = impl.astype(bool)
    hit = hit.astype(bool)
    auc = roc_auc_score(impl, p) if 0 < impl.sum() < len(impl) else float("nan")
    best, counts = -1.0, None
    for t in np.unique(p):
        answered = p >= t
        c = (np.sum(answered & impl & hit), answered.sum(), impl.sum(),
             np.sum(~answered & ~impl), (~answered).sum(), (~impl).sum())
        f = (2 * c[0] / max(c[1] + c[2], 1) + 2 * c[3] / max(c[4] + c[5], 1)) / 2
        if f > best:
            best, counts = f, np.array(c, dtype=float)
    return {"auc": float(auc), "oracle_mean_f1": float(best), "oracle_counts": counts}


def bootstrap(rows, n: int = 2000, seed: int = 0) -> dict[str, dict[str, tuple[float, float]]]:
    """95 % intervals from a paired bootstrap over judged directives (the same resampled directives
    for every method): hybrid's F1, and hybrid minus each baseline. Directives of one pair are not
    independent, so these intervals are if anything too narrow."""
    outcomes = {m: t["outcomes"] for m, t, _ in rows}
    if "hybrid" not in outcomes:
        return {}
    rng = np.random.default_rng(seed)
    size = len(outcomes["hybrid"])
    draws: dict[str, list[tuple[float, float]]] = {m: [] for m in outcomes}
    for _ in range(n):
        pick = rng.integers(0, size, size)
        for m, outs in outcomes.items():
            t = devset.f1_table([outs[i] for i in pick])
            draws[m].append((t["impl_f1"], t["gap_f1"]))
    h = np.array(draws["hybrid"])

    def interval(x: np.ndarray) -> tuple[float, float]:
        return float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))

    out = {"hybrid": {"impl_f1": interval(h[:, 0]), "gap_f1": interval(h[:, 1])}}
    for m in outcomes:
        if m != "hybrid":
            d = h - np.array(draws[m])
            out[m] = {"impl_f1": interval(d[:, 0]), "gap_f1": interval(d[:, 1])}
    return out


def error_breakdown(outcomes) -> dict[str, int]:
    """Where the directive-level errors come from: ranking (no gold passage among the three best
    matches) or the answered/not-answered decision (false gaps, false implemented)."""
    gold = [o for o in outcomes if o.degree != "none"]
    answered = [o for o in outcomes if o.found and o.predicted in ("covered", "partial")]
    return {
        "implemented": len(gold),
        "gold_rank1": sum(o.rank == 1 for o in gold),
        "gold_rank2_3": sum(2 <= o.rank <= 3 for o in gold),
        "gold_lower_or_absent": sum(o.rank == 0 or o.rank > 3 for o in gold),
        "false_gap": sum(o.degree != "none" and not (o.found and o.predicted in ("covered", "partial")) for o in outcomes),
        "false_implemented": sum(o.degree == "none" for o in answered),
        "wrong_passage": sum(o.degree != "none" and not o.hit for o in answered),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--methods", default="hybrid,bm25,tfidf,dense")
    ap.add_argument("--embedder", default="e5-small")
    ap.add_argument("-k", type=int, default=DEFAULT_K)
    ap.add_argument("--markdown", type=Path, help="write the table to this Markdown file")
    args = ap.parse_args(argv)
    cases = devset.load_cases()
    engine = Engine(embedder=args.embedder, method="hybrid")
    t0 = time.perf_counter()
    datas = [devset.build_case(c, engine) for c in cases]
    print(f"prepared {len(datas)} pairs in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    rows = []
    for m in args.methods.split(","):
        total, per_case = evaluate(datas, m, args.k, engine.segmenter)
        rows.append((m, total, per_case))
        print(f"{m:7s} impl P/R/F1 {total['impl_p']:.3f}/{total['impl_r']:.3f}/{total['impl_f1']:.3f}  "
              f"gap P/R/F1 {total['gap_p']:.3f}/{total['gap_r']:.3f}/{total['gap_f1']:.3f}  "
              f"R@5 {total['recall_at5']:.3f}  found {total['found']}/{total['directives']}")
    if args.markdown:
        args.markdown.write_text(render_markdown(rows, cases), encoding="utf-8")
    return 0


def render_markdown(rows, cases) -> str:
    lines = [
        "# Alignment quality on the development set",
        "",
        "Generated by `python scripts/evaluate.py --markdown docs/evaluation.md`. Leave-one-pair-out:",
        "each pair is scored by a scorer and coverage rule fitted on the other pairs only.",
        f"{len(cases)} labelled pairs, {sum(len(c.directives) for c in cases)} judged directives "
        "(`../shared/devset/` and `corpus/labels/`); held-out pairs never used.",
        "",
        "| method | impl P | impl R | impl F1 | gap P | gap R | gap F1 | query R@5 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m, t, _ in rows:
        lines.append(f"| {m} | {t['impl_p']:.3f} | {t['impl_r']:.3f} | **{t['impl_f1']:.3f}** | {t['gap_p']:.3f} | "
                     f"{t['gap_r']:.3f} | **{t['gap_f1']:.3f}** | {t['recall_at5']:.3f} |")
    best = {k: max(t[k] for m, t, _ in rows if m != "hybrid") for k in ("impl_f1", "gap_f1")}
    hyb = next((t for m, t, _ in rows if m == "hybrid"), None)
    if hyb is not None and len(rows) > 1:
        lines += [
            "",
            "How a status is decided: the pair scorer (logistic regression over the method's pair features)",
            "gives each candidate pair a probability; the coverage model (logistic regression over",
            "directive-level features: the three best pair probabilities, the strongest raw signal of each",
            "kind, the directive's length, modal strength, actions and legal boilerplate, and where its best",
            "probability sits among the run's directives) gives P(answered), thresholded to maximise the mean",
            "of the two F1 on the training pairs. Baselines go through the same two models with their own",
            "signal's features only.",
            "",
            f"The two regularisation strengths (pair scorer C = {METHOD_C}, coverage model C = {COVERAGE_C}) were",
            "picked from a small grid on the six pairs labelled first, before the pairs in",
            "`corpus/labels/dev_gold_5.json` and `dev_gold_6.json` were labelled (by reading alone, with no",
            "tool output shown). Across a grid of 0.02/0.05/0.2 x 0.01/0.03/0.1/0.3/1.0 on seven pairs,",
            "hybrid ranged 0.764-0.787 (impl F1) and 0.552-0.612 (gap F1), and the baselines moved as much.",
            "",
            "History: on the six pairs labelled first, this pipeline scored 0.825 / 0.638 (hybrid) against",
            "0.803 / 0.610 for the best baseline. Two pairs were then labelled by reading alone: the charity",
            "pair (42 gaps in 100 articles, far more than the others) and a second sentence-level report pair",
            "(十九大 part 五 → 2018 中央一号文件). Held out, they score about 0.74 / 0.64 and 0.59 / 0.52, and as",
            "training pairs they move every threshold, so all methods fell; the sentence-level report pairs,",
            "the kind of document most plans are, are the weakest.",
            "",
            f"Against the targets (impl F1 >= 0.90, gap F1 >= 0.90, both >= 0.10 above the best baseline): "
            f"hybrid {hyb['impl_f1']:.3f} / {hyb['gap_f1']:.3f}, margin {hyb['impl_f1'] - best['impl_f1']:+.3f} / "
            f"{hyb['gap_f1'] - best['gap_f1']:+.3f}. "
            + ("hybrid beats every baseline on both. " if all(
                hyb[k] > t[k] for m, t, _ in rows if m != "hybrid" for k in ("impl_f1", "gap_f1"))
               else "hybrid does NOT beat every baseline on both; see the intervals below. ")
            + ("Met." if hyb["impl_f1"] >= 0.9 and hyb["gap_f1"] >= 0.9 and hyb["impl_f1"] - best["impl_f1"] >= 0.1
               and hyb["gap_f1"] - best["gap_f1"] >= 0.1 else "**Not met.**"),
        ]
    ci = bootstrap(rows)
    if ci:
        lines += [
            "",
            "How sure these figures are (95 % intervals, paired bootstrap over the judged directives; the",
            "directives of one pair are not independent, so the true intervals are wider):",
            "",
            "| | impl F1 | gap F1 |",
            "|---|---|---|",
            "| hybrid | {:.3f} to {:.3f} | {:.3f} to {:.3f} |".format(*ci["hybrid"]["impl_f1"], *ci["hybrid"]["gap_f1"]),
        ]
        for m in ci:
            if m != "hybrid":
                lines.append("| hybrid minus {} | {:+.3f} to {:+.3f} | {:+.3f} to {:+.3f} |".format(
                    m, *ci[m]["impl_f1"], *ci[m]["gap_f1"]))
    if hyb is not None:
        e = hyb["errors"]
        lines += [
            "",
            "Where hybrid's errors are. Of the {implemented} directives the gold judges implemented, the report's".format(**e),
            "matches hold a gold passage first for {gold_rank1}, second or third for {gold_rank2_3}, lower or not at all for".format(**e),
            "{gold_lower_or_absent}. The larger share of the errors is in deciding whether the best passage".format(**e),
            "answers the directive at all: {false_gap} implemented directives reported as gaps, {false_implemented} gaps reported".format(**e),
            "as implemented, and {wrong_passage} reported implemented with no gold passage in the top three. Those calls".format(**e),
            "turn on whether a topical passage carries the same obligation for the same group (the dev set's",
            "definition of \"implements\"); no offline model available here (e5-small, MiniLM) judges that directly.",
        ]
    if hyb is not None:
        lines += [
            "",
            "How far a better threshold alone could go: with each pair given its own best threshold on",
            f"P(answered), chosen in hindsight, hybrid would reach {hyb['oracle_impl_f1']:.3f} / {hyb['oracle_gap_f1']:.3f} over all",
            "pairs. That is still short of 0.90 / 0.90, so the shortfall is in the score itself, not in",
            "its calibration: the targets need a signal that separates answered directives from gaps",
            "better than these lexical and e5-small features do.",
        ]
    lines += [
        "", "Per pair (hybrid). `AUC` is how well P(answered) ranks the pair's answered directives above its",
        "gaps; `hindsight` is the mean of the two F1 with the best threshold for that pair alone, picked",
        "after seeing its labels: no threshold rule on this score can do better on that pair.", "",
        "| pair | directives | impl F1 | gap F1 | hit@3 | threshold | AUC | hindsight mean F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m, _, per_case in rows:
        if m != "hybrid":
            continue
        for r in per_case:
            lines.append(f"| {r['case']} | {r['directives']} | {r['impl_f1']:.3f} | {r['gap_f1']:.3f} | "
                         f"{r['hit_at3']:.3f} | {r['threshold']:.3f} | {r['auc']:.3f} | {r['oracle_mean_f1']:.3f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
