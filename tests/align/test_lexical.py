import numpy as np

from alignment.align.lexical import LexicalIndex

DOCS = [
    ["社会救助", "最低生活保障", "家庭"],
    ["养老服务", "居家", "社区", "养老服务"],
    ["残疾人", "就业", "补贴"],
]


def test_bm25_ranks_the_document_sharing_the_rare_terms_first():
    index = LexicalIndex().fit(DOCS)
    s = index.scores([["养老服务", "社区"], ["残疾人"]])
    assert s.shape == (2, 3)
    assert s[0].argmax() == 1 and s[1].argmax() == 2
    assert (s >= 0).all()
    assert s[0, 0] == 0.0  # nothing shared


def test_idf_is_higher_for_rarer_terms_and_unseen_terms_get_the_maximum():
    index = LexicalIndex().fit(DOCS + [["养老服务"]])
    assert index.idf("残疾人") > index.idf("养老服务")
    assert index.idf("从未出现") >= index.idf("残疾人")


def test_unknown_query_tokens_are_ignored():
    index = LexicalIndex().fit(DOCS)
    np.testing.assert_array_equal(index.scores([["火星"]]), np.zeros((1, 3)))
