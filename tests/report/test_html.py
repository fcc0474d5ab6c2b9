"""The HTML report: one self-contained Chinese page, gaps first, filterable, links both ways, and safe."""

from __future__ import annotations

import io
import re

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from alignment.report import RENDERERS, render
from alignment.report._highlight import highlight

from .fixtures import ATTRIBUTE, SCRIPT, demo_report, large_report, xss_report


def html_of(report) -> str:
    out = io.StringIO()
    RENDERERS["html"](report, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def page() -> str:
    return html_of(demo_report())


@pytest.fixture(scope="module")
def tree(page) -> HTMLParser:
    return HTMLParser(page)


def test_chinese_ui_and_documents_in_header(page, tree):
    assert tree.css_first("title").text() == "对标对表分析报告"
    assert tree.css_first("html").attributes["lang"] == "zh-CN"
    for label in ("覆盖情况", "按上级文件", "按层级", "按章节", "本规划对应条款", "置信度", "处理失败的文件"):
        assert label in page
    files = tree.css_first("#files").text()
    for title in (
        "中华人民共和国老年人权益保障法（2018年修正）",
        "山东省老年人权益保障条例",
        "德州市养老服务条例",
    ):
        assert title in files
    assert "方法：fixture: hand-labelled pairs" in tree.css_first("header").text()


def test_gap_list_comes_before_the_full_list(page, tree):
    assert page.index('id="gaps"') < page.index('id="directives"')
    gaps = tree.css("#gaps ol.gaps li")
    assert tree.css_first("#gaps h2").text() == "未覆盖要求（3）"
    assert len(gaps) == 3
    assert "听取老年人和老年人组织的意见" in gaps[0].text()
    # Each gap links to its card in the full list.
    assert gaps[0].css_first("a").attributes["href"] == "#d3"
    assert tree.css_first("#d3").attributes["data-status"] == "missing"


def test_status_filter_buttons_and_cards(tree):
    buttons = [(b.attributes["data-filter"], b.text()) for b in tree.css(".filter button")]
    assert buttons == [
        ("all", "全部（12）"),
        ("covered", "已覆盖（6）"),
        ("partial", "部分覆盖（2）"),
        ("missing", "未覆盖（3）"),
        ("out_of_scope", "不适用（1）"),
    ]
    cards = tree.css("article.dir")
    assert len(cards) == 12
    assert [c.css_first(".badge").text() for c in cards[:4]] == ["已覆盖", "部分覆盖", "已覆盖", "未覆盖"]
    first = cards[0]
    assert "第一章 第六条 · 第30行" in first.css_first(".dhead").text()  # a TXT: the line, not 第1页
    assert "置信度 0.93" in first.text()
    assert [m.css_first(".score").text() for m in first.css(".match")] == ["得分 0.91", "得分 0.86"]


def test_shared_terms_are_marked_in_both_texts(tree):
    first = tree.css_first("#d0")
    directive_side, plan_side = first.css(".side")
    assert "国民经济和社会发展规划" in [m.text() for m in directive_side.css("mark")]
    assert [m.text() for m in plan_side.css(".match")[0].css("mark")] == ["国民经济和社会发展规划"]


def test_links_go_both_ways_and_resolve(tree):
    ids = {n.attributes["id"] for n in tree.css("[id]")}
    hrefs = [a.attributes["href"] for a in tree.css("a[href]")]
    assert all(h.startswith("#") for h in hrefs)
    assert all(h[1:] in ids for h in hrefs)
    # directive -> plan unit
    unit_link = tree.css_first("#d0 .match a").attributes["href"]
    unit = tree.css_first(unit_link)
    assert "将养老服务工作纳入本地区国民经济和社会发展规划" in unit.text()
    # plan unit -> directive
    assert [a.attributes["href"] for a in unit.css(".links a")] == ["#d0"]
    # Plan units implementing nothing are listed apart.
    assert "未对应任何上级要求的条款（3 条）" in tree.css_first("#plan details summary").text()


def test_failures_are_listed(tree):
    rows = tree.css("#failures tbody tr")
    assert len(rows) == 1
    assert "no usable text layer" in rows[0].text()


def test_self_contained(page, tree):
    assert not tree.css("link") and not tree.css("script[src]") and not tree.css("img")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "url(" not in page and "@import" not in page
    assert len(tree.css("style")) == 1 and len(tree.css("script")) == 1


def test_untrusted_text_is_escaped():
    page = html_of(xss_report())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert ATTRIBUTE not in page
    assert "&#34; onmouseover=&#34;x" in page
    # Only the report's own script tag exists, and no element grew an event handler.
    tree = HTMLParser(page)
    assert len(tree.css("script")) == 1
    assert not [n for n in tree.css("*") if any(k.startswith("on") for k in n.attributes)]
    # Highlighting a term that is itself markup still escapes it.
    card = tree.css_first("#d0")
    assert "script" in [m.text() for m in card.css("mark")]
    assert SCRIPT in card.text()


def test_highlight_escapes_each_run_and_nests_spans():
    html = highlight('a<b>"c" 建立制度', terms=("<b>", "制度"), spans=((0, 3), (100, 200)))
    assert str(html) == (
        '<span class="ev">a</span><span class="ev"><mark>&lt;b</mark></span><mark>&gt;</mark>'
        "&#34;c&#34; 建立<mark>制度</mark>"
    )
    assert str(highlight("")) == ""


def test_renders_a_full_size_report(tmp_path):
    report = large_report()
    path = tmp_path / "report.htm"
    assert render(report, path) == "html"
    tree = HTMLParser(path.read_text(encoding="utf-8"))
    assert len(tree.css("article.dir")) == len(report.directives) > 250
    assert len(tree.css("#gaps li")) == sum(1 for r in report.directives if r.status == "missing")
    # At most three matches are shown per directive; the JSON keeps the rest.
    assert max(len(a.css(".match")) for a in tree.css("article.dir")) == 3
