"""DOCX: body order with tables interleaved, heading styles, automatic Chinese numbering."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.ingest import extract
from alignment.ingest.docx import format_number, zh_counting
from alignment.schema import HeadingHint, PageSpan

from .conftest import DATA

DOCX = DATA / "dibao-standards.docx"  # scripts/make_fixtures.py, from the 2025 Guangzhou 低保 notice


@pytest.fixture(scope="module")
def document():
    return extract(DOCX)


def test_paragraphs_and_table_in_document_order(document):
    lines = document.text.split("\n")
    assert lines[:3] == [
        "穗民规字〔2025〕2号",
        "广州市民政局 广州市财政局关于印发我市2025年最低生活保障及相关社会救助标准的通知",
        "各区人民政府，市政府各部门、各直属机构：",
    ]
    table_at = lines.index("项目\t标准（元/人·月）")
    assert lines[table_at - 1].startswith("（五）成年流浪乞讨受助人员基本饮食标准为每人每月785.4元")
    assert lines[table_at + 1:table_at + 3] == [
        "城乡最低生活保障\t1309",
        "最低生活保障边缘家庭认定\t1963.5",
    ]
    assert lines[table_at + 7] == "二、标准执行时间"
    assert lines[-2:] == ["广州市民政局 广州市财政局", "2025年5月30日"]
    assert document.pages == (PageSpan(1, 0, len(document.text)),)


def test_automatic_numbering_is_rendered_and_headings_are_hints(document):
    # The Heading 1 paragraphs hold only "社会救助标准"; "一、" comes from a chineseCounting list.
    start = document.text.index("一、社会救助标准")
    second = document.text.index("二、标准执行时间")
    assert document.hints == (
        HeadingHint(13, 55, 1),  # the Title style
        HeadingHint(start, start + 8, 1),
        HeadingHint(second, second + 8, 1),
    )


def test_table_record_matches_its_rendering(document):
    (table,) = document.tables
    assert (table.page, table.header) == (1, ("项目", "标准（元/人·月）"))
    assert table.rows[-1] == ("未成年人受助人员基本饮食", "916.3")
    rendered = document.text[table.char_start:table.char_end]
    assert rendered == "\n".join("\t".join(row) for row in (table.header, *table.rows))


def test_metadata(document):
    meta = document.meta
    assert (meta.doc_number, meta.issuer, meta.date, meta.level) == (
        "穗民规字〔2025〕2号",
        "广州市民政局 广州市财政局",
        "2025-05-30",
        "municipal",
    )
    assert meta.title == "广州市民政局 广州市财政局关于印发我市2025年最低生活保障及相关社会救助标准的通知"


@pytest.mark.parametrize(
    ("n", "fmt", "label"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCounting", "十二"),
        (20, "chineseCounting", "二十"),
        (35, "chineseCountingThousand", "三十五"),
        (3, "ideographTraditional", "丙"),
        (4, "upperRoman", "IV"),
        (2, "lowerLetter", "b"),
        (3, "decimalEnclosedCircle", "③"),
        (7, "decimal", "7"),
        (4, "chineseLegalSimplified", "肆"),
        (1, "bullet", ""),
    ],
)
def test_number_formats(n, fmt, label):
    assert format_number(n, fmt) == label


def test_chinese_counting_hundreds():
    assert [zh_counting(n) for n in (100, 105, 112, 120, 131)] == [
        "一百",
        "一百零五",
        "一百一十二",
        "一百二十",
        "一百三十一",
    ]


def test_damaged_docx(tmp_path: Path):
    path = tmp_path / "damaged.docx"
    path.write_bytes(DOCX.read_bytes()[:2000])
    from alignment.errors import ExtractionError

    with pytest.raises(ExtractionError, match=r"^无法读取 .*damaged\.docx：(DOCX 文件已损坏|不是可读的 DOCX)"):
        extract(path)
