"""The JSON report: :func:`to_dict` is the stable contract documented in docs/report-schema.md."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alignment.report._common import Output, documents_by_id, output_folder, portable, text_output
from alignment.report._summary import summarize
from alignment.schema import DirectiveResult, Document, Evidence, Match, PlanUnitResult, Report, Review, Unit

#: Bumped when a field is removed or changes meaning; adding a field keeps the version.
#: 2.0: ``page`` is null in documents without pages (``line`` says where), paths are portable.
SCHEMA_VERSION = "2.0"

_NO_DOCUMENTS: Mapping[str, Document] = {}


def unit_dict(unit: Unit, docs: Mapping[str, Document] = _NO_DOCUMENTS) -> dict[str, Any]:
    """A unit's location and text; offsets index ``Document.text`` of ``unit.document``.

    ``docs`` (document id -> :class:`Document`) gives ``line`` and tells whether ``page`` means
    anything: it is null for documents without pages. A unit whose document is not in ``docs``
    keeps its page and has no line.
    """
    doc = docs.get(unit.document)
    return {
        "id": unit.id,
        "document": unit.document,
        "kind": unit.kind,
        "section_path": list(unit.section_path),
        "page": int(unit.page) if doc is None or doc.paged else None,
        "line": doc.line_at(unit.char_start) if doc is not None else None,
        "text": unit.text,
        "char_start": int(unit.char_start),
        "char_end": int(unit.char_end),
        "context": unit.context,
    }


def _spans(spans: tuple[tuple[int, int], ...]) -> list[list[int]]:
    return [[int(s), int(e)] for s, e in spans]


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    """Shared terms and aligned spans; span offsets index the directive's or the unit's ``text``."""
    return {
        "shared_terms": list(evidence.shared_terms),
        "directive_spans": _spans(evidence.directive_spans),
        "unit_spans": _spans(evidence.unit_spans),
    }


def review_dict(review: Review | None) -> dict[str, Any] | None:
    """A reviewer's decision (see alignment.store), or None when nobody reviewed it."""
    if review is None:
        return None
    return {
        "decision": review.decision,
        "reviewer": review.reviewer,
        "time": review.time,
        "comment": review.comment,
        "suspect": bool(review.suspect),
        "machine_status": review.machine_status,
    }


def match_dict(match: Match, docs: Mapping[str, Document] = _NO_DOCUMENTS) -> dict[str, Any]:
    """One proposed plan unit for a directive (``docs`` as for :func:`unit_dict`)."""
    return {
        "unit": unit_dict(match.unit, docs),
        "score": float(match.score),
        "via": list(match.via),
        "evidence": evidence_dict(match.evidence),
        "review": review_dict(match.review),
    }


def document_dict(doc: Document) -> dict[str, Any]:
    """A document's identity and bibliographic facts (not its text)."""
    meta = doc.meta
    return {
        "id": doc.id,
        "path": doc.path,
        "format": doc.format,
        "title": meta.title,
        "issuer": meta.issuer,
        "level": meta.level,
        "role": meta.role,
        "doc_number": meta.doc_number,
        "date": meta.date,
        "pages": len(doc.pages) if doc.paged else None,
        "lines": doc.line_at(len(doc.text)),
        "chars": len(doc.text),
        "sha256": doc.sha256,
        "warnings": list(doc.warnings),
    }


def directive_dict(result: DirectiveResult, docs: Mapping[str, Document] = _NO_DOCUMENTS) -> dict[str, Any]:
    """A directive with its verdict and its matches, best first."""
    d = result.directive
    return {
        **unit_dict(d.unit, docs),
        "strength": int(d.strength),
        "actions": list(d.actions),
        "status": result.status,
        "confidence": float(result.confidence),
        "reviewed": bool(result.reviewed),
        "note": result.note,
        "review": review_dict(result.review),
        "matches": [match_dict(m, docs) for m in result.matches],
    }


def plan_unit_dict(result: PlanUnitResult, docs: Mapping[str, Document] = _NO_DOCUMENTS) -> dict[str, Any]:
    """A plan unit with the directives it implements, best first."""
    return {
        "unit": unit_dict(result.unit, docs),
        "directives": [{"directive": did, "score": float(score)} for did, score in result.directives],
    }


def to_dict(report: Report, *, base: str | Path | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data: the stable contract of docs/report-schema.md.

    Paths are portable (:func:`alignment.report._common.portable_path`): relative to ``base``, the
    folder the report is written to (default: the current folder). Only str, int, float, bool,
    None, list and dict appear (numpy scalars are converted), so
    ``json.dumps(to_dict(r), ensure_ascii=False)`` always works and keeps Chinese as-is.
    """
    report = portable(report, base)
    docs = documents_by_id(report)
    return {
        "schema_version": SCHEMA_VERSION,
        "created": report.created,
        "method": report.method,
        "scope": list(report.scope),
        "directive_scope": list(report.directive_scope),
        "embedder": report.embedder,
        "documents": [document_dict(d) for d in report.documents],
        "directives": [directive_dict(r, docs) for r in report.directives],
        "plan_units": [plan_unit_dict(p, docs) for p in report.plan_units],
        "failures": [{"path": f.path, "message": f.message} for f in report.failures],
        "summary": summarize(report),
        "analysis": _analysis(report),
    }


def _analysis(report: Report) -> dict[str, Any] | None:
    """指标对标, 任务分解, 提法 and level tracing (docs/report-schema.md, ``analysis``); None if not run."""
    from alignment.analysis.export import analysis_dict

    return analysis_dict(report.analysis)


def render_json(report: Report, out: Output) -> None:
    """Write :func:`to_dict` as indented UTF-8 JSON (Chinese as-is) to a path or text stream."""
    with text_output(out) as fh:
        json.dump(to_dict(report, base=output_folder(out)), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
