"""OCR of pages without a text layer (needs the ocr extra: rapidocr + onnxruntime)."""

from __future__ import annotations

import re

import pytest

from alignment.ingest import extract
from alignment.ingest.normalize import clean_line
from alignment.ingest.ocr import available, boxes_to_lines, full_width_punctuation

from .conftest import CORPUS, DATA

needs_ocr = pytest.mark.skipif(
    not available(), reason="the ocr extra is not installed: pip install 'policy-align[ocr]'"
)


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate over non-whitespace characters."""
    reference = "".join(reference.split())
    return edit_distance(reference, "".join(hypothesis.split())) / len(reference)


@pytest.mark.ocr
@needs_ocr
def test_image_only_page_of_real_text_is_read():
    """A page of the 2025 Guangzhou 低保 notice drawn with reportlab, rasterised at 200 dpi, saved as an
    image-only PDF with Pillow (scripts/make_fixtures.py); the printed lines are in image-only.source.txt."""
    source = (DATA / "image-only.source.txt").read_text(encoding="utf-8")
    document = extract(DATA / "image-only.pdf")
    reference = "".join(clean_line(line) for line in source.split("\n"))
    assert cer(reference, document.text) < 0.03
    assert document.warnings == ("第 1 页（共 1 页）经 OCR 识别，引用前请核对原文",)
    assert document.text.split("\n")[0] == "穗民规字〔2025〕2号"
    assert document.meta.doc_number == "穗民规字〔2025〕2号"


@pytest.mark.ocr
@needs_ocr
def test_real_page_without_text_layer_gives_chinese_text(tmp_path):
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(
        str(CORPUS / "pdf" / "guangdong-budget-report-2025-annex1-glossary-excerpt-no-text-layer.pdf")
    )
    single = pdfium.PdfDocument.new()
    single.import_pages(source, [0])
    path = tmp_path / "guangdong-page-1.pdf"
    single.save(str(path))
    document = extract(path)
    cjk = re.findall(r"[\u4e00-\u9fff]", document.text)
    assert len(cjk) > 300  # a full A4 page of the glossary
    assert "名词解释" in document.text and "零基预算" in document.text


def test_boxes_become_lines_with_layout_flags():
    boxes = [  # (x0, y0, x1, y1, text) in pixels, as the recogniser returns them
        (253, 436, 907, 466, "3. 零基预算：具体指年度预算编制不受以往预算安排情况的"),
        (199, 489, 992, 518, "影响，预算支出以零为基点，从实际需要与可能出发，逐项审议"),
        (198, 542, 560, 571, "算批准后的执行效率。"),
        (600, 542, 700, 571, "附注"),
    ]
    lines = boxes_to_lines(boxes)
    assert [line.text for line in lines] == [boxes[0][4], boxes[1][4], "算批准后的执行效率。 附注"]
    assert [(line.indent, line.full) for line in lines] == [(True, False), (False, True), (False, False)]


def test_half_width_punctuation_from_the_recogniser():
    assert (
        full_width_punctuation("(一)全市城乡最低生活保障标准:每人每月1309元,其中(2024)")
        == "（一）全市城乡最低生活保障标准：每人每月1309元，其中（2024）"
    )
    assert full_width_punctuation("COVID-19 (2019-nCoV), see (a)") == "COVID-19 (2019-nCoV), see (a)"
