"""Random heading soup: whatever the numbering does, the tree keeps its invariants."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignment.schema import HeadingHint, PageSpan, Table
from alignment.structure import article_paragraphs, parse, to_dict, tree_text
from alignment.structure.numerals import int_to_circled, int_to_cn

from .helpers import check_tree, make_doc

CJK = st.text(alphabet="养老服务体系建设社会救助机构人民政府应当加强完善健全推进发展规划老年人残疾儿童", min_size=0, max_size=30)
PUNCT = st.sampled_from(["", "。", "；", "：", "，", "！", "？", "”", "）", "。”"])
BLANK = st.sampled_from(["", "", "　　", " ", "\u3000", "\u00a0", "\t", "\u200b"])
NUM = st.integers(min_value=1, max_value=30)


@st.composite
def label(draw) -> str:
    n = draw(NUM)
    cn = int_to_cn(n)
    form = draw(st.sampled_from([
        "第{cn}篇", "第{cn}章", "第{cn}节", "第{cn}条", "第{n}条", "{cn}、", "（{cn}）", "({cn})",
        "{n}.", "{n}．", "{n}、", "（{n}）", "{circ}", "专栏{n}", "专栏{n}：", "附件", "附件{n}",
        "附件{n}：", "附件{n}-{n}", "目录", "目　　录", "主要指标", "{n}.{n}", "第{cn}", "（{n}年）",
        "第{cn}章 总则……{n}", "公开方式：", "2021年{n}月{n}日", "2022年9月{n}日印发", "抄送：",
        "序言", "【立法目的】",
    ]))
    return form.format(cn=cn, n=n, circ=int_to_circled(min(n, 50)))


@st.composite
def line(draw) -> str:
    kind = draw(st.sampled_from(["heading", "heading", "text", "blank", "row"]))
    if kind == "blank":
        return draw(BLANK)
    if kind == "row":
        cells = draw(st.lists(CJK, min_size=1, max_size=4))
        return "\t".join(cells)
    head = draw(label()) if kind == "heading" else ""
    return draw(BLANK) + head + draw(BLANK) + draw(CJK) + draw(PUNCT) + draw(CJK) + draw(PUNCT)


@st.composite
def document(draw):
    text = "\n".join(draw(st.lists(line(), min_size=0, max_size=40)))
    n = len(text)
    cuts = sorted(set(draw(st.lists(st.integers(min_value=0, max_value=max(n, 0)), max_size=4))) | {0})
    pages = tuple(PageSpan(k + 1, a, b) for k, (a, b) in enumerate(zip(cuts, cuts[1:] + [n])))
    tables = ()
    if n and draw(st.booleans()):
        a = draw(st.integers(min_value=0, max_value=n - 1))
        b = draw(st.integers(min_value=a, max_value=n))
        tables = (Table(page=1, header=("指标", "2025年"), rows=(("床位", "55%"),), char_start=a, char_end=b),)
    hints = ()
    if n and draw(st.booleans()):
        hints = tuple(HeadingHint(k, min(n, k + 3), draw(st.integers(1, 3)))
                      for k in draw(st.lists(st.integers(0, n - 1), max_size=5)))
    fmt = draw(st.sampled_from(["txt", "pdf", "docx"]))
    return make_doc(text, fmt=fmt, pages=pages, tables=tables, hints=hints)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_heading_soup_keeps_the_tree_invariants(doc):
    parsed = parse(doc)
    check_tree(parsed)
    # Rendering never fails and the JSON is plain data.
    json.dumps(to_dict(parsed), ensure_ascii=False)
    tree_text(parsed)
    for section in parsed.root.walk():
        if section.kind == "article":
            for span in article_paragraphs(section, doc.text):
                assert section.own_start <= span.char_start < span.char_end <= section.char_end


@settings(max_examples=100, deadline=None)
@given(document())
def test_parsing_is_deterministic(doc):
    assert parse(doc) == parse(doc)
