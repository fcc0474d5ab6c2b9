"""The heading tree of a Chinese official document.

:func:`parse` reads ``Document.text`` line by line. A line whose start matches one of the label
patterns in :mod:`alignment.structure.patterns` opens a section; every other line is body text of
the section open at that point. Where a section goes in the tree is decided by a stack of open
sections and a fixed order of label kinds::

    part 第X篇 > chapter 第X章 > section 第X节 > heading (unnumbered) > article 第X条
    > item1 一、 > item2 （一） > item3 1. > item4 （1） > item5 ①

A new heading closes every open section of the same or a lower kind and becomes a child of what
remains open, so levels are relative: a document may start at 一、 or at 第一章, may skip a level
(一、 then 1.), and a list that skips or restarts its numbering (一、二、四、, or 1. again under a
new （二）) simply yields siblings. A label with no matching list open ("2." with no "1.") becomes
a child of the open section: nothing is ever dropped. Heading hints (DOCX styles, PDF font sizes)
are supporting evidence only: they admit label-like lines the text alone leaves in doubt and turn
short unnumbered styled lines into ``heading`` sections; the numbering decides the rest.

Special blocks:

* ``preamble`` — the title block and everything before the first heading.
* ``toc`` — a 目录 block (or a run of chapter lines that reappears later) is kept whole, so its
  lines never create duplicate chapters.
* ``heading`` — a short line without punctuation standing between articles (预防、康复和医疗) heads
  the articles after it; where chapters exist it takes a chapter's place (a chapter whose label
  the source lost).
* ``annex`` — 附件/附件1 restarts the numbering below it; so does the title of a document issued
  by a notice (…关于印发《X》的通知 … then a line "X"), which becomes a label-less annex.
* ``box`` — 专栏 N (a sidebar, typically a project list) is a child of the open section. It holds
  the headings that follow until one of the kind of its parent or above, another 专栏, or any
  篇/章/节/条. Where the box's parent is not a list item, an 一、 or （一） closes an empty box, and
  once the box holds list items, a label above their kind closes it. Body text after a box cannot
  be told from box content and stays in the box.
* ``table``/``table_row`` — a Table from ``Document.tables`` or a block of tab-separated lines
  (with an optional "…主要指标" title line); every row is a child whose heading keeps the column
  names: ``指标: 养老机构护理型床位占比 | 2025年: 55% | 属性: 约束性``.
* ``colophon`` — the signature (issuer lines and a date alone on its line) and the 版记
  (公开方式：…, 抄送：…, "…2022年9月13日印发") that close a notice; kept out of every heading and
  given no sentences, so they are never mistaken for the last article's text.
* ``paragraph`` — body text that resumes after a block that ended (a table, or a one-line
  enumeration "（一）…；（二）…。" inside an article) becomes a paragraph child of the enclosing
  section; and a document without any heading is split into paragraphs (on blank lines if it has
  them, else on line breaks).

The own spans of all sections (the heading line and the body before the first child) partition
``Document.text`` exactly; ids are ``<document id>/<dotted path>`` such as ``doc/c3.a25.ii2``
(chapter 3, article 25, item （二）) and depend only on the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from alignment.schema import Document, ParsedDocument, Section, Span
from alignment.structure import patterns as P
from alignment.structure.numerals import fullwidth_to_ascii, parse_number
from alignment.structure.sentences import split_sentences

#: Kinds that form the legislative skeleton; list items never close them.
STRUCTURAL_KINDS = ("part", "chapter", "section", "heading", "article")
#: List levels, outermost first.
ITEM_KINDS = ("item1", "item2", "item3", "item4", "item5")
#: Fixed order of label kinds (smaller is higher). ``heading`` ranks are decided per line.
RANK = {
    "part": 10, "chapter": 20, "section": 30, "heading": 35, "article": 40,
    "item1": 50, "item2": 60, "item3": 70, "item4": 80, "item5": 90,
}
#: Leaf blocks: any heading closes them.
LEAF_KINDS = ("preamble", "toc", "table", "paragraph", "colophon")
#: Prefix of each kind in section ids.
ID_PREFIX = {
    "part": "pt", "chapter": "c", "section": "s", "heading": "h", "article": "a",
    "item1": "i", "item2": "ii", "item3": "j", "item4": "jj", "item5": "k",
    "box": "box", "annex": "ax", "toc": "toc", "preamble": "pre", "table": "t",
    "table_row": "r", "paragraph": "p", "colophon": "end",
}

#: A lead phrase this long or longer is running text, not a bold lead ("（三）健全社会救助体系。").
LEAD_MAX = 40
#: An item line without final punctuation up to this length is a title ("五、贯彻新发展理念，…").
TITLE_MAX = 60
#: An unnumbered line between articles up to this length (blanks ignored) can head them.
UNNUMBERED_HEADING_MAX = 20
#: How many issuer lines a signature above the closing date may have.
SIGNATURE_LINES = 3
#: How many lines above the first heading the title of an issued document may stand (a version
#: line and an introductory paragraph can come between them).
ISSUED_TITLE_LOOKBACK = 4
#: Characters after which a new line starts a new paragraph rather than continuing a sentence.
TERMINATORS = "。；;：:！？!?…" + P.CLOSERS

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class _Line:
    start: int  # offset of the first character of the line
    end: int  # offset of the newline (or end of text)
    lead: int  # offset of the first non-blank character (== end for a blank line)

    @property
    def blank(self) -> bool:
        return self.lead >= self.end


@dataclass
class _Cand:
    """A line that looks like a heading."""

    kind: str
    label: str
    number: int | None
    heading: str
    body_start: int  # where sentence text starts (absolute offset)
    weak_digit: bool = False  # "1.80…": accepted only where it continues a list
    tight: bool = False  # 第X条 glued to its text: accepted only as the next article
    hint: int | None = None  # level of a HeadingHint covering the line
    next_item3: bool = False  # the next line is item "2." (lets a weak "1.80…" stand)
    sentence_only: bool = False  # the heading is the whole line and a full sentence


@dataclass
class _Table:
    first: int  # first line index (the title line if any)
    last: int  # last line index
    title: str
    header: tuple[str, ...]
    rows: list[tuple[int, tuple[str, ...]]]  # (line index, cells)


@dataclass
class _Node:
    kind: str
    start: int
    label: str = ""
    number: int | None = None
    heading: str = ""
    body_start: int = 0
    rank: int = 0
    parent: "_Node | None" = None
    children: list["_Node"] = field(default_factory=list)
    sentences: bool = True  # False for toc and table title blocks
    sealed: bool = False  # a block that ended: body text after it opens a paragraph
    tail: str = ""  # last non-blank character of the text so far
    paras: int = 0  # body paragraphs after the heading line
    after_semicolon: bool = False  # the previous sibling list item ended with ；
    hint: int | None = None  # style level of a heading known only from a HeadingHint


# --------------------------------------------------------------------------------------------
# lines and labels


def _split_lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    n = len(text)
    while pos <= n:
        end = text.find("\n", pos)
        if end < 0:
            end = n
        m = P.LEADING_BLANKS.match(text, pos, end)
        lead = m.end() if m else pos
        lines.append(_Line(pos, end, lead))
        pos = end + 1
    return lines


def _squeeze(text: str) -> str:
    """Heading text with blank runs removed between CJK characters, else reduced to one space."""

    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not before or not after or _CJK.match(before) or _CJK.match(after):
            return ""
        return " "

    return P.BLANK_RUN.sub(repl, text).strip(P.BLANK_CHARS)


def _label(text: str) -> str:
    """A label as matched, without blanks, with ASCII brackets made full-width."""
    return P.BLANK_RUN.sub("", text).replace("(", "（").replace(")", "）")


def _last_char(text: str) -> str:
    s = text.rstrip(P.BLANK_CHARS + "\n")
    return s[-1] if s else ""


def _split_item_line(rest: str, rest_start: int) -> tuple[str, int]:
    """(heading, body_start) for a list item whose text after the label is ``rest``.

    * a short lead sentence followed by more text: heading = the lead ("健全社会救助体系。");
    * a short line ending in 。/！/？: heading = the whole line ("（一）指导思想。");
    * a line without end punctuation up to TITLE_MAX chars: heading = the line ("一、总体要求");
    * anything else (a clause ending in ；or ：, a long sentence): running text, heading "".

    Sentences start at the label for the first two (the lead is itself a statement) and after the
    line for titles.
    """
    stripped = rest.rstrip(P.BLANK_CHARS)
    if not stripped:
        return "", rest_start
    m = P.LEAD_END.search(stripped)
    if m and m.end() < LEAD_MAX:
        end = m.end()
        while end < len(stripped) and stripped[end] in P.CLOSERS:  # closing quotes stay with it
            end += 1
        return _squeeze(stripped[:end]), rest_start
    if m is None and stripped[-1] not in P.CLAUSE_END_CHARS and len(stripped) <= TITLE_MAX:
        return _squeeze(stripped), rest_start + len(rest)
    return "", rest_start


def _is_sentence_only(heading: str, rest: str) -> bool:
    """Whether an item's heading is its whole line and that line is one full sentence."""
    return bool(heading) and heading[-1] in "。！？!?" and heading == _squeeze(rest)


