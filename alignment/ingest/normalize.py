"""Text normalization shared by every format: pure functions over strings and lines.

The order of work, done by :func:`assemble`:

1. each line is cleaned (:func:`clean_line`): invisible characters dropped, full-width digits and
   Latin letters folded to half-width, radical look-alikes mapped to ordinary ideographs, and the
   spaces PDF extractors put between Chinese characters removed;
2. on physical pages, page numbers and running headers/footers are dropped
   (:func:`running_lines`);
3. lines wrapped mid-sentence are rejoined (:func:`should_join`), keeping breaks after 。；：！？ and
   before headings (第X章, 一、, （一）, 1., 专栏, 附件 ...);
4. the text is built with one ``PageSpan`` per page over the final string, so any offset maps back
   to its page.

Chinese punctuation (，。；：（）) is kept as it is; only what matters for matching is folded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from alignment.ingest.base import Line
from alignment.schema import HeadingHint, PageSpan

# Characters that carry no text: zero-width spaces and joiners, BOM, soft hyphen, direction marks.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\u2066-\u2069\u202a-\u202e\ufeff\u00ad]")
# C0/C1 control characters other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Private-use characters: symbol-font glyphs (Wingdings check boxes) with no meaning as text.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Every way a line can end, folded to "\n".
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# Space characters other than tab, folded to one ASCII space (tabs separate table cells).
_SPACES = re.compile("[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

# Full-width forms folded to ASCII: digits, Latin letters and the symbols that appear in numbers.
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_WIDTH_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDTH_TABLE.update({ord(c): ord(c) - 0xFEE0 for c in "％＋－／＝＆＠＃＊"})
# A full-width full stop after a digit is list numbering ("１．"), not the end of a sentence.
_DIGIT_STOP = re.compile(r"(?<=\d)．")
# Kangxi radicals, radical supplements and compatibility ideographs that some PDF producers emit in
# place of the ordinary ideograph (⼀ for 一); NFKC maps them back.
_LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width Chinese punctuation: a space next to one of these is never wanted.
_PUNCT = "，。、；：？！（）《》〈〉「」『』【】〔〕［］｛｝…・"
_QUOTES = "“”‘’"


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_alnum_ascii(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "%")


def normalize_newlines(text: str) -> str:
    """CRLF, CR and the Unicode line/paragraph separators as ``\\n``."""
    return _NEWLINES.sub("\n", text)


def strip_invisible(text: str) -> str:
    """Drop zero-width characters, BOMs, soft hyphens and control characters (tab and ``\\n`` stay)."""
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


def fold_width(text: str) -> str:
    """Full-width digits, Latin letters and ％＋－／ as ASCII; Chinese punctuation unchanged.

    >>> fold_width("２０２１年增长５．２％，ＧＤＰ")
    '2021年增长5.2%，GDP'
    """
    return _DIGIT_STOP.sub(".", text.translate(_WIDTH_TABLE))


def fix_lookalikes(text: str) -> str:
    """Kangxi radicals and compatibility ideographs as the ordinary ideographs they stand for."""
    return _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _drop_space(left: str, right: str) -> bool:
    """Whether the space between tokens ``left`` and ``right`` is an artefact, not a word break."""
    a, b = left[-1], right[0]
    if a in _PUNCT or b in _PUNCT:
        return True
    if (a in _QUOTES and (_is_han(b) or b in _PUNCT)) or (b in _QUOTES and (_is_han(a) or a in _PUNCT)):
        return True
    if (_is_han(a) and _is_alnum_ascii(b)) or (_is_alnum_ascii(a) and _is_han(b)):
        return True
    # Letter-spaced Chinese ("总 则", "目 录"): single characters separated by spaces.
    return len(left) == 1 and len(right) == 1 and _is_han(a) and _is_han(b)


def collapse_spaces(line: str) -> str:
    """Remove the spaces extractors put into Chinese text; keep one space between words.

    Spaces go between Chinese and digits/Latin letters ("2 小时" -> "2小时"), next to Chinese
    punctuation, and inside letter-spaced words ("总　　则" -> "总则"). A space between two
    multi-character Chinese tokens ("第一章 总则", "中共中央 国务院") is kept as one space.
    """
    tokens = _SPACES.sub(" ", line).strip(" ").split(" ")
    if len(tokens) == 1:
        return tokens[0]
    out = [tokens[0]]
    for prev, tok in zip(tokens, tokens[1:]):
        if not _drop_space(prev, tok):
            out.append(" ")
        out.append(tok)
    return "".join(out)


def clean_line(line: str) -> str:
    """One line with every character-level rule applied, stripped of surrounding space.

    Private-use characters (symbol-font glyphs such as check boxes) are dropped here; a page made
    mostly of them is reported as unreadable by the PDF reader before it gets this far.
    """
    line = fix_lookalikes(fold_width(_PRIVATE_USE.sub("", strip_invisible(line))))
    if "\t" in line:  # table rows: clean each cell, keep every tab (empty cells hold columns)
        return "\t".join(collapse_spaces(cell) for cell in line.split("\t"))
    return collapse_spaces(line)


def clean_cell(text: str) -> str:
    """A table cell's text on one line: its wrapped lines rejoined, tabs as spaces."""
    parts = [clean_line(p.replace("\t", " ")) for p in normalize_newlines(text).split("\n")]
    out = ""
    for part in filter(None, parts):
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


