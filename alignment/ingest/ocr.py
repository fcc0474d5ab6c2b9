"""OCR for pages without a usable text layer: the ``ocr`` extra (rapidocr with onnxruntime).

The engine ships its models inside the wheel, so it runs offline. It is loaded once, on the first
page that needs it, and reused.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import statistics
from functools import lru_cache
from typing import Any, Sequence

from alignment.errors import MissingDependencyError
from alignment.ingest.base import Line

#: Rendering scale for OCR: 2.5 x 72 dpi = 180 dpi, enough for body text in A4 documents.
RENDER_SCALE = 2.5
#: Boxes the engine is less sure of than this are dropped.
MIN_SCORE = 0.5
# ASCII punctuation the engine reads next to Chinese text, and the full-width form the text uses.
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_PUNCT = re.compile(r"(?<=[\u4e00-\u9fff])[,:;?!]|[,:;?!](?=[\u4e00-\u9fff])")
# A bracketed span with at least one half-width bracket: "(一)", "(二）", "（2024)".
_BRACKETS = re.compile(r"(?P<open>[(（])(?P<inner>[^()（）]{0,40})(?P<close>[)）])")


def available() -> bool:
    """Whether the ``ocr`` extra (rapidocr and onnxruntime) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


@lru_cache(maxsize=1)
def engine() -> Any:
    """The shared RapidOCR engine; raises :class:`MissingDependencyError` without the extra."""
    if not available():
        raise MissingDependencyError("rapidocr", "ocr", "识别没有文字层的页面（OCR）")
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params={"Global.log_level": "error"})


def read_image(image: Any) -> list[Line]:
    """Lines of text in ``image`` (an (h, w, 3) uint8 array), top to bottom, with layout flags."""
    result = engine()(image)
    if result.boxes is None or result.txts is None:
        return []
    boxes = []
    for points, text, score in zip(result.boxes, result.txts, result.scores):
        if score < MIN_SCORE or not text.strip():
            continue
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        boxes.append((min(xs), min(ys), max(xs), max(ys), full_width_punctuation(text.strip())))
    return boxes_to_lines(boxes)


def full_width_punctuation(text: str) -> str:
    """Half-width punctuation in Chinese text as the full-width marks Chinese text uses.

    The recogniser often returns "(一)" or "其中:" for "（一）" and "其中：". Brackets become
    full-width when they enclose or follow Chinese (or one of the pair already is); , : ; ? ! when
    they touch a Chinese character.

    >>> full_width_punctuation("(一)标准:每人每月1309元,不含(2024)")
    '（一）标准：每人每月1309元，不含（2024）'
    """

    def bracket(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        chinese = re.search(r"[\u4e00-\u9fff]", m["inner"] + before) or "（" in m.group() or "）" in m.group()
        return f"（{m['inner']}）" if chinese else m.group()

    text = _BRACKETS.sub(bracket, text)
    return _HALF_PUNCT.sub(lambda m: _FULL_WIDTH[m.group()], text)


def boxes_to_lines(boxes: Sequence[tuple[float, float, float, float, str]]) -> list[Line]:
    """Text boxes ``(x0, y0, x1, y1, text)`` (y downwards) grouped into lines.

    Boxes whose vertical centres fall inside one another's height form a line, read left to right.
    A line is ``indent`` when it starts at least one character height right of the left margin and
    ``full`` when it ends within 1.2 character heights of the right margin.
    """
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        centre = (box[1] + box[3]) / 2
        if rows:
            last = rows[-1]
            top = min(b[1] for b in last)
            bottom = max(b[3] for b in last)
            if top <= centre <= bottom:
                last.append(box)
                continue
        rows.append([box])
    if not rows:
        return []
    em = statistics.median(b[3] - b[1] for b in boxes) or 1.0
    left = min(b[0] for row in rows for b in row)
    right = max(b[2] for row in rows for b in row)
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        text = row[0][4]
        for prev, box in zip(row, row[1:]):
            text += (" " if box[0] - prev[2] > em else "") + box[4]
        x0 = row[0][0]
        x1 = max(b[2] for b in row)
        lines.append(Line(text, indent=x0 - left >= em, full=right - x1 <= 1.2 * em))
    return lines


def read_pdf_page(page: Any) -> list[Line]:
    """OCR one ``pypdfium2.PdfPage``."""
    bitmap = page.render(scale=RENDER_SCALE)
    return read_image(bitmap.to_numpy())
