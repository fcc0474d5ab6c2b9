"""Cut parsed documents into the units the aligner compares.

Directives: in laws and regulations, one per article (第X条, the label left out of the span); in
other documents, one per sentence that asks for an action, with a very short lead sentence
("全面实施全民参保计划。") kept together with the sentence it introduces; indicator-table rows.
Purely descriptive sentences (no action verb or modal) are not directives.

Plan units: paragraphs (款) and list items; a paragraph longer than ``MAX_UNIT_CHARS`` is cut into
runs of whole sentences, so that every unit is short enough to check at a glance.

Every unit keeps its document, page, section path, character offsets into ``Document.text`` and
the heading that governs it (``context``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from alignment.align.lexicon import actions_in, strength_of
from alignment.schema import Directive, Document, ParsedDocument, Section, Unit

#: A plan paragraph longer than this is cut into runs of sentences.
MAX_UNIT_CHARS = 200
#: A directive sentence shorter than this is a lead phrase: it joins the sentence after it.
MIN_SENTENCE_CHARS = 12

# Sentence ends: 。！？ (and ；… is kept inside a sentence: a directive is a sentence), then any
# closing quotes or brackets that belong to it.
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
# The article label at the start of an article's own span: 第十二条 followed by spaces.
_ARTICLE_LABEL = re.compile(r"\s*第[零〇一二三四五六七八九十百千\d]+条[\s\u3000]*")
# Kinds of section that hold no directive or plan text of their own.
_SKIP_KINDS = {"toc", "root", "colophon"}
# Headings of parts that review past work rather than direct future work.
_REVIEW_HEADING = re.compile(r"回顾|成就|过去|取得的|工作总结")
#: Articles about the text itself, which no plan implements: when it takes effect, who interprets it,
#: what it repeals (本条例自2015年1月1日起施行。/ 本办法由市民政局负责解释。/ …同时废止。).
_FORMAL_ARTICLE = re.compile(
    r"^(?:本(?:法|条例|办法|规定|细则|决定|实施办法|意见|通知)(?:[^。；]{0,40}))?"
    r"(?:自[^。；]{1,30}(?:起)?(?:施行|实施|生效)(?:[，,][^。；]{0,40})?|由[^。；]{1,30}负责解释|[^。；]{0,60}同时废止)[。；]?"
    r"(?:[^。；]{0,60}同时废止[。；]?)?$"
)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Non-blank lines of ``text[start:end]`` as trimmed (start, end) spans."""
    pos = start
    for line in text[start:end].split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of one line ``text[start:end]``, as trimmed spans."""
    spans = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        spans.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _chunks(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Runs of whole sentences of at most ``limit`` characters (a longer sentence stays whole)."""
    if end - start <= limit:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    cur_s = cur_e = None
    for s, e in _sentences(text, start, end):
        if cur_s is None:
            cur_s, cur_e = s, e
        elif e - cur_s <= limit:
            cur_e = e
        else:
            out.append((cur_s, cur_e))
            cur_s, cur_e = s, e
    if cur_s is not None:
        out.append((cur_s, cur_e))
    return out


def _context(stack: list[Section], text: str) -> str:
    """The nearest governing heading: the innermost ancestor with heading text."""
    for sec in reversed(stack):
        if sec.heading:
            return sec.heading
    return ""


def _walk(section: Section, stack: list[Section]) -> Iterator[tuple[Section, list[Section]]]:
    yield section, stack
    for child in section.children:
        yield from _walk(child, stack + [section])


def _is_article(sec: Section) -> bool:
    return sec.kind == "article"


def _has_articles(root: Section) -> bool:
    return any(_is_article(s) for s in root.walk())


def section_path(stack: list[Section], sec: Section) -> tuple[str, ...]:
    """Labels with their headings from the top, e.g. ('第三章 社会保障与服务', '第二十五条')."""
    path = []
    for s in stack + [sec]:
        if s.kind == "root":
            continue
        name = f"{s.label} {s.heading}".strip() if s.label else s.heading.strip()
        if name:
            path.append(name if len(name) <= 40 else name[:39] + "…")
    return tuple(path)


