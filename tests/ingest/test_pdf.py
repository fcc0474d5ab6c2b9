"""PDF: page furniture removed, wrapped lines rejoined, offsets mapped to pages, ruled tables."""

from __future__ import annotations

import re
import subprocess
import sys

import pypdfium2 as pdfium
import pytest

from alignment.ingest import extract
from alignment.ingest.normalize import clean_line

from .conftest import CORPUS, DATA, ROOT

WRAPPED = DATA / "wrapped-header-footer.pdf"  # scripts/make_fixtures.py: reportlab + fonts-wqy-zenhei
CONSTITUTION = CORPUS / "pdf" / "constitution-2018.pdf"
PLAN_V9 = CORPUS / "pdf" / "covid-prevention-control-plan-v9-2022.pdf"


def raw_pages(path) -> list[str]:
    """PDFium's own text of each page, whitespace removed: the reference for page numbers."""
    pdf = pdfium.PdfDocument(str(path))
    return ["".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]


def dezhou_lines() -> list[str]:
    """The corpus lines the generated PDF prints: the 德州市养老服务条例 up to 第三章."""
    text = (CORPUS / "municipal/dezhou-elderly-care-services-regulations-2019.txt").read_text(
        encoding="utf-8"
    )
    lines = [clean_line(line) for line in text.split("\n") if clean_line(line)]
    return lines[: next(i for i, line in enumerate(lines) if line.startswith("第三章"))]


@pytest.fixture(scope="module")
def wrapped():
    return extract(WRAPPED)


def test_generated_pdf_gives_back_the_source_lines(wrapped):
    """Header and footer gone, every wrapped paragraph rejoined: the text is the corpus text.

    One exception, by design: in 第十一条 a sentence ends with 。 exactly at the end of a printed
    line, and a break after 。 is kept, so that paragraph comes back as two lines.
    """
    expected = dezhou_lines()
    k = next(i for i, line in enumerate(expected) if line.startswith("第十一条"))
    first, rest = expected[k].split("。", 1)
    expected[k:k + 1] = [first + "。", rest]
    assert wrapped.text.split("\n") == expected


def test_running_header_and_page_numbers_are_gone(wrapped):
    assert "德州市人民代表大会常务委员会公报" not in wrapped.text
    assert not re.search(r"— \d+ —|—\d+—", wrapped.text)
    assert len(wrapped.pages) == 5


def test_wrapped_sentence_is_one_line(wrapped):
    sentence = (
        "第一条 为了积极应对人口老龄化，完善养老服务体系，规范养老服务工作，促进养老服务健康发展，"
        "根据《中华人民共和国"
        "老年人权益保障法》《山东省老年人权益保障条例》等法律法规，结合本市实际，制定本条例。"
    )
    assert sentence in wrapped.text.split("\n")  # printed over four lines


def test_page_spans_map_articles_to_their_pages(wrapped):
    pages = raw_pages(WRAPPED)
    for article in re.findall(r"^(第[一二三四五六七八九十]+条)", wrapped.text, flags=re.M):
        offset = wrapped.text.index(article + " ")
        printed_on = next(i + 1 for i, page in enumerate(pages) if article in page)
        assert wrapped.page_at(offset) == printed_on, article


def test_sentence_across_a_page_break_is_joined_and_split_by_the_span(wrapped):
    # Page 2 starts in the middle of a sentence: its span starts right after the page-1 part.
    second = wrapped.pages[1]
    line_start = wrapped.text.rfind("\n", 0, second.char_start) + 1
    assert line_start < second.char_start  # the page break falls inside a line
    head = "".join(wrapped.text[second.char_start:second.char_start + 12].split())
    page_1, page_2 = raw_pages(WRAPPED)[:2]
    assert head in page_2 and head not in page_1
    assert wrapped.text[line_start:second.char_start].replace(" ", "")[-6:] in page_1


def test_title_font_is_a_heading_hint(wrapped):
    assert [(wrapped.text[h.char_start:h.char_end], h.level) for h in wrapped.hints] == [
        ("德州市养老服务条例", 1)
    ]
    assert (wrapped.meta.title, wrapped.meta.issuer, wrapped.meta.date, wrapped.meta.level) == (
        "德州市养老服务条例",
        "德州市人民代表大会常务委员会",
        "2019-09-08",
        "municipal",
    )


@pytest.fixture(scope="module")
def constitution():
    return extract(CONSTITUTION)


