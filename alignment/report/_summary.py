"""Counts and coverage ratios of a report, overall and per document, level and chapter."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from alignment.report._common import directive_order, document_title, documents_by_id, level_zh, shorten
from alignment.schema import LEVELS, STATUSES, DirectiveResult, Document, Report

# Whitespace inside a heading line, including the full-width space (U+3000) of "第一章　总　　则".
_SPACE = re.compile(r"[\s\u3000]+")
#: A chapter heading longer than this is a heading run into its body text; it is cut.
HEADING_WIDTH = 30


def tally(results: Iterable[DirectiveResult]) -> dict[str, Any]:
    """Counts per status and the two coverage ratios of a group of directives.

    ``coverage`` = (covered + 0.5 * partial) / in_scope and ``addressed`` = (covered + partial) /
    in_scope, both in [0, 1] and rounded to 4 places; ``None`` when no directive is in scope
    (in_scope = total - out_of_scope).
    """
    counts = {s: 0 for s in STATUSES}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    total = sum(counts.values())
    in_scope = total - counts["out_of_scope"]
    if in_scope:
        coverage: float | None = round((counts["covered"] + 0.5 * counts["partial"]) / in_scope, 4)
        addressed: float | None = round((counts["covered"] + counts["partial"]) / in_scope, 4)
    else:
        coverage = addressed = None
    return {
        "total": total,
        "in_scope": in_scope,
        "counts": counts,
        "coverage": coverage,
        "addressed": addressed,
    }


def chapter_heading(doc: Document | None, label: str, before: int) -> str:
    """The heading words after ``label`` on the last line of ``doc`` starting with it before ``before``.

    ``第三章`` in the Shandong 条例 gives ``社会保障与服务``; "" when the document is unknown or no
    such line precedes the offset (the section path holds labels only, not headings). Whitespace
    inside the heading is dropped (``总　　则`` -> ``总则``).
    """
    if doc is None or not label:
        return ""
    pattern = re.compile(rf"(?m)^[ \t\u3000]*{re.escape(label)}(.*)$")
    heading = ""
    for m in pattern.finditer(doc.text):
        if m.start() > before:
            break
        heading = _SPACE.sub("", m.group(1))
    return shorten(heading, HEADING_WIDTH)


def _level(doc: Document | None) -> str:
    return doc.meta.level if doc is not None else "unknown"


def summarize(report: Report) -> dict[str, Any]:
    """Coverage of ``report``: overall, per directive document, per level and per chapter.

    Each group carries :func:`tally`'s fields (``total``, ``in_scope``, ``counts`` per status,
    ``coverage``, ``addressed``). Groups come in reading order: documents as listed in the report,
    levels from central down, chapters (the first element of a directive's section path) in the
    order they appear. Also: ``plan_units`` (count), ``unimplemented_plan_units`` (plan units
    implementing no directive) and ``failures`` (inputs that could not be processed).
    """
    docs = documents_by_id(report)
    ordered = directive_order(report)

    by_doc: dict[str, list[DirectiveResult]] = {
        d.id: [] for d in report.documents if d.meta.role == "directive"
    }
    by_level: dict[str, list[DirectiveResult]] = {}
    by_chapter: dict[tuple[str, str], list[DirectiveResult]] = {}
    for r in ordered:
        unit = r.directive.unit
        by_doc.setdefault(unit.document, []).append(r)
        by_level.setdefault(_level(docs.get(unit.document)), []).append(r)
        chapter = unit.section_path[0] if unit.section_path else ""
        by_chapter.setdefault((unit.document, chapter), []).append(r)

    documents = []
    for doc_id, results in by_doc.items():
        doc = docs.get(doc_id)
        documents.append(
            {
                "document": doc_id,
                "title": document_title(doc_id, docs),
                "level": _level(doc),
                **tally(results),
            }
        )
    level_rank = {lv: i for i, lv in enumerate(LEVELS)}
    levels = [
        {"level": lv, "name": level_zh(lv), **tally(by_level[lv])}
        for lv in sorted(by_level, key=lambda lv: level_rank.get(lv, len(level_rank)))
    ]
    chapters = []
    for (doc_id, chapter), results in by_chapter.items():
        first = results[0].directive.unit.char_start
        chapters.append(
            {
                "document": doc_id,
                "chapter": chapter,
                "heading": chapter_heading(docs.get(doc_id), chapter, first),
                **tally(results),
            }
        )
    return {
        "overall": tally(report.directives),
        "documents": documents,
        "levels": levels,
        "chapters": chapters,
        "plan_units": len(report.plan_units),
        "unimplemented_plan_units": sum(1 for p in report.plan_units if not p.directives),
        "failures": len(report.failures),
    }
