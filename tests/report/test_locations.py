"""Where a passage is, in every format: 第N页 in a PDF (real pages), 第N行 in a TXT (no pages).

Regression for "TXT locations always say 第1页": the documents are real corpus files read by the
real extractors (宪法 as a 24-page PDF, 德州市养老服务条例 as plain text); the report around them is
hand-made, so nothing here depends on the aligner's scores.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from selectolax.lexbor import LexborHTMLParser

from alignment.pipeline import collect_units, parse_path
from alignment.report import RENDERERS, markdown, to_dict
from alignment.report._common import location_label
from alignment.schema import DirectiveResult, Evidence, Match, PlanUnitResult, Report

from .fixtures import CORPUS

CONSTITUTION = CORPUS / "pdf" / "constitution-2018.pdf"
DEZHOU = CORPUS / "municipal" / "dezhou-elderly-care-services-regulations-2019.txt"
# 宪法 第四十五条 (物质帮助) starts on page 10 of the PDF; 德州 第五十二条 (经济困难老年人补贴制度)
# is line 227 of the normalized text (the file's line 228: normalization folds a run of blank lines).
PDF_PLACE = "第二章 公民的基本权利和义务 第四十五条 · 第10页"
TXT_PLACE = "第五章 扶持政策和措施 第五十二条 · 第227行"


@pytest.fixture(scope="module")
def report() -> Report:
    pdf, txt = parse_path(CONSTITUTION, role="directive"), parse_path(DEZHOU, role="plan")
    directives, units = collect_units([pdf], [txt])
    directive = next(d for d in directives if "获得物质帮助的权利" in d.unit.text)
    unit = next(u for u in units if "经济困难老年人补贴制度" in u.text)
    match = Match(unit=unit, score=0.8, evidence=Evidence(shared_terms=("物质帮助",)))
    result = DirectiveResult(directive=directive, status="covered", confidence=0.9, matches=(match,))
    return Report(
        documents=(pdf.document, txt.document), directives=(result,),
        plan_units=(PlanUnitResult(unit=unit, directives=((directive.id, 0.8),)),),
        method="fixture", embedder="none", created="2025-01-01T09:00:00+08:00",
    )


def test_the_places_are_where_the_texts_are(report):
    pdf, txt = report.documents
    directive = report.directives[0].directive.unit
    unit = report.directives[0].matches[0].unit
    assert (pdf.paged, txt.paged) == (True, False)
    page = pdf.pages[9]
    assert page.number == 10 and page.char_start <= directive.char_start < page.char_end
    assert txt.text.split("\n")[226].startswith("第五十二条")
    assert txt.text.split("\n")[226].endswith(unit.text)
    docs = {d.id: d for d in report.documents}
    assert location_label(directive, docs) == PDF_PLACE
    assert location_label(unit, docs) == TXT_PLACE


def test_json_page_is_null_without_pages_and_line_is_always_there(report):
    data = to_dict(report)
    directive = data["directives"][0]
    unit = directive["matches"][0]["unit"]
    assert (directive["page"], directive["line"]) == (10, 143)  # a PDF has both
    assert (unit["page"], unit["line"]) == (None, 227)
    assert data["plan_units"][0]["unit"]["line"] == 227
    assert [(d["format"], d["pages"], d["lines"]) for d in data["documents"]] == [("pdf", 24, 399), ("txt", None, 285)]


def test_html_places(report):
    out = io.StringIO()
    RENDERERS["html"](report, out)
    tree = LexborHTMLParser(out.getvalue())
    card = tree.css_first("article.dir")
    assert PDF_PLACE in card.css_first(".dhead").text()
    assert card.css_first(".mhead a").text() == TXT_PLACE
    assert [row.css("td")[6].text() for row in tree.css("#files tbody tr")] == ["24页", "285行"]
    assert "第1页" not in out.getvalue()


def test_xlsx_places(report, tmp_path: Path):
    path = tmp_path / "r.xlsx"
    RENDERERS["xlsx"](report, path)
    wb = openpyxl.load_workbook(path)
    header, row = list(wb["对照表"].iter_rows(max_row=2, values_only=True))
    assert row[header.index("章节")] == "第二章 公民的基本权利和义务 第四十五条（第10页）"
    assert row[header.index("章节/位置")] == TXT_PLACE
    files = list(wb["文件清单"].iter_rows(values_only=True))
    assert [r[files[0].index("篇幅")] for r in files[1:]] == ["24页", "285行"]


def test_markdown_places(report):
    lines = markdown(report).splitlines()
    entry = next(line for line in lines if line.startswith("- 【已覆盖"))
    assert entry.startswith(f"- 【已覆盖 0.90】{PDF_PLACE}：中华人民共和国公民在年老")
    assert entry.endswith(f" → {TXT_PLACE}（0.80）")
    assert "| 上级文件 | 中央 | 中华人民共和国宪法 | — | 1982-12-04 | 24页 |" in lines
    assert "| 本规划 | 市级 | 德州市养老服务条例 | — | 2019-09-08 | 285行 |" in lines


def test_query_shows_the_line_of_a_txt_passage(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from alignment.cli import cli

    monkeypatch.setenv("POLICY_ALIGN_CACHE", str(tmp_path / "cache.db"))

    def ask(fmt: str) -> str:
        res = CliRunner().invoke(cli, ["query", "对经济困难的老年人给予养老服务补贴", "-p", str(DEZHOU),
                                       "--method", "bm25", "-k", "3", "--format", fmt])
        assert res.exit_code == 0, res.output
        return res.output

    data = json.loads(ask("json"))
    lines = [m["unit"]["line"] for m in data["matches"]]
    assert all(m["unit"]["page"] is None for m in data["matches"])
    heads = [line for line in ask("text").splitlines() if line[:1].isdigit()]
    assert [h.rsplit(" · ", 1)[1] for h in heads] == [f"第{n}行" for n in lines]


def test_a_text_file_cut_into_pages_by_form_feeds_keeps_its_pages(tmp_path):
    # pdftotext writes a form feed between pages: such a TXT has real pages, and places say so.
    text = DEZHOU.read_text(encoding="utf-8-sig")
    cut = text.index("第五十二条")
    path = tmp_path / "dezhou-pdftotext.txt"
    path.write_text(text[:cut] + "\f" + text[cut:], encoding="utf-8")
    plan = parse_path(path, role="plan")
    _, units = collect_units([], [plan])
    unit = next(u for u in units if "经济困难老年人补贴制度" in u.text)
    assert plan.document.paged and len(plan.document.pages) == 2
    assert location_label(unit, {plan.document.id: plan.document}) == "第五章 扶持政策和措施 第五十二条 · 第2页"
