"""A parsed document as JSON-ready data, or as an indented tree for people."""
from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from alignment.schema import ParsedDocument, Section

#: Characters of body text shown after a heading-less label in :func:`tree_text`.
PREVIEW_CHARS = 24

_WHITESPACE = re.compile(r"[\s\u3000\u00a0\u200b]+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _join(m: re.Match[str]) -> str:
    """A run of whitespace in a preview: nothing between Chinese characters, else one space."""
    text = m.string
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return "" if _CJK.match(before) and _CJK.match(after) else " "


def section_dict(section: Section, text: str) -> dict[str, Any]:
    """One section and its descendants as plain data; ``text`` is ``Document.text``.

    ``text`` of a section is its own span (heading line and body before the first child),
    verbatim; ``sentences`` are ``[start, end]`` offsets into ``Document.text``.
    """
    return {
        "id": section.id,
        "kind": section.kind,
        "level": section.level,
        "label": section.label,
        "number": section.number,
        "heading": section.heading,
        "path": list(section.path),
        "char_start": section.char_start,
        "char_end": section.char_end,
        "own_start": section.own_start,
        "own_end": section.own_end,
        "page_start": section.page_start,
        "page_end": section.page_end,
        "text": text[section.own_start:section.own_end],
        "sentences": [[s.char_start, s.char_end] for s in section.sentences],
        "children": [section_dict(c, text) for c in section.children],
    }


def to_dict(parsed: ParsedDocument) -> dict[str, Any]:
    """The document (id, path, format, meta, pages, tables, warnings) and its section tree.

    ``sections`` holds the top-level sections, nested through ``children``. The root itself is
    left out: its own span is only the blank lines before the first section (given as
    ``root_own``), so the own spans listed still cover every non-blank character of the text.
    """
    doc = parsed.document
    root = parsed.root
    return {
        "document": {
            "id": doc.id,
            "path": doc.path,
            "format": doc.format,
            "sha256": doc.sha256,
            "chars": len(doc.text),
            "pages": len(doc.pages) or 1,
            "tables": len(doc.tables),
            "meta": asdict(doc.meta),
            "warnings": list(doc.warnings),
        },
        "root_own": [root.own_start, root.own_end],
        "sections": [section_dict(c, doc.text) for c in root.children],
    }


def _pages(section: Section) -> str:
    if section.page_start == section.page_end:
        return f"p{section.page_start}"
    return f"p{section.page_start}-{section.page_end}"


def _preview(section: Section, text: str) -> str:
    if not section.sentences:
        return ""
    first = section.sentences[0]
    snippet = _WHITESPACE.sub(_join, text[first.char_start:section.own_end]).strip()
    if len(snippet) > PREVIEW_CHARS:
        snippet = snippet[:PREVIEW_CHARS] + "…"
    return snippet


def tree_text(parsed: ParsedDocument) -> str:
    """An indented outline: one line per section with its label, heading (or, for sections with
    none, the start of their text after "·"), pages and size in characters."""
    doc = parsed.document
    text = doc.text
    title = doc.meta.title or doc.id
    lines = [f"{title}  [{doc.path}, {doc.format}, {len(doc.pages) or 1} page(s), {len(text)} chars]"]

    def walk(section: Section, depth: int) -> None:
        label = section.label
        if not label and section.kind not in ("heading", "annex"):
            label = f"[{section.kind}]"
        parts = [label] if label else []
        if section.heading:
            parts.append(section.heading)
        else:
            preview = _preview(section, text)
            if preview:
                parts.append("· " + preview)
        size = section.char_end - section.char_start
        lines.append(f"{'  ' * depth}{' '.join(parts)}  ({_pages(section)}, {size} chars)")
        for child in section.children:
            walk(child, depth + 1)

    for child in parsed.root.children:
        walk(child, 1)
    return "\n".join(lines)
