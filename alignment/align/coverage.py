"""Directive-level features: what the coverage decision sees of one directive and its candidates.

Whether a directive is answered is not a property of one pair. A partial implementation often scores
low on every pair yet stands out against the other directives of the same run, while a directive
about penalties or review procedure is rarely carried into a plan however much it shares in words.
So the decision looks at the directive's few best pair probabilities, the strongest raw signal of
each kind among its candidates, its own form (length, modal strength, actions, legal boilerplate),
and where its best probability sits among all directives of the run.

Every feature is a plain float; :class:`alignment.align.scorer.CoverageRule` weighs them with a
logistic model fitted on the labelled development set.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

#: Legal-liability and procedural boilerplate, which plans rarely restate (法律责任, 附则, penalties).
_LEGAL = re.compile(r"法律责任|附则|罚款|处分|追究|依法给予|违反本")

#: Strongest raw pair signals, taken as the maximum over a directive's candidates when present.
_MAX_OF = ("cos", "cos_z", "bm25_z", "idf_recall", "lcs_ratio", "sub_idf_recall", "tfidf_cos")

_BASE = ("p1", "p2", "p3", "p_mean3", "n_above_03", "n_above_05")
_FORM = ("log_len", "strength", "n_actions", "legal")
_RUN = ("p1_run_z", "p1_run_pct")


def feature_names(pair_names: Sequence[str]) -> tuple[str, ...]:
    """Directive feature names for pair features ``pair_names`` (a method's own signals only)."""
    return _BASE + tuple(f"max_{n}" for n in _MAX_OF if n in pair_names) + _FORM + _RUN


def directive_features(
    directives: Sequence, d_idx: np.ndarray, X: np.ndarray, pair_names: Sequence[str],
    ranked: Sequence[Sequence[tuple[int, float]]], run_reference: np.ndarray | None = None,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """(n_directives, f) float64 features and their names.

    ``d_idx``/``X``/``pair_names``: the candidate pairs' directive indices and features;
    ``ranked``: per directive, (unit index, pair probability) best first; ``run_reference``: the
    best pair probabilities of a run's other directives, for a few directives placed in that run.
    """
    names = feature_names(pair_names)
    cols = [list(pair_names).index(n) for n in _MAX_OF if n in pair_names]
    n = len(directives)
    best = np.full((n, len(cols)), 0.0)
    if len(d_idx) and cols:
        best[:] = -np.inf
        np.maximum.at(best, d_idx.astype(int), X[:, cols])
        best[~np.isfinite(best)] = 0.0
    p1 = np.array([r[0][1] if r else 0.0 for r in ranked])
    run = p1 if run_reference is None else np.concatenate([p1, run_reference])
    run_z = (p1 - np.median(run)) / (run.std() + 1e-6) if n else p1
    run_pct = np.array([(run < v).mean() for v in p1]) if n else p1
    if len(run) == 1:  # a lone text with no run to sit in: the middle, not the bottom, of one
        run_pct = np.array([0.5])
    rows = []
    for i, d in enumerate(directives):
        ps = [p for _, p in ranked[i][:3]] + [0.0] * 3
        text = d.unit.text
        rows.append(
            [ps[0], ps[1], ps[2], float(np.mean(ps[:3])),
             float(sum(p > 0.3 for _, p in ranked[i])), float(sum(p > 0.5 for _, p in ranked[i]))]
            + best[i].tolist()
            + [float(np.log(max(len(text), 1))), float(d.strength), float(len(d.actions)),
               float(bool(_LEGAL.search(text + " ".join(d.unit.section_path))))]
            + [float(run_z[i]), float(run_pct[i])]
        )
    return np.array(rows, dtype=np.float64).reshape(n, len(names)), names
