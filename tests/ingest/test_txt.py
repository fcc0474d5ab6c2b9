"""Plain text and Markdown: encodings, nothing lost, hard-wrapped text rejoined."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.ingest import extract
from alignment.ingest.normalize import clean_line
from alignment.ingest.txt import decode, plausibility
from alignment.schema import HeadingHint, PageSpan

from .conftest import CORPUS, DATA


def corpus_lines(relative: str) -> list[str]:
    text = (CORPUS / relative).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return [clean_line(line) for line in text.split("\n") if clean_line(line)]


def test_gbk_file_from_real_text():
    document = extract(DATA / "gbk.txt")
    assert document.text == "\n".join(
        corpus_lines("municipal/guangzhou-extremely-poor-support-notice-2021.txt")[:12]
    )
    assert document.format == "txt" and document.pages == (PageSpan(1, 0, len(document.text)),)
    assert decode((DATA / "gbk.txt").read_bytes())[1] == "gb18030"


@pytest.mark.parametrize(
    ("name", "encoding"), [("utf16-bom.txt", "utf-16-le (BOM)"), ("utf16le-nobom.txt", "utf-16-le")]
)
def test_utf16_with_and_without_bom(name, encoding):
    expected = "\n".join(corpus_lines("municipal/guangzhou-charity-promotion-regulations-2021.txt")[:10])
    assert extract(DATA / name).text == expected
    assert decode((DATA / name).read_bytes())[1] == encoding


def test_utf16_big_endian_without_bom_and_utf8_with_bom():
    text = "第一条 为了促进慈善事业健康发展，弘扬慈善文化，规范慈善活动。\n第二条 本条例适用于本市。\n"
    assert decode(text.encode("utf-16-be")) == (text, "utf-16-be")
    assert decode(text.encode("utf-8-sig")) == (text, "utf-8 (BOM)")
    assert decode(text.encode("utf-8")) == (text, "utf-8")


def test_plausibility_separates_text_from_mojibake():
    text = "市、区人民政府应当将慈善事业发展作为社会保障体系建设的重要内容。"
    assert plausibility(text) == 1.0
    assert plausibility(text.encode("utf-8").decode("gb18030", errors="replace")) < 0.85
    assert plausibility(text.encode("utf-16-le").decode("utf-16-be", errors="replace")) < 0.85


def test_every_corpus_text_keeps_every_character_and_line():
    """No bundled .txt is mistaken for hard-wrapped text, and normalization loses no character."""
    for path in sorted(CORPUS.glob("*/*.txt")):
        document = extract(path)
        expected = corpus_lines(path.relative_to(CORPUS).as_posix())
        assert [line for line in document.text.split("\n") if line] == expected, path.name


def test_hard_wrapped_text_is_rejoined(tmp_path: Path):
    paragraphs = corpus_lines("municipal/dezhou-elderly-care-services-regulations-2019.txt")[5:9]
    wrapped = []
    for paragraph in paragraphs:  # wrap at 30 characters, like a plain-text e-mail
        wrapped.extend(paragraph[i:i + 30] for i in range(0, len(paragraph), 30))
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join(wrapped), encoding="utf-8")
    assert extract(path).text == "\n".join(paragraphs)


def test_form_feeds_separate_pages(tmp_path: Path):
    path = tmp_path / "pages.txt"
    path.write_text(
        "第一条 本办法自发布之日起施行。\n— 1 —\f第二条 本办法由市民政局负责解释。\n— 2 —\f", encoding="utf-8"
    )
    document = extract(path)
    assert document.text == "第一条 本办法自发布之日起施行。\n第二条 本办法由市民政局负责解释。"
    assert document.pages == (PageSpan(1, 0, 17), PageSpan(2, 17, 34))
    assert document.page_at(document.text.index("第二条")) == 2


def test_markdown_headings_become_hints(tmp_path: Path):
    path = tmp_path / "regulation.md"
    path.write_text(
        "# 德州市养老服务条例\n\n## 第一章 总则\n\n第一条 为了积极应对人口老龄化，制定本条例。\n",
        encoding="utf-8",
    )
    document = extract(path)
    assert document.format == "md"
    assert document.text == "德州市养老服务条例\n\n第一章 总则\n\n第一条 为了积极应对人口老龄化，制定本条例。"
    assert document.hints == (HeadingHint(0, 9, 1), HeadingHint(11, 17, 2))
