"""Every PDF of pdfplumber's own test suite either extracts or fails with a one-line ExtractionError
(Chinese first: ``无法读取 PATH：…``).

The files live beside the checkout in ../shared/robustness/pdfplumber-tests/ (52 real-world PDFs:
encrypted, empty, malformed, rotated, scanned, table-heavy). OCR is off here: pages without a text
layer must then raise NoTextLayerError (OCR itself is tested in tests/ingest/test_ocr.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.errors import ExtractionError
from alignment.ingest import extract

FOLDER = Path(__file__).parents[1].parent / "shared" / "robustness" / "pdfplumber-tests"
FILES = sorted(FOLDER.glob("*.pdf")) if FOLDER.is_dir() else []


@pytest.mark.skipif(not FILES, reason=f"robustness PDFs not found in {FOLDER}")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_extracts_or_fails_cleanly(path: Path):
    try:
        document = extract(path, ocr="never")
    except ExtractionError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(f"无法读取 {path}：")
        assert "意外错误" not in message  # the catch-all in extract() must not be what fired
    else:
        assert document.text.strip()
        assert document.pages[0].char_start == 0 and document.pages[-1].char_end == len(document.text)
        assert all(a.char_end == b.char_start for a, b in zip(document.pages, document.pages[1:]))
        for table in document.tables:
            assert document.text[table.char_start:table.char_end].split("\n")[0] == "\t".join(table.header)


def test_folder_holds_the_expected_files():
    if not FILES:
        pytest.skip(f"robustness PDFs not found in {FOLDER}")
    assert len(FILES) == 52