def _unit(doc: Document, kind: str, start: int, end: int, sec: Section, stack: list[Section], n: int) -> Unit:
    return Unit(
        id=f"{sec.id}#{kind[0]}{n}",
        document=doc.id,
        kind=kind,
        text=doc.text[start:end],
        char_start=start,
        char_end=end,
        page=doc.page_at(start),
        section_path=section_path(stack, sec),
        context=_context(stack + [sec], doc.text),
    )


def _in_review(stack: list[Section], sec: Section) -> bool:
    return any(_REVIEW_HEADING.search(s.heading or "") for s in stack + [sec])


def directive_units(parsed: ParsedDocument) -> list[Directive]:
    """The directives of a parsed document, in document order."""
    doc, root = parsed.document, parsed.root
    out: list[Directive] = []
    if _has_articles(root):
        for sec, stack in _walk(root, []):
            if not _is_article(sec):
                continue
            m = _ARTICLE_LABEL.match(doc.text, sec.own_start, sec.char_end)
            start = m.end() if m else sec.own_start
            end = sec.char_end
            while end > start and doc.text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            if _FORMAL_ARTICLE.match(doc.text[start:end].strip()):
                continue
            unit = _unit(doc, "article", start, end, sec, stack, 1)
            out.append(Directive(unit=unit, strength=strength_of(unit.text), actions=actions_in(unit.text)))
        return out
    for sec, stack in _walk(root, []):
        if sec.kind in _SKIP_KINDS or sec.kind == "preamble" or _in_review(stack, sec):
            continue
        if sec.kind == "table_row":
            unit = _unit(doc, "table_row", sec.own_start, sec.own_end, sec, stack, 1)
            out.append(Directive(unit=unit, strength=2, actions=actions_in(unit.text)))
            continue
        n = 0
        for line_s, line_e in _lines(doc.text, sec.own_start, sec.own_end):
            pending: tuple[int, int] | None = None
            for s, e in _sentences(doc.text, line_s, line_e):
                if pending is not None:
                    s = pending[0]
                    pending = None
                if e - s < MIN_SENTENCE_CHARS:
                    pending = (s, e)
                    continue
                text = doc.text[s:e]
                actions = actions_in(text)
                strength = strength_of(text)
                if not actions and not strength:
                    continue
                n += 1
                unit = _unit(doc, "sentence", s, e, sec, stack, n)
                out.append(Directive(unit=unit, strength=strength, actions=actions))
            if pending is not None:
                text = doc.text[pending[0]:pending[1]]
                if actions_in(text) and pending[1] - pending[0] >= 6 and not _is_heading_only(sec, pending):
                    n += 1
                    unit = _unit(doc, "sentence", pending[0], pending[1], sec, stack, n)
                    out.append(Directive(unit=unit, strength=strength_of(text), actions=actions_in(text)))
    return out


def _is_heading_only(sec: Section, span: tuple[int, int]) -> bool:
    """True when ``span`` is just the section's heading line (a heading is not a directive by itself)."""
    return span[0] <= sec.own_start + len(sec.label) + 2 and sec.own_end - span[1] < 3


def plan_units(parsed: ParsedDocument, *, max_chars: int = MAX_UNIT_CHARS) -> list[Unit]:
    """The plan passages of a parsed document, in document order."""
    doc, root = parsed.document, parsed.root
    out: list[Unit] = []
    for sec, stack in _walk(root, []):
        if sec.kind in _SKIP_KINDS:
            continue
        n = 0
        start = sec.own_start
        if _is_article(sec):
            m = _ARTICLE_LABEL.match(doc.text, sec.own_start, sec.own_end)
            start = m.end() if m else start
        for line_s, line_e in _lines(doc.text, start, sec.own_end):
            if sec.kind != "table_row" and line_e - line_s < 8 and not _SENTENCE_END.search(doc.text, line_s, line_e):
                continue  # a bare heading line: context, not a passage
            for s, e in _chunks(doc.text, line_s, line_e, max_chars):
                n += 1
                out.append(_unit(doc, "paragraph", s, e, sec, stack, n))
    return out


def article_groups(units: Iterable[Unit]) -> list[int]:
    """An integer per unit: units of the same section (article) share it."""
    ids: dict[str, int] = {}
    return [ids.setdefault(u.id.split("#")[0], len(ids)) for u in units]