def _classify(line: str, offset: int) -> _Cand | None:
    """The heading a line (without its leading blanks) starts, if it looks like one.

    ``offset`` is where ``line`` starts in the document. Pure pattern work; the parser decides
    whether weak candidates stand.
    """
    s = fullwidth_to_ascii(line)
    end = len(s.rstrip(P.BLANK_CHARS))
    if end == 0:
        return None

    def after(m: re.Match[str]) -> tuple[int, str]:
        k = m.end()
        while k < len(s) and s[k] in P.BLANK_CHARS:
            k += 1
        return k, s[k:end]

    for kind, pat in (("part", P.PART), ("chapter", P.CHAPTER), ("section", P.SECTION)):
        m = pat.match(s)
        if m:
            k, rest = after(m)
            glued = k == m.end() and k < end
            if glued and (len(rest) > 30 or P.SENTENCE_PUNCT.search(rest)):
                return None  # 第三章规定的… is a reference, not a heading
            return _Cand(kind, _label(m.group(0)), parse_number(m.group("num")), _squeeze(rest),
                         offset + len(line))
    m = P.ARTICLE.match(s)
    if m:
        k, rest = after(m)
        heading = ""
        body = offset + k
        t = P.ARTICLE_TITLE.match(s, k)
        if t:
            heading = _squeeze(t.group(0)[1:-1])
            body = offset + t.end()
        return _Cand("article", _label(m.group(0)), parse_number(m.group("num")), heading, body,
                     tight=k == m.end() and k < end)
    m = P.ANNEX.match(s)
    if m and (m.group("num") or m.group("colon") or m.end() >= end):
        k, rest = after(m)
        if len(rest) <= TITLE_MAX and not P.LEAD_END.search(rest):
            num = P.BLANK_RUN.sub("", m.group("num") or "")
            return _Cand("annex", "附件" + num, parse_number(num) if num else None, _squeeze(rest),
                         offset + len(line))
    m = P.BOX.match(s)
    if m and (m.group("num") or m.group("colon")):
        k, rest = after(m)
        if len(rest) <= TITLE_MAX and not P.LEAD_END.search(rest):
            num = m.group("num")
            return _Cand("box", "专栏" + (num or ""), parse_number(num) if num else None,
                         _squeeze(rest), offset + len(line))
    for kind, pat in (("item2", P.ITEM2), ("item4", P.ITEM4), ("item1", P.ITEM1), ("item5", P.ITEM5)):
        m = pat.match(s)
        if m:
            k, rest = after(m)
            heading, body = _split_item_line(s[k:], offset + k)
            return _Cand(kind, _label(m.group(0)), parse_number(m.group("num")), heading, body,
                         sentence_only=_is_sentence_only(heading, s[k:end]))
    m = P.ITEM3.match(s)
    if m:
        label_end = m.end("sep")
        k = label_end
        while k < len(s) and s[k] in P.BLANK_CHARS:
            k += 1
        if k >= end:
            return None  # "1." alone on a line is a stray number, not a heading
        heading, body = _split_item_line(s[k:], offset + k)
        return _Cand("item3", _label(s[:label_end]), int(m.group("num")), heading, body,
                     weak_digit=m.group("digit") is not None and k == label_end,
                     sentence_only=_is_sentence_only(heading, s[k:end]))
    return None


