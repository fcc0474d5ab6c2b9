"""The calibrated pair scorer and the directive-level decision.

:class:`PairScorer` turns a pair's features into the probability that the plan unit implements the
directive (logistic regression on standardised features, fitted on the labelled development set).
:class:`CoverageRule` turns a directive's best pair probabilities into a status. Both follow the
scikit-learn estimator contract (``fit`` returns self, learned attributes end in ``_``) and are saved
as plain JSON in ``models/scorer.json``, never pickle.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from alignment.errors import ConfigError

SCORER_FILE = "scorer.json"
SCORER_VERSION = 2


class PairScorer:
    """P(unit implements directive | features), in [0, 1].

    ``C`` is the inverse L2 regularisation strength of the logistic regression.
    Learned: ``names_`` (feature order), ``mean_``/``scale_`` (standardisation), ``coef_``,
    ``intercept_``.
    """

    def __init__(self, C: float = 0.5, class_weight: str | None = None) -> None:
        self.C = C
        self.class_weight = class_weight

    def fit(self, X: np.ndarray, y: np.ndarray, names: tuple[str, ...]) -> "PairScorer":
        from sklearn.linear_model import LogisticRegression

        self.names_ = tuple(names)
        self.mean_ = X.mean(axis=0)
        self.scale_ = np.maximum(X.std(axis=0), 1e-9)
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000)
        model.fit((X - self.mean_) / self.scale_, y)
        self.coef_ = model.coef_.ravel()
        self.intercept_ = float(model.intercept_[0])
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(m,) probabilities for the rows of ``X`` (columns in ``names_`` order)."""
        if len(X) == 0:
            return np.zeros(0)
        z = ((X - self.mean_) / self.scale_) @ self.coef_ + self.intercept_
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict:
        return {
            "features": list(self.names_),
            "mean": self.mean_.tolist(),
            "scale": self.scale_.tolist(),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_,
            "C": self.C,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "PairScorer":
        self = cls(C=data.get("C", 0.5))
        self.names_ = tuple(data["features"])
        self.mean_ = np.asarray(data["mean"], dtype=np.float64)
        self.scale_ = np.asarray(data["scale"], dtype=np.float64)
        self.coef_ = np.asarray(data["coef"], dtype=np.float64)
        self.intercept_ = float(data["intercept"])
        return self


class CoverageRule:
    """Status of a directive from its directive-level features (:mod:`alignment.align.coverage`).

    A logistic model (``model_``, a :class:`PairScorer` over directive features) gives the
    probability that the directive is answered in the plan. ``implemented_`` is the threshold on it
    above which a directive counts as answered (covered or partial), chosen to maximise the mean of
    the implemented-F1 and the gap-F1 on the training directives; ``covered_`` is the higher
    threshold for ``covered``, chosen for the accuracy of full vs partial among answered ones.
    ``pair_bar_`` is the bar on a single pair's probability for listing a match beyond the three
    best and for the reverse (plan unit -> directive) links: the same F1 criterion applied to the
    best pair probability alone.
    """

    def __init__(self, C: float = 0.3) -> None:
        self.C = C

    def fit(self, F: np.ndarray, names: tuple[str, ...], best: np.ndarray, implemented: np.ndarray,
            hit: np.ndarray, full: np.ndarray) -> "CoverageRule":
        """``F``: directive features (rows of judged directives); ``best``: their best pair
        probability; ``implemented``: gold says answered; ``hit``: a gold passage among the three
        best matches; ``full``: gold degree full."""
        self.model_ = PairScorer(C=self.C).fit(F, implemented.astype(int), names)
        proba = self.model_.predict_proba(F)
        self.implemented_ = _best_threshold(proba, implemented, hit)
        self.pair_bar_ = _best_threshold(best, implemented, hit)
        answered = proba >= self.implemented_
        cand = np.unique(proba[answered]) if answered.any() else np.array([self.implemented_])
        sel = answered & implemented
        accs = [np.mean((proba[sel] >= t) == full[sel]) if sel.any() else 0 for t in cand]
        self.covered_ = float(max(cand[int(np.argmax(accs))], self.implemented_))
        return self

    def predict_proba(self, F: np.ndarray) -> np.ndarray:
        """(n,) probability that each directive is answered, in [0, 1]."""
        return self.model_.predict_proba(F)

    def status(self, proba: float) -> str:
        if proba >= self.covered_:
            return "covered"
        if proba >= self.implemented_:
            return "partial"
        return "missing"

    def to_dict(self) -> dict:
        return {"implemented": self.implemented_, "covered": self.covered_, "pair_bar": self.pair_bar_,
                "model": self.model_.to_dict(), "C": self.C}

    @classmethod
    def from_dict(cls, data: dict) -> "CoverageRule":
        self = cls(C=data.get("C", 0.3))
        self.implemented_ = float(data["implemented"])
        self.covered_ = float(data["covered"])
        self.pair_bar_ = float(data["pair_bar"])
        self.model_ = PairScorer.from_dict(data["model"])
        return self


def _best_threshold(score: np.ndarray, implemented: np.ndarray, hit: np.ndarray) -> float:
    """The threshold on ``score`` maximising the mean of implemented-F1 and gap-F1; on a plateau,
    its middle, placed halfway below that value."""
    grid = np.unique(score)
    means = np.array([sum(_decision_f1(score >= t, implemented, hit)) / 2 for t in grid])
    top = np.nonzero(means >= means.max() - 1e-12)[0]
    i = int(top[len(top) // 2])
    return float((grid[i] + grid[i - 1]) / 2) if i > 0 else float(grid[0])


def _decision_f1(pred: np.ndarray, implemented: np.ndarray, hit: np.ndarray) -> tuple[float, float]:
    """(implemented-F1, gap-F1) of a decision vector, scored as the development set is scored."""
    tp = np.sum(pred & implemented & hit)
    p = tp / max(pred.sum(), 1)
    r = tp / max(implemented.sum(), 1)
    f_impl = 2 * p * r / max(p + r, 1e-12)
    gaps = ~pred
    tpg = np.sum(gaps & ~implemented)
    pg = tpg / max(gaps.sum(), 1)
    rg = tpg / max((~implemented).sum(), 1)
    f_gap = 2 * pg * rg / max(pg + rg, 1e-12)
    return float(f_impl), float(f_gap)


def save_models(path: Path, payload: dict) -> None:
    """Write the scorer file (``payload``: {'version', 'embedder', 'methods': {name: {...}}, ...})."""
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_models(path: Path, method: str) -> tuple[PairScorer, CoverageRule, dict]:
    """The fitted scorer and rule for ``method`` from a scorer file, and the file's metadata."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"找不到评分权重文件 {path}：请运行 scripts/train_scorer.py 生成。") from None
    except (OSError, ValueError) as exc:  # a folder, no permission, not UTF-8 or not JSON
        raise ConfigError(f"无法读取评分权重文件 {path}（{exc}）：请给出 scripts/train_scorer.py "
                          "生成的 JSON 文件（--scorer）。") from None
    version = data.get("version") if isinstance(data, dict) else None
    if version != SCORER_VERSION:
        raise ConfigError(f"评分权重文件 {path} 的版本是 {version}，需要 {SCORER_VERSION}："
                          "请用 scripts/train_scorer.py 重新训练。")
    methods = data.get("methods", {})
    if method not in methods:
        raise ConfigError(f"评分权重文件 {path} 中没有评分方法 {method!r} 的权重：文件中有 "
                          f"{'、'.join(methods) or '（无）'}，请换用其中之一（--method）或重新训练。")
    entry = methods[method]
    return PairScorer.from_dict(entry["pair"]), CoverageRule.from_dict(entry["rule"]), data
