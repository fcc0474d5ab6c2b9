"""Plain text and Markdown: find the encoding, never guess it silently wrong.

Chinese government text files come as UTF-8 (with or without BOM), GB18030/GBK, or UTF-16 (with or
without BOM). A BOM decides; otherwise each candidate encoding that decodes the bytes strictly is
scored by how much of the result is ordinary text (:func:`plausibility`), charset-normalizer is
asked when none is convincing, and bytes that decode to nothing plausible are refused as "not text".
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

from alignment.errors import ExtractionError
from alignment.ingest.base import Line, RawDocument
from alignment.ingest.normalize import normalize_newlines

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Share of characters that must be ordinary text for a decoding to be accepted.
MIN_PLAUSIBILITY = 0.85
#: How many characters of a decoding are scored (the start of a file is enough to judge it).
SAMPLE_CHARS = 20_000
# Markdown ATX heading: "## 第一章 总则".
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# Characters that make a decoding look like binary: C0 controls other than tab/newline/CR/FF, C1.
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """The 3,755 level-1 characters of GB2312: the everyday Chinese characters."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _ordinary(ch: str, common: frozenset[str]) -> float:
    if ch.isascii():
        return 1.0 if (ch.isprintable() or ch in "\t\n\r\f") else 0.0
    if ch in common:
        return 1.0
    code = ord(ch)
    if 0x4E00 <= code <= 0x9FFF:  # a rarer ideograph: possible in real text, common in mojibake
        return 0.5
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F:
        return 1.0  # CJK and full-width punctuation, general punctuation
    if code in (0xA0, 0xB7, 0xD7, 0xF7) or 0x2460 <= code <= 0x24FF or 0x2160 <= code <= 0x217F:
        return 1.0  # nbsp, middle dot, ×, ÷, circled and Roman numerals
    return 0.0


def plausibility(text: str) -> float:
    """Share in [0, 1] of ``text`` that is ordinary Chinese or Latin text.

    Counts ASCII printable characters, common (GB2312 level-1) hanzi and CJK punctuation as 1, rarer
    ideographs as 0.5 and everything else (controls, stray scripts of a wrong decoding) as 0.
    """
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return 0.0
    common = _common_hanzi()
    return sum(_ordinary(ch, common) for ch in sample) / len(sample)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_guess(data: bytes) -> list[str]:
    """UTF-16 byte orders worth trying for BOM-less data: NULs show where ASCII characters sit."""
    if len(data) % 2:
        return []
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd > even:
        return ["utf-16-le", "utf-16-be"]
    if even > odd:
        return ["utf-16-be", "utf-16-le"]
    return ["utf-16-le", "utf-16-be"]


def decode(data: bytes, path: str | Path = "<bytes>", *, declared: str = "") -> tuple[str, str]:
    """``data`` as text and the name of the encoding used.

    A BOM decides. Then ``declared`` (e.g. an HTML meta charset), UTF-8, GB18030, UTF-16 and Big5
    are tried strictly and scored with :func:`plausibility`; charset-normalizer is consulted when
    none reaches :data:`MIN_PLAUSIBILITY`. Raises :class:`ExtractionError` when nothing does: the
    bytes are not text in any encoding this tool knows.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], encoding)
            if text is not None:
                return text, encoding + " (BOM)"
            raise ExtractionError(
                path,
                f"文件以 {encoding} 字节顺序标记（BOM）开头，内容却不是有效的 {encoding}",
                "请将文件另存为 UTF-8",
            )
    if not data:
        return "", "empty"
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and not _BINARY.search(utf8[:SAMPLE_CHARS]):
        return utf8, "utf-8"
    candidates = []
    if declared:
        candidates.append(declared)
    candidates += ["gb18030", *_utf16_guess(data), "big5"]
    best = ("", "", 0.0)
    for encoding in candidates:
        text = _strict(data, encoding)
        if text is None:
            continue
        score = plausibility(text)
        if score > best[2]:
            best = (text, encoding, score)
        if score >= 0.97:
            break
    if best[2] < MIN_PLAUSIBILITY:
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
        if match is not None:
            text = str(match)
            score = plausibility(text)
            if score > best[2]:
                best = (text, match.encoding, score)
    text, encoding, score = best
    if score < MIN_PLAUSIBILITY:
        guess = f"；最接近的 {encoding} 也只有 {score:.0%} 的字符可读" if encoding else ""
        raise ExtractionError(
            path,
            f"不是文本文件：UTF-8、GB18030、UTF-16、Big5 编码都无法把它解码为可读的文字{guess}",
            "请确认文件是否正确；如果是文本，请另存为 UTF-8",
        )
    return text, encoding


def read(path: Path, data: bytes, *, markdown: bool = False) -> RawDocument:
    """A text file as pages of lines.

    Form feeds (as pdftotext writes them) separate pages; without any the file is one page.
    Markdown ``#`` headings become heading hints with the markers removed.
    """
    text, encoding = decode(data, path)
    pages = []
    for page in text.split("\f"):
        lines = []
        for raw in normalize_newlines(page).split("\n"):
            m = _MD_HEADING.match(raw) if markdown else None
            lines.append(Line(m.group(2), heading=len(m.group(1)), keep=True) if m else Line(raw))
        pages.append(lines)
    if len(pages) > 1 and not any(line.text.strip() for line in pages[-1]):
        pages.pop()  # the form feed after the last page
    return RawDocument(
        format="md" if markdown else "txt",
        pages=pages,
        rejoin=None,
        paged=len(pages) > 1,
        hints={"encoding": encoding},
    )
