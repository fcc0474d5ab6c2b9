"""Golden outputs: the full Document (text, pages, tables, hints, metadata) of each fixture.

tests/data/ingest/golden/<file>.json is what the extractor produced when it was last reviewed; the
structure parser's goldens are built over this text, so a change here must be deliberate. Rewrite
with ``pytest tests/ingest/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from alignment.ingest import extract

from .conftest import CORPUS, DATA

GOLDEN = DATA / "golden"
INPUTS = [
    DATA / "wrapped-header-footer.pdf",
    DATA / "gbk.txt",
    DATA / "utf16-bom.txt",
    DATA / "dibao-standards.docx",
    DATA / "gov-page.html",
    DATA / "charity-regulations.ofd",
    CORPUS / "pdf" / "constitution-2018.pdf",
    CORPUS / "pdf" / "covid-diagnosis-treatment-plan-v10-2023.pdf",
]


def snapshot(path) -> dict:
    document = extract(path, ocr="never")
    data = asdict(document)
    data["path"] = path.relative_to(CORPUS.parent).as_posix()
    data["text"] = document.text.split("\n")  # one line per list item: diffs read line by line
    return json.loads(json.dumps(data, ensure_ascii=False))  # tuples as lists, as in the file


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_golden(path, update_golden):
    golden = GOLDEN / f"{path.name}.json"
    data = snapshot(path)
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert data == json.loads(golden.read_text(encoding="utf-8"))