# --------------------------------------------------------------------------------------------
# block detection: tables, tables of contents, unnumbered headings, issued-document titles


def _line_index(lines: list[_Line], offset: int) -> int:
    lo, hi = 0, len(lines) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _cells(text: str) -> tuple[str, ...]:
    return tuple(_squeeze(c) for c in text.strip(P.BLANK_CHARS).split("\t"))


def _prev_nonblank(lines: list[_Line], i: int, floor: int = 0) -> int | None:
    j = i - 1
    while j >= floor and lines[j].blank:
        j -= 1
    return j if j >= floor else None


def _next_nonblank(lines: list[_Line], i: int) -> int | None:
    j = i + 1
    while j < len(lines) and lines[j].blank:
        j += 1
    return j if j < len(lines) else None


def _tables(document: Document, lines: list[_Line], text: str) -> dict[int, _Table]:
    """Table blocks by first line: ``Document.tables`` first, then tab-separated text blocks."""
    taken: set[int] = set()
    found: dict[int, _Table] = {}

    def title_before(first: int) -> tuple[int, str]:
        j = _prev_nonblank(lines, first)
        if j is not None and j not in taken:
            ln = text[lines[j].lead:lines[j].end]
            if "\t" not in ln and P.TABLE_TITLE.match(ln) and _classify(ln, lines[j].lead) is None:
                return j, _squeeze(ln)
        return first, ""

    for table in sorted(document.tables, key=lambda t: t.char_start):
        start = max(0, min(table.char_start, len(text)))
        stop = max(start, min(table.char_end, len(text)))
        if stop <= start:
            continue
        first = _line_index(lines, start)
        last = _line_index(lines, stop - 1)
        if any(i in taken for i in range(first, last + 1)):
            continue
        header = tuple(_squeeze(h) for h in table.header)
        rows: list[tuple[int, tuple[str, ...]]] = []
        content = [i for i in range(first, last + 1) if not lines[i].blank]
        names = {h for h in header if h}
        if table.rows and len(content) >= len(table.rows):
            # One line per row, header line(s) first: take the cells from the table itself,
            # where empty cells keep their columns.
            rows = [(i, tuple(_squeeze(c) for c in cells))
                    for i, cells in zip(content[len(content) - len(table.rows):], table.rows)]
        else:
            for i in content:
                cells = _cells(text[lines[i].start:lines[i].end])
                # The header's own lines (a title row, a repeated or split header) come first.
                if not rows and names and {c for c in cells if c} <= names:
                    continue
                rows.append((i, cells))
        taken.update(range(first, last + 1))
        tfirst, title = title_before(first)
        if not title and len(names) == 1:
            title = next(iter(names))  # a lone header cell is the table's title
        taken.add(tfirst)
        found[tfirst] = _Table(tfirst, last, title, header, rows)

    i = 0
    while i < len(lines):
        if i in taken or lines[i].blank or not _is_tab_row(text, lines[i]):
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(lines) and j not in taken:
            if lines[j].blank:
                j += 1
                continue
            if not _is_tab_row(text, lines[j]):
                break
            run.append(j)
            j += 1
        tfirst, title = title_before(i)
        if len(run) >= 2 or title:
            all_cells = [_cells(text[lines[k].start:lines[k].end]) for k in run]
            text_header: tuple[str, ...] = ()
            text_rows = list(zip(run, all_cells))
            if len(run) >= 2:
                text_header, text_rows = all_cells[0], text_rows[1:]
            taken.update(range(tfirst, run[-1] + 1))
            found[tfirst] = _Table(tfirst, run[-1], title, text_header, text_rows)
        i = run[-1] + 1
    return found


