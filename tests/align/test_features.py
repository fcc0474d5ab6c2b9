import numpy as np
import pytest

from alignment.align import clauses, prepare
from alignment.align.features import METHODS, pair_features
from alignment.schema import Directive, Unit

# Real text: 社会救助暂行办法 第十一条/第五条 against 浙江省社会救助条例 passages.
DIRECTIVES = [
    "县级以上人民政府应当将社会救助纳入国民经济和社会发展规划，建立健全政府领导、民政部门牵头、有关部门配合、社会力量参与的社会救助工作协调机制。",
    "国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。",
]
UNITS = [
    "县级以上人民政府应当将社会救助纳入国民经济和社会发展规划，建立健全社会救助工作协调机制。",
    "对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。",
    "鼓励单位和个人等社会力量通过捐赠、设立帮扶项目、创办服务机构、提供志愿服务等方式，参与社会救助。",
]


def _unit(i, text):
    return Unit(id=f"u{i}", document="plan", kind="paragraph", text=text, char_start=0, char_end=len(text), page=1, section_path=())


def _prep(embed=None):
    ds = [Directive(unit=_unit(i, t), strength=3) for i, t in enumerate(DIRECTIVES)]
    us = [_unit(i, t) for i, t in enumerate(UNITS)]
    bigrams = lambda t: [t[i:i + 2] for i in range(len(t) - 1)]
    terms = lambda t: [t[i:i + 4] for i in range(0, len(t) - 3, 2)]
    return prepare(ds, us, terms=terms, bigrams=bigrams, embed=embed)


@pytest.mark.parametrize("method", ["bm25", "tfidf", "hybrid", "dense"])
def test_every_method_puts_the_restatement_first(method, fake_embed):
    prep = _prep(fake_embed)
    table = pair_features(prep.d_side, prep.u_side, sub=prep.sub_side, method=method, k=3)
    assert table.names == METHODS[method]
    assert table.X.shape == (len(table.d_idx), len(METHODS[method]))
    assert np.isfinite(table.X).all()
    col = table.names.index({"bm25": "bm25_norm", "tfidf": "tfidf_cos", "dense": "cos", "hybrid": "lcs_ratio"}[method])
    for d in range(2):
        rows = table.d_idx == d
        best_unit = table.u_idx[rows][np.argmax(table.X[rows, col])]
        assert best_unit == d


def test_clauses_split_on_sentence_ends_and_keep_short_leads_with_the_next():
    assert clauses("全面实施全民参保计划。完善城镇职工基本养老保险制度。") == ["全面实施全民参保计划", "完善城镇职工基本养老保险制度"]
    assert clauses("要求：加强社会救助工作；健全临时救助制度") == ["要求：加强社会救助工作", "健全临时救助制度"]
    assert clauses("总则。加强社会救助工作") == ["总则，加强社会救助工作"]
    assert clauses("短") == ["短"]
