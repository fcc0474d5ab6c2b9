"""The PDFium table reader: ruled tables from PDFium's page objects, read the way pdfplumber reads them."""

from __future__ import annotations

import subprocess
import sys

import pypdfium2 as pdfium
import pytest

from alignment.ingest import _pdf_tables, extract, pdf

from .conftest import CORPUS, ROOT

PLAN_V8 = CORPUS / "pdf" / "covid-prevention-control-plan-v8-2021.pdf"
PLAN_V9 = CORPUS / "pdf" / "covid-prevention-control-plan-v9-2022.pdf"
PLAN_V10 = CORPUS / "pdf" / "covid-diagnosis-treatment-plan-v10-2023.pdf"
CONSTITUTION = CORPUS / "pdf" / "constitution-2018.pdf"
# Every page of the corpus on which pdfplumber finds a ruled table (scripts/compare_pdf_tables.py);
# on the v10 plan and v8 pages 37-72 they are framed paragraphs, which the document drops.
TABLE_PAGES = {
    PLAN_V8: [31, 37, 38, 39, 47, 54, 55, 56, 57, 61, 62, 63, 64, 72, 111, 112, 113],
    PLAN_V9: [37, 38, 48, 49, 60, 61, 62, 63, 76, 102, 129, 140, 141, 142],
    PLAN_V10: [1, 2, 3, 22, 23, 24, 25, 29, 30],
}


def native(path, number: int) -> list[_pdf_tables.Table]:
    document = pdfium.PdfDocument(str(path))
    page = document[number - 1]
    return _pdf_tables.find_tables(page, page.get_textpage())


def test_merged_cell_across_columns_leaves_none_after_its_text():
    """Plan v9 p.129, 表2 粪便标本处理液配方: the last row is one cell across both columns; a cell of
    two printed lines keeps its line break (the document joins it, see test_kept_rows...)."""
    [table] = native(PLAN_V9, 129)
    assert table.rows == [
        ["成分", "质量/体积"],
        ["Tris", "1.211g"],
        ["氯化钠", "8.5g"],
        ["无水氯化钙（或含结晶水\n的氯化钙）", "1.1g（1.47g）水\n800ml"],
        ["用浓盐酸调节 pH 为 7.5，以去离子水补充至 1000ml", None],
    ]
    assert table.bbox == pytest.approx((59.0, 543.51, 542.15, 720.01), abs=0.01)  # PDF user space


def test_cells_merged_down_a_column_are_none_below_the_first():
    """Plan v9 p.37, 附表1: one 核酸检测要求 cell covers the rows of several 人群类别."""
    [table] = native(PLAN_V9, 37)
    assert table.rows[:8] == [
        ["序\n号", "人群类别", "核酸检测要求"],
        ["1", "跨境交通工具司乘、保洁、维修等人员", "作业期间每天1次全员核酸检测"],
        ["2", "口岸进口物品搬运人员", None],
        ["3", "进口冷链食品储存加工企业一线人员", None],
        ["4", "集中隔离场所工作人员", None],
        ["5", "定点医疗机构的工作人员", None],
        ["6", "普通医疗机构发热门诊相关医务人员", "每天1检"],
        ["7", "海关、移民管理部门等其他直接接触入境人员和\n物品的一线人员", None],
    ]
    assert len(table.rows) == 21 and all(len(row) == 3 for row in table.rows)


def test_kept_rows_fill_merged_positions_with_empty_cells():
    [table] = native(PLAN_V9, 129)
    assert pdf._table_rows(table.rows) == (
        ("成分", "质量/体积"),
        ("Tris", "1.211g"),
        ("氯化钠", "8.5g"),
        ("无水氯化钙（或含结晶水的氯化钙）", "1.1g（1.47g）水800ml"),
        ("用浓盐酸调节pH为7.5，以去离子水补充至1000ml", ""),
    )


@pytest.mark.parametrize(("path", "number"), [(CONSTITUTION, 4), (PLAN_V9, 2), (PLAN_V9, 36)])
def test_page_without_a_ruled_table(path, number):
    assert native(path, number) == []


def test_framed_paragraph_is_a_one_column_table_the_document_drops():
    """Plan v10 p.1: the 国家卫生健康委办公厅 notice sits in a box, which pdfplumber also calls a table."""
    tables = native(PLAN_V10, 1)
    assert tables and all(pdf._table_rows(t.rows) is None for t in tables)