def _is_tab_row(text: str, line: _Line) -> bool:
    content = text[line.lead:line.end].rstrip(P.BLANK_CHARS)
    return "\t" in content and sum(1 for c in content.split("\t") if c.strip(P.BLANK_CHARS)) >= 2


def _tocs(lines: list[_Line], text: str, cands: dict[int, _Cand]) -> tuple[dict[int, int], set[int]]:
    """Tables of contents as {first line: last line}, and the unnumbered lines they list
    (序言 in "序 言……2") where those lines end a table of contents: headings by its word.

    A 目录 line starts one. Its entries are the lines after it that end in leader dots and a page
    number ("第一章 总纲……4"), or are short and free of 。; it ends before the first line that
    repeats an entry (by label or by text): that is where the document itself starts. Without a
    marker, a run of three or more leader-dot lines is one, and so is a run of three or more
    篇/章/节 lines with nothing between them whose first label reappears later.
    """
    found: dict[int, int] = {}
    used: set[int] = set()
    listed: set[int] = set()

    def heading_key(i: int) -> tuple[str, int | None] | None:
        c = cands.get(i)
        return (c.kind, c.number) if c else None

    def short(i: int) -> bool:
        s = text[lines[i].lead:lines[i].end].strip(P.BLANK_CHARS)
        return len(s) <= TITLE_MAX and "。" not in s

    def leader(i: int) -> re.Match[str] | None:
        return P.TOC_LEADER.search(text, lines[i].lead, lines[i].end)

    for i, ln in enumerate(lines):
        if ln.blank or i in used or not P.TOC_MARKER.match(text, ln.lead, ln.end):
            continue
        seen_text: set[str] = set()
        seen_key: set[tuple[str, int | None]] = set()
        last = i
        j = i + 1
        while j < len(lines):
            if lines[j].blank:
                j += 1
                continue
            m = leader(j)
            entry = P.BLANK_RUN.sub("", text[lines[j].lead:m.start() if m else lines[j].end])
            key = heading_key(j)
            if m is None and (entry in seen_text or key in seen_key or not short(j)):
                if entry in seen_text and key is None:
                    listed.add(j)
                break
            seen_text.add(entry)
            if key is not None:
                seen_key.add(key)
            last = j
            j += 1
        found[i] = last
        used.update(range(i, last + 1))

    i = 0
    while i < len(lines):
        if i in used or lines[i].blank or not leader(i):
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(lines) and j not in used and (lines[j].blank or leader(j)):
            if not lines[j].blank:
                run.append(j)
            j += 1
        if len(run) >= 3:
            found[i] = run[-1]
            used.update(range(i, run[-1] + 1))
        i = run[-1] + 1

    order = sorted(cands)
    idx = 0
    while idx < len(order):
        i = order[idx]
        if i in used or cands[i].kind not in ("part", "chapter", "section"):
            idx += 1
            continue
        run = [i]
        k = idx + 1
        while k < len(order):
            j = order[k]
            between = range(run[-1] + 1, j)
            if j in used or cands[j].kind not in ("part", "chapter", "section"):
                break
            if any(not lines[b].blank for b in between):
                break
            run.append(j)
            k += 1
        key = (cands[i].kind, cands[i].number)
        later = [j for j in order[k:] if (cands[j].kind, cands[j].number) == key]
        if len(run) >= 3 and later:
            found[i] = run[-1]
            used.update(range(i, run[-1] + 1))
            idx = k
        else:
            idx += 1
    return found, listed


def _hint_levels(document: Document, lines: list[_Line]) -> dict[int, int]:
    levels: dict[int, int] = {}
    for hint in document.hints:
        if 0 <= hint.char_start < max(len(document.text), 1):
            i = _line_index(lines, hint.char_start)
            levels[i] = min(levels.get(i, hint.level), hint.level)
    return levels


