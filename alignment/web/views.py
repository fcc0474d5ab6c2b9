"""What the workbench pages show, computed from a reviewed :class:`~alignment.schema.Report` (no Flask here).

Every function returns plain dicts and lists for the templates; document text stays plain text
(the templates escape it), except the highlighted texts, which :func:`alignment.report._highlight.highlight`
builds from escaped runs.
"""
from __future__ import annotations

from typing import Any

from alignment.report import summarize
from alignment.report._common import (
    directive_order,
    document_title,
    documents_by_id,
    level_zh,
    location_label,
    section_label,
    status_zh,
    strength_zh,
)
from alignment.report._highlight import highlight
from alignment.schema import STATUSES, DirectiveResult, Document, Match, Report
from alignment.store.review import ACTION_NAMES_ZH, Decision


def percent(ratio: float | None) -> str:
    """``63.6%``, or ``—`` when there is no ratio."""
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def bar(group: dict[str, Any]) -> list[dict[str, Any]]:
    """Stacked-bar segments (status, name, count, x and width in percent) of one summary group."""
    total = group["total"] or 1
    out, x = [], 0.0
    for s in STATUSES:
        n = group["counts"][s]
        if n:
            width = round(100 * n / total, 2)
            out.append({"status": s, "name": status_zh(s), "count": n, "x": round(x, 2), "width": width})
            x += width
    return out


def _group(group: dict[str, Any], name: str, sub: str = "", **link: str) -> dict[str, Any]:
    return {"name": name, "sub": sub, "total": group["total"], "counts": group["counts"],
            "coverage": percent(group["coverage"]), "addressed": percent(group["addressed"]),
            "bar": bar(group), "link": link}


def dashboard(report: Report) -> dict[str, Any]:
    """Counts after review, per document, level and chapter, and how far the review has got."""
    docs = documents_by_id(report)
    summary = summarize(report)
    reviewed = sum(1 for r in report.directives if r.reviewed)
    suspect = sum(1 for r in report.directives if r.review is not None and r.review.suspect)
    overridden = sum(1 for r in report.directives
                     if r.review is not None and r.review.machine_status and r.review.machine_status != r.status)
    return {
        "overall": _group(summary["overall"], "全部要求"),
        "statuses": [{"status": s, "name": status_zh(s), "count": summary["overall"]["counts"][s]} for s in STATUSES],
        "by_document": [_group(g, g["title"], level_zh(g["level"]), document=g["document"])
                        for g in summary["documents"]],
        "by_level": [_group(g, g["name"]) for g in summary["levels"]],
        "by_chapter": [_group(g, f"{g['chapter'] or '（无章节）'} {g['heading']}".strip(),
                              document_title(g["document"], docs), document=g["document"])
                       for g in summary["chapters"]],
        "reviewed": reviewed,
        "suspect": suspect,
        "overridden": overridden,
        "total": len(report.directives),
        "plan_units": summary["plan_units"],
        "failures": [{"path": f.path, "message": f.message} for f in report.failures],
    }


def review_label(match: Match) -> dict[str, Any] | None:
    """A link's review for display: name, reviewer, time, comment, suspect flag."""
    r = match.review
    if r is None:
        return None
    return {"decision": r.decision, "name": ACTION_NAMES_ZH.get(r.decision, r.decision), "reviewer": r.reviewer,
            "time": r.time, "comment": r.comment, "suspect": r.suspect}


def directive_row(result: DirectiveResult, docs: dict[str, Document]) -> dict[str, Any]:
    """One line of the directive list."""
    unit = result.directive.unit
    live = [m for m in result.matches if not (m.review and m.review.decision == "reject" and not m.review.suspect)]
    best = live[0] if live else None
    decisions = [review_label(m) for m in result.matches if m.review is not None]
    return {
        "id": result.directive.id,
        "status": result.status,
        "status_zh": status_zh(result.status),
        "machine_status_zh": status_zh(result.review.machine_status)
        if result.review is not None and result.review.machine_status not in ("", result.status) else "",
        "document": document_title(unit.document, docs),
        "location": location_label(unit, docs),
        "strength": strength_zh(result.directive.strength),
        "text": unit.text,
        "best": {"location": location_label(best.unit, docs), "score": f"{best.score:.2f}"} if best else None,
        "reviewed": result.reviewed,
        "suspect": result.review is not None and result.review.suspect,
        "decisions": decisions,
    }


def directive_list(report: Report) -> list[dict[str, Any]]:
    """The directives in reading order, as rows."""
    docs = documents_by_id(report)
    return [directive_row(r, docs) for r in directive_order(report)]


def directive_page(report: Report, directive_id: str, history: list[Decision]) -> dict[str, Any] | None:
    """One directive beside its candidate plan passages (shared terms highlighted), and its decision log."""
    result = next((r for r in report.directives if r.directive.id == directive_id), None)
    if result is None:
        return None
    docs = documents_by_id(report)
    unit = result.directive.unit
    terms = [t for m in result.matches for t in m.evidence.shared_terms]
    spans = [s for m in result.matches for s in m.evidence.directive_spans]
    units = {p.unit.id: p.unit for p in report.plan_units}
    return {
        **directive_row(result, docs),
        "context": unit.context,
        "section": section_label(unit),
        "actions": "、".join(result.directive.actions),
        "confidence": f"{result.confidence:.2f}",
        "text_html": highlight(unit.text, terms, spans),
        "note": result.note,
        "matches": [{**_passage(m, docs), "review": review_label(m)} for m in result.matches],
        "history": [
            {
                "id": d.id,
                "time": d.time,
                "reviewer": d.reviewer,
                "action": ACTION_NAMES_ZH.get(d.action, d.action),
                "unit": location_label(units[d.unit_id], docs) if d.unit_id in units else d.unit_id,
                "comment": d.comment,
            }
            for d in reversed(history)
        ],
    }


def query_results(result: DirectiveResult, report: Report) -> list[dict[str, Any]]:
    """The passages a query found, for the query box."""
    docs = documents_by_id(report)
    return [_passage(m, docs) for m in result.matches]


def _passage(m: Match, docs: dict[str, Document]) -> dict[str, Any]:
    """A proposed plan passage: where it is, its score, its text with the shared terms marked."""
    return {
        "unit_id": m.unit.id,
        "document": document_title(m.unit.document, docs),
        "location": location_label(m.unit, docs),
        "score": f"{m.score:.2f}",
        "text_html": highlight(m.unit.text, m.evidence.shared_terms, m.evidence.unit_spans),
        "terms": "、".join(m.evidence.shared_terms),
    }
