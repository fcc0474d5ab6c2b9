import json

import numpy as np
import pytest

from alignment.align.scorer import CoverageRule, PairScorer, load_models, save_models
from alignment.errors import ConfigError


def _data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.3, size=400) > 0.8).astype(int)
    return X, y


def test_pair_scorer_learns_and_round_trips_through_json(tmp_path):
    X, y = _data()
    scorer = PairScorer(C=1.0).fit(X, y, ("a", "b", "c"))
    p = scorer.predict_proba(X)
    assert p.shape == (400,) and ((p >= 0) & (p <= 1)).all()
    assert p[y == 1].mean() > p[y == 0].mean() + 0.3
    best = np.array([0.9, 0.8, 0.2, 0.1])
    rule = CoverageRule().fit(best[:, None], ("p1",), best, np.array([True, True, False, False]),
                              np.array([True, True, False, False]), np.array([True, False, False, False]))
    path = tmp_path / "scorer.json"
    save_models(path, {"version": 2, "embedder": "e5-small", "methods": {"hybrid": {"pair": scorer.to_dict(), "rule": rule.to_dict()}}})
    json.loads(path.read_text(encoding="utf-8"))  # plain JSON
    again, rule2, meta = load_models(path, "hybrid")
    np.testing.assert_allclose(again.predict_proba(X), p)
    assert rule2.implemented_ == rule.implemented_ and meta["embedder"] == "e5-small"
    np.testing.assert_allclose(rule2.predict_proba(best[:, None]), rule.predict_proba(best[:, None]))


def test_coverage_rule_separates_answered_from_gaps():
    best = np.array([0.95, 0.9, 0.7, 0.3, 0.2, 0.1])
    implemented = np.array([True, True, True, False, False, False])
    full = np.array([True, True, False, False, False, False])
    rule = CoverageRule(C=10.0).fit(best[:, None], ("p1",), best, implemented, implemented.copy(), full)
    proba = rule.predict_proba(best[:, None])
    # The model orders directives as the feature does, and the threshold falls between the groups.
    assert (np.diff(proba) <= 0).all()
    assert proba[2] >= rule.implemented_ > proba[3]
    assert 0.3 < rule.pair_bar_ < 0.7
    assert [rule.status(p) for p in (proba[0], proba[3])] == ["covered", "missing"]


def test_missing_or_foreign_weights_say_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match="^找不到评分权重文件 .*none.json：请运行 scripts/train_scorer.py 生成。$"):
        load_models(tmp_path / "none.json", "hybrid")
    (tmp_path / "bad.json").write_text("not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="^无法读取评分权重文件 .*bad.json（.*）：请给出 scripts/train_scorer.py"):
        load_models(tmp_path / "bad.json", "hybrid")
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"version": 2, "methods": {"bm25": {}}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="中没有评分方法 'dense' 的权重：文件中有 bm25，"):
        load_models(path, "dense")
    path.write_text(json.dumps({"version": 1, "methods": {"bm25": {}}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="的版本是 1，需要 2：请用 scripts/train_scorer.py 重新训练。$"):
        load_models(path, "bm25")