# --- page furniture ---------------------------------------------------------------------------

# Page-number lines that are always furniture: "— 3 —", "- 3 -", "·3·", "第 3 页", "第3页 共10页",
# "3/10", "Page 3 of 10".
_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-—–－─~～·•]{1,2}\s*\d{1,4}\s*[-—–－─~～·•]{1,2}
      | 第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?
      | 共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页
      | \d{1,4}\s*/\s*\d{1,4}
      | (?:[Pp]age|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?
    )$""",
    re.X,
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_DIGITS = re.compile(r"\d+")
#: How many lines at the top and at the bottom of a page can be a running header or footer.
EDGE_LINES = 3


def is_page_number(line: str) -> bool:
    """Whether ``line`` is a decorated page number such as "— 3 —" or "第3页 共10页"."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def running_lines(pages: Sequence[Sequence[str]]) -> set[tuple[int, int]]:
    """``(page index, line index)`` of page numbers and running headers/footers to drop.

    Only the first and last :data:`EDGE_LINES` non-empty lines of a page are considered. Dropped:
    decorated page numbers; bare numbers that go up with the page (same offset from the page index
    on at least two pages and a quarter of them); and short lines that, with digits ignored, recur
    at the edges of at least 40% of the pages (and at least two).
    """
    n = len(pages)
    drop: set[tuple[int, int]] = set()
    bare: list[tuple[int, int, int]] = []
    keys: dict[tuple[int, int], str] = {}
    key_pages: Counter[str] = Counter()
    for p, lines in enumerate(pages):
        filled = [i for i, text in enumerate(lines) if text.strip()]
        edges = sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))
        seen: set[str] = set()
        for i in edges:
            text = lines[i].strip()
            if is_page_number(text):
                drop.add((p, i))
            elif _BARE_NUMBER.match(text):
                bare.append((p, i, int(text)))
            elif len(text) <= 60:
                key = _DIGITS.sub("#", text)
                keys[(p, i)] = key
                if key not in seen:
                    seen.add(key)
                    key_pages[key] += 1
    if bare:
        offsets = Counter(value - p for p, _, value in bare)
        offset, count = offsets.most_common(1)[0]
        if count >= 2 and count >= n / 4:
            drop.update((p, i) for p, i, value in bare if value - p == offset)
    if n >= 2:
        need = max(2, math.ceil(0.4 * n))
        drop.update(pos for pos, key in keys.items() if key_pages[key] >= need)
    return drop