@pytest.mark.parametrize(
    ("path", "number"),
    [(path, number) for path, numbers in TABLE_PAGES.items() for number in numbers],
    ids=[f"{path.stem[:30]}-p{number}" for path, numbers in TABLE_PAGES.items() for number in numbers],
)
def test_same_rows_as_pdfplumber_on_every_corpus_table_page(path, number):
    import pdfplumber

    with pdfplumber.open(str(path)) as plumber:
        expected = [table.extract() for table in plumber.pages[number - 1].find_tables()]
    assert [table.rows for table in native(path, number)] == expected


GENERATED_ROWS = [
    ["Place", "Checks", "Note"],
    ["Port", "daily", "a"],
    ["Airport", "weekly", "b"],
    ["Station", "none", "c"],
]


def _table_pdf(path, *, rotated: bool) -> None:
    """A page with a heading, a 3x4 ruled table and a paragraph wider than the table (so the page
    looks like one with a table to ``pdf._may_have_table``); with ``rotated``, one cell's text is
    turned 90 degrees, as in the header of a wide table."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(500, 400), invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(50, 360, "Table 1. Places and checks")
    xs, ys = [50, 130, 210, 290], [330, 300, 270, 240, 210]
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for i, row in enumerate(GENERATED_ROWS):
        for j, text in enumerate(row):
            if rotated and (i, j) == (1, 2):
                c.saveState()
                c.translate(xs[j] + 40, ys[i + 1] + 5)
                c.rotate(90)
                c.drawString(0, 0, text)
                c.restoreState()
            else:
                c.drawString(xs[j] + 5, ys[i + 1] + 10, text)
    c.drawString(50, 180, "The checks above apply from the first of June until the end of the year, in every")
    c.drawString(50, 166, "place the table lists, and they are reported each week to the provincial office.")
    c.save()


def test_generated_table_reads_like_pdfplumber(tmp_path):
    import pdfplumber

    path = tmp_path / "table.pdf"
    _table_pdf(path, rotated=False)
    [table] = native(path, 1)
    assert table.rows == GENERATED_ROWS
    with pdfplumber.open(str(path)) as plumber:
        assert [t.extract() for t in plumber.pages[0].find_tables()] == [table.rows]


def test_text_that_is_not_upright_is_left_to_pdfplumber(tmp_path, monkeypatch):
    path = tmp_path / "rotated.pdf"
    _table_pdf(path, rotated=True)
    with pytest.raises(_pdf_tables.Unresolved, match="not upright"):
        native(path, 1)
    asked = []
    real = pdf._Tables.find
    monkeypatch.setattr(pdf._Tables, "find", lambda self, number: asked.append(number) or real(self, number))
    monkeypatch.setenv("POLICY_ALIGN_PDF_WORKERS", "1")
    document = extract(path)
    assert asked == [1]
    [table] = document.tables
    assert table.header == ("Place", "Checks", "Note")
    assert table.rows[-1] == ("Station", "none", "c")


def test_plans_with_tables_are_read_without_pdfplumber():
    """Every table page of the v8 and v9 plans is read by the PDFium reader: pdfplumber never loads."""
    code = (
        "import os, sys; os.environ['POLICY_ALIGN_PDF_WORKERS'] = '1'; "
        "from alignment.ingest import extract; "
        f"tables = [len(extract(p).tables) for p in ({str(PLAN_V8)!r}, {str(PLAN_V9)!r})]; "
        "print(tables, 'pdfplumber' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[10, 13] False"


def test_a_page_the_reader_trips_on_is_read_by_pdfplumber(tmp_path, monkeypatch, caplog):
    path = tmp_path / "table.pdf"
    _table_pdf(path, rotated=False)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(_pdf_tables, "find_tables", broken)
    monkeypatch.setenv("POLICY_ALIGN_PDF_WORKERS", "1")
    with caplog.at_level("WARNING", logger="alignment.ingest.pdf"):
        document = extract(path)
    assert [table.rows for table in document.tables] == [tuple(map(tuple, GENERATED_ROWS[1:]))]
    assert "page 1: PDFium table reader failed" in caplog.text