@pytest.mark.parametrize(
    ("sentence", "page"),
    [
        ("第一条 中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。", 4),
        ("第六十二条 全国人民代表大会行使下列职权：", 12),
        ("第八十九条 国务院行使下列职权：", 16),
        ("第一百四十三条 中华人民共和国首都是北京。", 24),
    ],
)
def test_constitution_sentences_on_their_pages(constitution, sentence, page):
    offset = constitution.text.index(sentence)
    assert constitution.page_at(offset) == page
    assert constitution.page_at(offset + len(sentence) - 1) == page


@pytest.mark.parametrize("path", [CONSTITUTION, PLAN_V9], ids=["constitution", "plan-v9"])
def test_every_page_span_starts_with_text_of_that_page(path):
    document = extract(path)
    pages = raw_pages(path)
    for span in document.pages:
        text = "".join(document.text[span.char_start:span.char_end].split())
        if "\t" in document.text[span.char_start:span.char_end] or not text:
            continue  # tables are rendered from pdfplumber cells, in their own order
        assert "".join(clean_line(pages[span.number - 1]).split()).find(text[:6]) >= 0, span


@pytest.fixture(scope="module")
def plan_v9():
    return extract(PLAN_V9)


@pytest.mark.parametrize(
    ("sentence", "page"),
    [
        ("联防联控机制综发〔2022〕71号", 1),
        ("2022年6月27日", 1),
        ("一、总体要求", 2),
        ("（二）多渠道监测预警。", 6),
        ("\n附表1\n风险职业人员和重点机构场所人员核酸检测要求", 37),
    ],
)
def test_prevention_plan_sentences_on_their_pages(plan_v9, sentence, page):
    assert plan_v9.page_at(plan_v9.text.index(sentence) + 1) == page


def test_prevention_plan_ruled_tables(plan_v9):
    first = plan_v9.tables[0]
    assert (first.page, first.header) == (37, ("序号", "人群类别", "核酸检测要求"))
    assert first.rows[0] == ("1", "跨境交通工具司乘、保洁、维修等人员", "作业期间每天1次全员核酸检测")
    rendered = plan_v9.text[first.char_start:first.char_end]
    assert rendered.split("\n")[:2] == [
        "序号\t人群类别\t核酸检测要求",
        "1\t跨境交通工具司乘、保洁、维修等人员\t作业期间每天1次全员核酸检测",
    ]
    assert plan_v9.page_at(first.char_start) == 37
    assert len(plan_v9.tables) == 13
    assert all(plan_v9.text[t.char_start:t.char_end].count("\n") == len(t.rows) for t in plan_v9.tables)


def test_page_numbers_of_the_real_pdf_are_gone(plan_v9):
    assert not re.search(r"^\d{1,3}$", plan_v9.text, flags=re.M)


def test_text_pdf_without_tables_never_loads_pdfplumber():
    """The fast path: a text PDF without ruled tables is read by PDFium alone."""
    code = (
        "import sys; from alignment.ingest import extract; "
        f"extract({str(CONSTITUTION)!r}); print('pdfplumber' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_unusable_text_layers_are_recognised():
    from alignment.ingest.pdf import _classify, _page_ranges

    assert _classify("(cid:12)(cid:873)(cid:4411)(cid:90)", page=None) == "garbled"  # pdfminer-style codes
    assert _classify("\ufffd\ufffd\ufffd\ufffd 第一条", page=None) == "garbled"  # 4 of 7 visible characters
    assert _classify("\ue021\ue022\ue023\ue024\ue025\ue026 一、", page=None) == "garbled"  # private use
    assert _classify("第一条 为了积极应对人口老龄化\ufffd", page=None) == "ok"
    assert _page_ranges([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"


def test_long_pdf_read_by_two_processes_equals_reading_it_in_one(plan_v9, monkeypatch):
    """159 pages: over PARALLEL_MIN_PAGES, so the default splits it between processes."""
    from alignment.ingest import pdf

    assert len(plan_v9.pages) >= pdf.PARALLEL_MIN_PAGES
    monkeypatch.setenv("POLICY_ALIGN_PDF_WORKERS", "1")
    serial = extract(PLAN_V9)
    monkeypatch.setenv("POLICY_ALIGN_PDF_WORKERS", "2")
    in_this_process = []
    real = pdf._scan
    monkeypatch.setattr(pdf, "_scan", lambda *a: in_this_process.append(a[2:]) or real(*a))
    parallel = extract(PLAN_V9)
    assert (serial.text, serial.pages, serial.tables) == (parallel.text, parallel.pages, parallel.tables)
    # The worker processes read the pages (their calls are not seen here), unless this process
    # cannot fork, and then it read them all itself.
    assert in_this_process == ([] if pdf._can_fork() else [(0, 159)])