def strip_running_lines(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """``pages`` without the lines :func:`running_lines` finds."""
    drop = running_lines(pages)
    return [[t for i, t in enumerate(lines) if (p, i) not in drop] for p, lines in enumerate(pages)]


# --- rejoining wrapped lines ------------------------------------------------------------------

# A line that ends a sentence or clause: 。；：！？ (or ASCII ;:!?), maybe followed by closing quotes
# or brackets. A break after one of these is kept.
_SENTENCE_END = re.compile(r"[。；：！？;:!?][”’」』）)】〕》\"']*$")
# A line that starts a heading or a list item: a break before it is kept.
_HEADING_START = re.compile(
    r"""^(?:
        第[一二三四五六七八九十百千零〇两\d]+(?:编|章|节|条|部分|篇)
      | [一二三四五六七八九十百]+[、.．]
      | [（(][一二三四五六七八九十百]+[）)]
      | \d{1,2}[.．、](?!\d)
      | [（(]\d{1,2}[）)]
      | [①-⑳]
      | (?:专栏|附件|附表|附录)\s*(?:\d+(?:[-－]\d+)?)?(?=[:：\s]|$)
    )""",
    re.X,
)
#: A line counts as reaching the margin when it is at least this share of the wrap width.
FULL_SHARE = 0.85


# Characters two columns wide (East Asian Width W or F): CJK, kana, hangul, full-width forms.
_WIDE = re.compile(
    "[\u1100-\u115f\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
    "\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """Columns ``text`` takes: 2 for wide (CJK, full-width) characters, 1 for others, 4 for a tab."""
    return len(text) + len(_WIDE.findall(text)) + 3 * text.count("\t")


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends with 。；：！？ (closing quotes/brackets allowed after it)."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def starts_heading(line: str) -> bool:
    """Whether ``line`` starts like a heading or list item (第X章, 一、, （一）, 1., 专栏, 附件 ...)."""
    return bool(_HEADING_START.match(line.lstrip()))


def wrap_width(widths: Sequence[float], *, force: bool = False) -> float | None:
    """The width lines wrap at, or None when the text does not look hard-wrapped.

    The width is the 90th percentile of ``widths``. Text counts as hard-wrapped when at least half
    the lines reach :data:`FULL_SHARE` of it (paragraph-per-line text does not). ``force`` returns
    the width regardless (laid-out pages always wrap).
    """
    if not widths:
        return None
    ordered = sorted(widths)
    width = ordered[int(0.9 * (len(ordered) - 1))]
    if force:
        return width
    near = sum(1 for w in ordered if w >= FULL_SHARE * width)
    if len(ordered) >= 5 and near >= 0.5 * len(ordered) and width <= 200:
        return width
    return None


def should_join(prev: str, line: str, *, prev_full: bool, indent: bool) -> bool:
    """Whether ``line`` continues the sentence ``prev`` was wrapped out of.

    Only when ``prev`` reaches the margin, does not end a sentence, and ``line`` is neither indented
    (a new paragraph) nor a heading.
    """
    return prev_full and not indent and not ends_sentence(prev) and not starts_heading(line)


# --- assembling the document text --------------------------------------------------------------


@dataclass(frozen=True)
class Assembled:
    """The normalized text of a document and where its pages, headings and tables lie in it."""

    text: str
    pages: tuple[PageSpan, ...]
    hints: tuple[HeadingHint, ...]
    groups: dict[int, tuple[int, int]]  # table group -> (char_start, char_end)


@dataclass
class _Clean:
    text: str
    width: int
    indent: bool
    full: bool | None
    heading: int
    keep: bool
    group: int


def _leading_width(text: str) -> int:
    stripped = text.lstrip(" \t\u3000\u00a0")
    return display_width(text[: len(text) - len(stripped)])


def _clean_page(lines: Sequence[Line]) -> list[_Clean]:
    out: list[_Clean] = []
    for line in lines:
        parts = normalize_newlines(line.text).split("\n")
        for k, raw in enumerate(parts):
            raw = strip_invisible(raw) if not line.keep else raw
            indent = line.indent if (line.indent is not None and k == 0) else _leading_width(raw) >= 2
            text = clean_line(raw)
            out.append(
                _Clean(
                    text=text,
                    width=display_width(raw.rstrip()),
                    indent=bool(indent),
                    full=line.full if k == len(parts) - 1 else None,
                    heading=line.heading,
                    keep=line.keep,
                    group=line.group,
                )
            )
    return out


def _trim_blank(page: list[_Clean]) -> list[_Clean]:
    start, end = 0, len(page)
    while start < end and not page[start].text:
        start += 1
    while end > start and not page[end - 1].text:
        end -= 1
    return page[start:end]


def _joiner(prev: str, line: str) -> str:
    a, b = prev[-1], line[0]
    return " " if (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) else ""


def assemble(
    pages: Sequence[Sequence[Line]], *, rejoin: bool | None = None, paged: bool = False
) -> Assembled:
    """Normalized text of ``pages`` with a ``PageSpan`` per page, heading hints and table spans.

    ``rejoin``: True to rejoin wrapped lines (laid-out pages), False never, None when the text looks
    hard-wrapped (see :func:`wrap_width`). ``paged``: drop page numbers and running headers/footers.
    Runs of blank lines become one blank line; page spans are contiguous and cover the whole text.
    """
    cleaned = [_clean_page(page) for page in pages]
    if paged:
        drop = running_lines([[c.text if not c.keep else "" for c in page] for page in cleaned])
        cleaned = [[c for i, c in enumerate(page) if (p, i) not in drop] for p, page in enumerate(cleaned)]
        cleaned = [_trim_blank(page) for page in cleaned]  # a page break is not a paragraph break

    width: float | None = None
    if rejoin is not False:
        widths = [c.width for page in cleaned for c in page if c.text and not c.keep and c.full is None]
        width = wrap_width(widths, force=bool(rejoin))

    parts: list[str] = []
    pos = 0
    starts: list[int | None] = []
    hints: list[HeadingHint] = []
    groups: dict[int, tuple[int, int]] = {}
    prev: _Clean | None = None
    blank = False
    for page in cleaned:
        page_start: int | None = None
        for c in page:
            if not c.text:
                blank = prev is not None
                continue
            if prev is None:
                sep = ""
            elif blank:
                sep = "\n\n"
            elif rejoin is not False and _joinable(prev, c, width):
                sep = _joiner(prev.text, c.text)
            else:
                sep = "\n"
            blank = False
            parts.append(sep)
            pos += len(sep)
            start = pos
            parts.append(c.text)
            pos += len(c.text)
            if page_start is None:
                page_start = start
            if c.heading:
                hints.append(HeadingHint(start, pos, c.heading))
            if c.group >= 0:
                g_start, _ = groups.get(c.group, (start, pos))
                groups[c.group] = (g_start, pos)
            prev = c
        starts.append(page_start)
    text = "".join(parts)
    return Assembled(text, _page_spans(starts, len(text)), tuple(hints), groups)


def _joinable(prev: _Clean, line: _Clean, width: float | None) -> bool:
    if prev.keep or line.keep or prev.heading or line.heading:
        return False
    if prev.full is not None:
        full = prev.full
    elif width is not None:
        full = prev.width >= FULL_SHARE * width
    else:
        return False
    return should_join(prev.text, line.text, prev_full=full, indent=line.indent)


def _page_spans(starts: list[int | None], length: int) -> tuple[PageSpan, ...]:
    """Contiguous spans from each page's first offset; an empty page gets an empty span."""
    filled: list[int] = []
    following = length
    for start in reversed(starts):
        following = start if start is not None else following
        filled.append(following)
    filled.reverse()
    if filled:
        filled[0] = 0
    spans = []
    for i, start in enumerate(filled):
        end = filled[i + 1] if i + 1 < len(filled) else length
        spans.append(PageSpan(number=i + 1, char_start=start, char_end=end))
    return tuple(spans)


def normalize_text(text: str, *, rejoin: bool | None = None) -> str:
    """``text`` as one page through :func:`assemble` (for plain strings and tests)."""
    return assemble([[Line(t) for t in normalize_newlines(text).split("\n")]], rejoin=rejoin).text