def _candidates(document: Document, lines: list[_Line], tables: dict[int, _Table]) -> dict[int, _Cand]:
    """Heading candidates by line index: labelled lines, unnumbered lines between articles, and
    short styled lines (HeadingHints), outside tables; wrapped continuations dropped (PDF)."""
    text = document.text
    in_table: set[int] = set()
    for t in tables.values():
        in_table.update(range(t.first, t.last + 1))
    hints = _hint_levels(document, lines)
    cands: dict[int, _Cand] = {}
    for i, ln in enumerate(lines):
        if ln.blank or i in in_table or P.TOC_LEADER.search(text, ln.lead, ln.end):
            continue
        c = _classify(text[ln.lead:ln.end], ln.lead)
        if c is not None:
            c.hint = hints.get(i)
            cands[i] = c

    if document.format in ("pdf", "ofd"):
        _drop_wrapped(lines, text, cands)

    # Unnumbered headings between articles (预防、康复和医疗), and short styled lines. A styled
    # first line is the document's title unless later lines share its style level.
    seen_article = False
    first_content = next((i for i, ln in enumerate(lines) if not ln.blank), None)
    title_is_heading = first_content in hints and any(
        level == hints[first_content] for i, level in hints.items() if i != first_content)
    absorbed: set[int] = set()
    for i, ln in enumerate(lines):
        if i in absorbed:
            continue
        if i in cands:
            seen_article = seen_article or cands[i].kind == "article"
            continue
        if ln.blank or i in in_table:
            continue
        s = text[ln.lead:ln.end].strip(P.BLANK_CHARS)
        compact = P.BLANK_RUN.sub("", s)
        plain = not P.SENTENCE_PUNCT.search(s) and not P.LEAD_END.search(s)
        nxt = _next_nonblank(lines, i)
        if (seen_article and plain and len(compact) <= UNNUMBERED_HEADING_MAX
                and nxt is not None and nxt in cands and cands[nxt].kind == "article"):
            cands[i] = _Cand("heading", "", None, _squeeze(s), ln.end)
        elif i in hints and plain and len(compact) <= LEAD_MAX and (i != first_content or title_is_heading):
            heading, end = _squeeze(s), ln.end
            # A styled title wrapped over two lines ("新冠肺炎核酸检测初筛" / "阳性人员管理指南").
            j = i + 1
            while (j < len(lines) and not lines[j].blank and j not in cands and j not in in_table
                   and hints.get(j) == hints[i] and len(heading) <= LEAD_MAX):
                more = text[lines[j].lead:lines[j].end]
                if P.SENTENCE_PUNCT.search(more) or P.LEAD_END.search(more):
                    break
                heading += _squeeze(more)
                end = lines[j].end
                absorbed.add(j)
                j += 1
            cands[i] = _Cand("heading", "", None, heading, end, hint=hints[i])

    return cands


def _issued_title(lines: list[_Line], text: str, cands: dict[int, _Cand]) -> None:
    """The title of a document issued by a notice (…印发《X》… then a line "X" shortly before
    the first numbered heading) heads a label-less annex, so the notice stays apart from what it
    issues; styled lines above it belong to the notice's title block."""
    numbered = [i for i, c in cands.items() if c.hint is None or c.label]
    if not numbered:
        return
    first_content = next((i for i, ln in enumerate(lines) if not ln.blank), None)
    j: int | None = min(numbered)
    for _ in range(ISSUED_TITLE_LOOKBACK):
        j = _prev_nonblank(lines, j) if j is not None else None
        if j is None or j == first_content:
            return
        title = _squeeze(text[lines[j].lead:lines[j].end])
        if not 0 < len(title) <= LEAD_MAX or P.SENTENCE_PUNCT.search(title):
            continue
        before = "".join(P.BLANK_RUN.sub("", text[: lines[j].start]).split())
        if "《" + title + "》" in before or "印发" + title in before:
            for k in [k for k, c in cands.items() if k < j and c.kind == "heading" and c.hint is not None]:
                del cands[k]
            cands[j] = _Cand("annex", "", None, title, lines[j].end)
            return


def _titles_below(lines: list[_Line], text: str, cands: dict[int, _Cand], tables: dict[int, _Table]) -> None:
    """"附件1" or "专栏2" alone on its line takes the short line under it as its title."""
    in_table = {i for t in tables.values() for i in range(t.first, t.last + 1)}
    for i, c in sorted(cands.items()):
        if i not in cands or c.kind not in ("annex", "box") or c.heading:
            continue
        j = _next_nonblank(lines, i)
        if j is None or j in in_table or (j in cands and cands[j].kind != "heading"):
            continue
        below = cands.get(j)
        title = below.heading if below else _squeeze(text[lines[j].lead:lines[j].end])
        if len(title) <= LEAD_MAX and not P.SENTENCE_PUNCT.search(title) and not P.LEAD_END.search(title):
            c.heading = title
            c.body_start = below.body_start if below else lines[j].end
            cands.pop(j, None)


def _drop_wrapped(lines: list[_Line], text: str, cands: dict[int, _Cand]) -> None:
    """In hard-wrapped text (PDF), a label-like start of a line that continues a full-width line
    ending mid-sentence is a wrapped continuation ("…增长\\n1.5倍…"), not a heading."""
    lengths = sorted(ln.end - ln.lead for ln in lines if not ln.blank)
    if len(lengths) < 10:
        return
    width = lengths[int(len(lengths) * 0.9)]
    for i in sorted(cands):
        j = _prev_nonblank(lines, i)
        if j is None or j in cands or cands[i].hint is not None:
            continue
        prev = text[lines[j].lead:lines[j].end].rstrip(P.BLANK_CHARS)
        if len(prev) >= 0.85 * width and prev and prev[-1] not in TERMINATORS:
            del cands[i]


# --------------------------------------------------------------------------------------------
# the tree


