"""The HTML report: one self-contained page (inline CSS and JS, no external URL), Chinese UI.

Document text is untrusted: the Jinja environment autoescapes everything, and the only markup
built in Python (:func:`alignment.report._highlight.highlight`) escapes each run of text first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alignment import __version__
from alignment.report._common import (
    MATCHES_SHOWN,
    Output,
    directive_order,
    document_title,
    documents_by_id,
    extent_label,
    gap_list,
    level_zh,
    location_label,
    output_folder,
    override_zh,
    portable,
    review_zh,
    role_zh,
    scope_note,
    section_label,
    shown_matches,
    status_zh,
    strength_zh,
    text_output,
)
from alignment.report._highlight import highlight
from alignment.report._summary import summarize
from alignment.schema import STATUSES, DirectiveResult, Report

TEMPLATE = "report.html"


def _bar(group: dict[str, Any]) -> list[dict[str, Any]]:
    """The stacked-bar segments of one summary group: status, name, count and width in percent."""
    total = group["total"] or 1
    return [
        {
            "status": s,
            "name": status_zh(s),
            "count": group["counts"][s],
            "pct": round(100 * group["counts"][s] / total, 2),
        }
        for s in STATUSES
        if group["counts"][s]
    ]


def _percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def _group_row(group: dict[str, Any], name: str, sub: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "sub": sub,
        "total": group["total"],
        "counts": group["counts"],
        "coverage": _percent(group["coverage"]),
        "addressed": _percent(group["addressed"]),
        "bar": _bar(group),
    }


def build_context(report: Report, *, base: str | Path | None = None) -> dict[str, Any]:
    """Everything the template shows, precomputed: anchors, labels, highlighted texts, bar widths.

    Paths are shown relative to ``base``, the folder the page is written to (see :func:`portable`).
    """
    report = portable(report, base)
    docs = documents_by_id(report)
    summary = summarize(report)
    directive_anchor = {r.directive.id: f"d{i}" for i, r in enumerate(report.directives)}
    unit_anchor = {p.unit.id: f"u{i}" for i, p in enumerate(report.plan_units)}
    by_id = {r.directive.id: r for r in report.directives}

    def directive_label(directive_id: str) -> str:
        result = by_id.get(directive_id)
        if result is None:
            return directive_id
        unit = result.directive.unit
        return f"{document_title(unit.document, docs)} {section_label(unit)}"

    def view(result: DirectiveResult) -> dict[str, Any]:
        unit = result.directive.unit
        shown = shown_matches(result)
        terms = [t for m in shown for t in m.evidence.shared_terms]
        spans = [s for m in shown for s in m.evidence.directive_spans]
        return {
            "anchor": directive_anchor[result.directive.id],
            "id": result.directive.id,
            "status": result.status,
            "status_zh": status_zh(result.status),
            "confidence": f"{float(result.confidence):.2f}",
            "document": document_title(unit.document, docs),
            "level": (
                level_zh(docs[unit.document].meta.level) if unit.document in docs else level_zh("unknown")
            ),
            "location": location_label(unit, docs),
            "strength": strength_zh(result.directive.strength),
            "actions": "、".join(result.directive.actions),
            "context": unit.context,
            "text": unit.text,
            "text_html": highlight(unit.text, terms, spans),
            "reviewed": result.reviewed,
            "review": override_zh(result),
            "note": result.note,
            "more": max(len(result.matches) - MATCHES_SHOWN, 0),
            "matches": [
                {
                    "anchor": unit_anchor.get(m.unit.id),
                    "document": document_title(m.unit.document, docs),
                    "location": location_label(m.unit, docs),
                    "score": f"{float(m.score):.2f}",
                    "text_html": highlight(m.unit.text, m.evidence.shared_terms, m.evidence.unit_spans),
                    "terms": "、".join(m.evidence.shared_terms),
                    "review": review_zh(m),
                    "via": [directive_label(v) for v in m.via],
                }
                for m in shown
            ],
        }

    directives = [view(r) for r in directive_order(report)]
    status_counts = summary["overall"]["counts"]
    plan_units = [
        {
            "anchor": unit_anchor[p.unit.id],
            "document": document_title(p.unit.document, docs),
            "location": location_label(p.unit, docs),
            "text": p.unit.text,
            "directives": [
                {
                    "anchor": directive_anchor.get(did),
                    "label": directive_label(did),
                    "score": f"{float(score):.2f}",
                    "status_zh": status_zh(by_id[did].status) if did in by_id else "",
                    "status": by_id[did].status if did in by_id else "",
                }
                for did, score in p.directives
            ],
        }
        for p in report.plan_units
    ]
    return {
        "version": __version__,
        "created": report.created,
        "method": report.method,
        "scope": scope_note(report).removeprefix(" · "),
        "embedder": report.embedder,
        "documents": [
            {
                "title": document_title(d.id, docs),
                "role": role_zh(d.meta.role),
                "level": level_zh(d.meta.level),
                "doc_number": d.meta.doc_number,
                "issuer": d.meta.issuer,
                "date": d.meta.date,
                "extent": extent_label(d),
                "path": d.path,
                "sha256": d.sha256[:12],
                "warnings": list(d.warnings),
            }
            for d in report.documents
        ],
        "overall": _group_row(summary["overall"], "全部要求"),
        "by_document": [_group_row(g, g["title"], level_zh(g["level"])) for g in summary["documents"]],
        "by_level": [_group_row(g, g["name"]) for g in summary["levels"]],
        "by_chapter": [
            _group_row(
                g,
                f"{g['chapter'] or '（无章节）'} {g['heading']}".strip(),
                document_title(g["document"], docs),
            )
            for g in summary["chapters"]
        ],
        "statuses": [{"status": s, "name": status_zh(s), "count": status_counts[s]} for s in STATUSES],
        "gaps": [view(r) for r in gap_list(report)],
        "directives": directives,
        "implemented_units": [p for p in plan_units if p["directives"]],
        "unimplemented_units": [p for p in plan_units if not p["directives"]],
        "failures": [{"path": f.path, "message": f.message} for f in report.failures],
        "analysis": _analysis_view(report),
    }


def _analysis_view(report: Report) -> dict[str, Any]:
    """指标对标, 任务分解, 提法 and 层级覆盖 for the template (see alignment.analysis.export)."""
    from alignment.analysis.export import analysis_view

    return analysis_view(report)


def render_html(report: Report, out: Output) -> None:
    """Write the self-contained HTML report (Jinja2 template ``templates/report.html``)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("alignment.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template(TEMPLATE).render(**build_context(report, base=output_folder(out)))
    with text_output(out) as fh:
        fh.write(html)
