"""OFD (GB/T 33190) through ofdkit: pages, template header dropped, wrapped lines rejoined."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.errors import ExtractionError
from alignment.ingest import extract
from alignment.ingest.normalize import clean_line

from .conftest import CORPUS, DATA

# Two pages made by scripts/make_fixtures.py: nested PageBlocks, a per-character title (CTM-scaled
# TextObjects with CGTransform), a template page with a running header, "- N -" footers.
OFD = DATA / "charity-regulations.ofd"


def test_text_pages_and_metadata():
    document = extract(OFD)
    source = (CORPUS / "municipal/guangzhou-charity-promotion-regulations-2021.txt").read_text(
        encoding="utf-8"
    )
    lines = [clean_line(line) for line in source.split("\n") if clean_line(line)][:8]
    assert document.format == "ofd"
    assert [line for line in document.text.split("\n") if line] == lines
    assert "公报" not in document.text and "- 1 -" not in document.text  # template header, footer
    assert len(document.pages) == 2
    second = document.pages[1]
    assert (
        document.text[second.char_start:second.char_start + 9] == "社会保障体系建设和"
    )  # mid-sentence page break
    assert document.page_at(document.text.index("第四条")) == 2
    assert (document.meta.title, document.meta.level) == ("广州市慈善促进条例", "municipal")


def test_not_an_ofd(tmp_path: Path):
    path = tmp_path / "broken.ofd"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert str(info.value).startswith(f"无法读取 {path}：不是可读的 OFD 文件（")
    assert "\n" not in str(info.value)