def _closes(top: _Node, kind: str, rank: int) -> bool:
    """Whether the open section ``top`` ends where a heading of ``kind``/``rank`` starts."""
    if top.kind == "root":
        return False
    if kind == "annex":
        return True
    if top.kind == "annex":
        return False
    if top.kind in LEAF_KINDS:
        return True
    if kind in STRUCTURAL_KINDS:
        return top.kind not in STRUCTURAL_KINDS or top.rank >= rank
    if kind == "box":
        return top.kind == "box"
    # kind is a list item
    if top.kind == "heading" and top.hint is not None:
        # A styled subheading inside a list item ends where that item does.
        node = top.parent
        while node is not None and node.kind in ITEM_KINDS + ("box", "heading") and not (
                node.kind == "heading" and node.hint is None):
            if node.kind in ITEM_KINDS and node.rank >= rank:
                return True
            node = node.parent
        return False
    if top.kind in STRUCTURAL_KINDS:
        return False
    if top.kind == "box":
        parent = top.parent
        if parent is not None and parent.kind in ITEM_KINDS:
            return rank <= parent.rank
        items = [c.rank for c in top.children if c.kind in ITEM_KINDS]
        return rank < items[0] if items else rank <= RANK["item2"]
    return top.rank >= rank


class _Builder:
    """Builds the node tree line by line with a stack of open sections."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        self.text = document.text
        self.root = _Node("root", 0, sentences=False)
        self.stack: list[_Node] = [self.root]
        self.nodes: list[_Node] = [self.root]
        self.last_article = 0

    def add(self, node: _Node, parent: _Node) -> _Node:
        node.parent = parent
        if node.kind in ITEM_KINDS:
            prev = next((c for c in reversed(parent.children) if c.kind == node.kind), None)
            node.after_semicolon = prev is not None and prev.tail in "；;"
        parent.children.append(node)
        self.nodes.append(node)
        self.stack.append(node)
        return node

    def pop_leaves(self) -> None:
        while self.stack[-1].kind in LEAF_KINDS or self.stack[-1].sealed:
            self.stack.pop()

    def open_heading(self, cand: _Cand, line: _Line) -> None:
        rank = RANK.get(cand.kind, 0)
        if cand.kind == "heading":
            rank = self.heading_rank(cand)
        if cand.kind == "heading" and cand.hint is not None:
            self.close_for_styled(cand.hint)
        else:
            while _closes(self.stack[-1], cand.kind, rank):
                self.stack.pop()
        node = _Node(cand.kind, line.start, cand.label, cand.number, cand.heading,
                     body_start=cand.body_start, rank=rank, hint=cand.hint)
        node.tail = _last_char(self.text[line.lead:line.end])
        self.add(node, self.stack[-1])
        if cand.sentence_only and (node.after_semicolon or self.in_article()):
            # One sentence on its own line closing an enumeration "（一）…；（二）…。", or any
            # list item of an article, is running text, not a heading.
            node.heading = ""
        if cand.kind == "article" and cand.number is not None:
            self.last_article = cand.number

    def in_article(self) -> bool:
        return any(n.kind == "article" for n in self.stack)

    def close_for_styled(self, level: int) -> None:
        """Before a heading known only from its style: close blocks, and close the styled
        headings of the same or a deeper level still open (with the list items inside them).
        Without such a sibling it nests in whatever is open (a subheading inside a list item)."""
        self.pop_leaves()
        cut = None
        for k in range(len(self.stack) - 1, 0, -1):
            node = self.stack[k]
            if node.kind in ITEM_KINDS or node.kind == "box":
                continue
            if node.kind == "heading" and node.hint is not None and node.hint >= level:
                cut = k
                continue
            break
        if cut is not None:
            del self.stack[cut:]

    def heading_rank(self, cand: _Cand) -> int:
        if cand.hint is not None:
            return 30 + max(1, min(cand.hint, 9))
        # An unnumbered line between articles takes the place of the outermost chapter or section
        # it sits in (法律责任 after 第三章 is a chapter whose label the source lost); without
        # one it stands just above the articles.
        for node in self.stack:
            if node.kind in ("chapter", "section", "heading"):
                return node.rank
        return RANK["heading"]

    def accepts(self, cand: _Cand) -> bool:
        """Whether a weak candidate stands, given what is open."""
        if cand.hint is not None:
            return True
        if cand.tight and cand.kind == "article":
            return cand.number == self.last_article + 1
        if cand.weak_digit:
            open_item3 = next((n for n in reversed(self.stack) if n.kind == "item3"), None)
            if open_item3 is not None:
                return cand.number == (open_item3.number or 0) + 1
            return cand.number == 1 and cand.next_item3
        return True

    def body_line(self, line: _Line) -> None:
        """A non-blank line that is not a heading."""
        top = self.stack[-1]
        if top.kind == "root":
            kind = "preamble" if not self.root.children else "paragraph"
            self.add(_Node(kind, line.start), self.root)
            self.stack[-1].tail = _last_char(self.text[line.lead:line.end])
            return
        if top.sealed:
            self.pop_leaves()
            self.add(_Node("paragraph", line.start), self.stack[-1])
            self.stack[-1].tail = _last_char(self.text[line.lead:line.end])
            return
        if top.kind in ITEM_KINDS and top.paras == 0 and (
                top.tail in "；;" or (top.tail in "。." and top.after_semicolon)):
            # The line after a one-line enumeration "（一）…；（二）…。" resumes the body above it.
            while (self.stack[-1].kind in ITEM_KINDS and self.stack[-1].paras == 0
                   and (self.stack[-1].tail in "；;"
                        or (self.stack[-1].tail in "。." and self.stack[-1].after_semicolon))):
                self.stack.pop()
            self.add(_Node("paragraph", line.start), self.stack[-1])
            self.stack[-1].tail = _last_char(self.text[line.lead:line.end])
            return
        if top.tail and top.tail in TERMINATORS:
            top.paras += 1
        top.tail = _last_char(self.text[line.lead:line.end]) or top.tail

    def table(self, table: _Table, lines: list[_Line]) -> None:
        self.pop_leaves()
        node = self.add(_Node("table", lines[table.first].start, heading=table.title, sentences=False),
                        self.stack[-1])
        for n, (i, cells) in enumerate(table.rows, 1):
            # Column names only from a real header row: a lone title cell names no columns.
            if sum(1 for h in table.header if h) >= 2 and len(table.header) >= len(cells):
                parts = [f"{h}: {c}" if h else c for h, c in zip(table.header, cells) if c]
            else:
                parts = [c for c in cells if c]
            row = _Node("table_row", lines[i].start, number=n, heading=" | ".join(parts),
                        body_start=lines[i].start)
            row.parent = node
            node.children.append(row)
            self.nodes.append(row)
        node.sealed = True

    def colophon(self, line: _Line) -> None:
        """The closing signature and 版记: a child of the root, outside every heading, with no
        sentences."""
        del self.stack[1:]
        self.add(_Node("colophon", line.start, sentences=False), self.root).sealed = True

    def toc(self, first: int, lines: list[_Line]) -> None:
        while _closes(self.stack[-1], "chapter", 0):
            self.stack.pop()
        node = _Node("toc", lines[first].start, label="目录", sentences=False)
        self.add(node, self.stack[-1])
        node.sealed = True


def _build(document: Document) -> _Node:
    text = document.text
    lines = _split_lines(text)
    tables = _tables(document, lines, text)
    cands = _candidates(document, lines, tables)
    tocs, listed = _tocs(lines, text, cands)
    for first, last in tocs.items():
        for i in range(first, last + 1):
            cands.pop(i, None)
    for i in listed:
        title = _squeeze(text[lines[i].lead:lines[i].end])
        cands.setdefault(i, _Cand("heading", "", None, title, lines[i].end))
    # "1.80周岁…" stands as item 1 only when a "2." follows.
    for i, c in cands.items():
        if c.weak_digit and c.number == 1:
            j = _next_nonblank(lines, i)
            nxt = cands.get(j) if j is not None else None
            c.next_item3 = nxt is not None and nxt.kind == "item3" and nxt.number == 2
    _issued_title(lines, text, cands)
    _titles_below(lines, text, cands, tables)

    end = _colophon_start(lines, text, cands, tables)
    b = _Builder(document)
    i = 0
    while i < end:
        ln = lines[i]
        if i in tables:
            b.table(tables[i], lines)
            i = tables[i].last + 1
            continue
        if i in tocs:
            b.toc(i, lines)
            i = tocs[i] + 1
            continue
        cand = cands.get(i)
        if cand is not None and b.accepts(cand):
            b.open_heading(cand, ln)
        elif not ln.blank:
            b.body_line(ln)
        i += 1

    headings = [n for n in b.nodes if n.kind not in ("root", "preamble")]
    if not headings:
        return _paragraphs(document, lines[:end], lines[end:])
    if end < len(lines):
        b.colophon(lines[end])
    return b.root


def _colophon_start(lines: list[_Line], text: str, cands: dict[int, _Cand], tables: dict[int, _Table]) -> int:
    """Index of the first line of the closing block, or ``len(lines)`` when there is none.

    The block is the 版记 (lines such as 公开方式：主动公开 or "…2022年9月13日印发") and the
    signature above it: a date alone on its line and up to :data:`SIGNATURE_LINES` short issuer
    lines right above the date.
    """
    in_table = {i for t in tables.values() for i in range(t.first, t.last + 1)}

    def free(i: int) -> bool:
        return i not in cands and i not in in_table

    content = [i for i, ln in enumerate(lines) if not ln.blank]

    def line(k: int) -> str:
        return text[lines[content[k]].lead:lines[content[k]].end]

    k = len(content)
    while k > 0 and free(content[k - 1]) and P.COLOPHON.match(line(k - 1)):
        k -= 1
    # "…自下列日期起施行：\n2020年1月1日" is text, not a signature.
    if (k > 1 and free(content[k - 1]) and P.DATE_LINE.match(line(k - 1))
            and _last_char(line(k - 2)) not in P.CLAUSE_END_CHARS):
        k -= 1
        for _ in range(SIGNATURE_LINES):
            if k <= 1 or not free(content[k - 1]):
                break
            ln = lines[content[k - 1]]
            issuer = text[ln.lead:ln.end].strip(P.BLANK_CHARS)
            if len(issuer) > LEAD_MAX or P.SENTENCE_PUNCT.search(issuer) or P.LEAD_END.search(issuer):
                break
            k -= 1
    return content[k] if k < len(content) else len(lines)


def _paragraphs(document: Document, lines: list[_Line], colophon: list[_Line]) -> _Node:
    """A document without headings: one paragraph per blank-line-separated block, or per line
    (then the 版记, if ``colophon`` holds its lines)."""
    root = _Node("root", 0, sentences=False)
    content = [i for i, ln in enumerate(lines) if not ln.blank]
    blocks: list[int] = []
    has_blank_gaps = any(lines[k].blank for a, b in zip(content, content[1:]) for k in range(a + 1, b))
    for k, i in enumerate(content):
        if not has_blank_gaps or k == 0 or content[k - 1] != i - 1:
            blocks.append(i)
    for n, i in enumerate(blocks, 1):
        node = _Node("paragraph", lines[i].start, number=n, body_start=lines[i].start, parent=root)
        root.children.append(node)
    first = next((ln for ln in colophon if not ln.blank), None)
    if first is not None:
        root.children.append(_Node("colophon", first.start, sentences=False, parent=root))
    return root


# --------------------------------------------------------------------------------------------
# freezing


def _preorder(node: _Node) -> list[_Node]:
    out = [node]
    for child in node.children:
        out.extend(_preorder(child))
    return out


def _assign_ids(node: _Node, prefix: str, ids: dict[int, str]) -> None:
    used: set[str] = set()
    ordinal: dict[str, int] = {}
    for child in node.children:
        p = ID_PREFIX.get(child.kind, child.kind)
        if child.kind in ("preamble", "toc", "colophon"):
            base = p
        elif child.number is not None:
            base = f"{p}{child.number}"
        else:
            ordinal[p] = ordinal.get(p, 0) + 1
            base = f"{p}{ordinal[p]}"
        key, k = base, 1
        while key in used:
            k += 1
            key = f"{base}_{k}"
        used.add(key)
        ids[id(child)] = f"{prefix}.{key}" if prefix else key
        _assign_ids(child, ids[id(child)], ids)


def _path_part(node: _Node) -> str:
    if node.label:
        return node.label
    if node.kind in ("heading", "annex", "box", "table"):
        return node.heading
    return ""


def _freeze(document: Document, root: _Node) -> Section:
    text = document.text
    order = _preorder(root)
    own_end: dict[int, int] = {}
    for k, node in enumerate(order):
        own_end[id(node)] = order[k + 1].start if k + 1 < len(order) else len(text)
    ids: dict[int, str] = {}
    _assign_ids(root, "", ids)

    def last_page(start: int, end: int) -> int:
        k = end
        while k > start and (text[k - 1] in P.BLANK_CHARS or text[k - 1].isspace()):
            k -= 1
        return document.page_at(max(start, k - 1))

    def freeze(node: _Node, path: tuple[str, ...], level: int) -> Section:
        part = _path_part(node) if node.kind != "root" else ""
        my_path = path + (part,) if part else path
        children = tuple(freeze(c, my_path, level + 1) for c in node.children)
        own_start = node.start
        own_stop = own_end[id(node)] if node.kind != "root" else (
            node.children[0].start if node.children else len(text))
        end = children[-1].char_end if children else own_stop
        if node.kind == "root":
            end = len(text)
        sentences: tuple[Span, ...] = ()
        if node.sentences and node.kind != "root":
            s0 = min(max(node.body_start, own_start), own_stop)
            sentences = tuple(split_sentences(text[s0:own_stop], s0))
        sid = document.id if node.kind == "root" else f"{document.id}/{ids[id(node)]}"
        return Section(
            id=sid, kind=node.kind, level=level, label=node.label, number=node.number,
            heading=node.heading, path=my_path, char_start=own_start, char_end=end,
            own_start=own_start, own_end=own_stop, page_start=document.page_at(own_start),
            page_end=last_page(own_start, end), sentences=sentences, children=children,
        )

    return freeze(root, (), 0)


def parse(document: Document) -> ParsedDocument:
    """The section tree of ``document`` (see the module docstring for the rules).

    Never raises on odd text: every character of ``document.text`` lands in the own span of
    exactly one section, and a document without headings yields paragraph sections.
    """
    return ParsedDocument(document=document, root=_freeze(document, _build(document)))


def article_paragraphs(section: Section, text: str) -> list[Span]:
    """The 款 (paragraphs) of an article: one span per non-blank line of its own body after the
    label (and its 【title】, if any), then those of its ``paragraph`` children (body resumed
    after a list). List items inside the article ((一)(二)…) are its children and not included.
    ``text`` is ``Document.text``; spans exclude surrounding blanks.
    """
    spans: list[Span] = []

    def lines_of(start: int, end: int) -> None:
        spans.extend(Span(a, b) for a, b in _trimmed_lines(text, start, end))

    start = _skip_blanks(text, section.own_start)
    head = fullwidth_to_ascii(text[start:section.own_end])
    m = P.ARTICLE.match(head)
    if m:
        start += m.end()
        t = P.ARTICLE_TITLE.match(text, _skip_blanks(text, start))
        if t:
            start = t.end()
    lines_of(start, section.own_end)
    for child in section.children:
        if child.kind == "paragraph":
            lines_of(child.own_start, child.own_end)
    return spans


def _trimmed_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines of ``text[start:end]`` as (start, end) offsets without surrounding blanks."""
    out = []
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        if stop < 0:
            stop = end
        a, b = pos, stop
        while a < b and (text[a] in P.BLANK_CHARS or text[a].isspace()):
            a += 1
        while b > a and (text[b - 1] in P.BLANK_CHARS or text[b - 1].isspace()):
            b -= 1
        if b > a:
            out.append((a, b))
        pos = stop + 1
    return out


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in P.BLANK_CHARS:
        pos += 1
    return pos
