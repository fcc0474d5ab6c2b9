"""The Markdown summary, compared with a golden file.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 python -m pytest tests/report`` and
review the diff of tests/data/report/demo.md.
"""

from __future__ import annotations

import io
import os

from alignment.report import RENDERERS, markdown
from alignment.report._markdown import md_text

from .fixtures import ROOT, demo_report, xss_report

GOLDEN = ROOT / "tests" / "data" / "report" / "demo.md"


def test_matches_golden_file():
    text = markdown(demo_report())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_renderer_writes_the_same_text():
    out = io.StringIO()
    RENDERERS["md"](demo_report(), out)
    assert out.getvalue() == markdown(demo_report())


def test_untrusted_text_cannot_become_markup():
    text = markdown(xss_report())
    assert "<script>" not in text
    assert r"\<script\>alert(1)\</script\>" in text
    assert md_text("a|b *c* [d](e) `f`\n g") == r"a\|b \*c\* \[d\](e) \`f\` g"
