"""The Markdown summary: documents, coverage tables, the gap list and the best matches, kept short."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alignment.report._common import (
    Output,
    directive_order,
    document_title,
    documents_by_id,
    extent_label,
    gap_list,
    level_zh,
    location_label,
    output_folder,
    place_label,
    portable,
    review_lines,
    review_zh,
    role_zh,
    scope_note,
    section_label,
    shorten,
    shown_matches,
    status_zh,
    strength_zh,
    text_output,
)
from alignment.report._summary import summarize
from alignment.schema import STATUSES, DirectiveResult, Document, Match, Report

#: Characters cut from directive and plan texts in the lists.
DIRECTIVE_WIDTH = 80
# ASCII punctuation that Markdown could read as markup or raw HTML; backslash-escaped in document text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#~])")


def md_text(text: str, width: int = 0) -> str:
    """Untrusted text on one line, shortened to ``width`` when given, with Markdown specials escaped."""
    flat = shorten(text, width) if width else " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", flat)


def _percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _counts_row(name: str, g: dict[str, Any]) -> list[str]:
    c = g["counts"]
    return [
        name,
        str(g["total"]),
        *(str(c[s]) for s in STATUSES),
        _percent(g["coverage"]),
        _percent(g["addressed"]),
    ]


def _review_line(result: DirectiveResult, indent: str) -> list[str]:
    """``- 审核意见：…`` under a directive that reviewers decided or commented on (nothing otherwise), one
    line: what :func:`review_lines` gives, joined with ``；``."""
    said = review_lines(result)
    return [f"{indent}- 审核意见：{'；'.join(md_text(line) for line in said)}"] if said else []


def _target(match: Match, docs: dict[str, Document]) -> str:
    """A shown plan passage in the 逐条对照 list: ``第三章 第四十一条 · 第12行（0.66，已采纳（张三））``."""
    tags = [f"{float(match.score):.2f}", review_zh(match)]
    return f"{md_text(location_label(match.unit, docs))}（{'，'.join(t for t in tags if t)}）"


def markdown(report: Report, *, base: str | Path | None = None) -> str:
    """The Markdown summary as a string (what :func:`render_markdown` writes); paths are shown
    relative to ``base``, the folder it is written to (see :func:`portable`)."""
    report = portable(report, base)
    docs = documents_by_id(report)
    summary = summarize(report)
    counts_header = ["范围", "要求数", *(status_zh(s) for s in STATUSES), "覆盖率", "已涉及比例"]
    lines = ["# 对标对表分析报告", ""]
    lines.append(
        f"生成时间：{md_text(report.created) or '—'} · 方法：{md_text(report.method) or '—'}"
        f" · 向量模型：{md_text(report.embedder) or '—'}"
        + md_text(scope_note(report))
    )

    lines += ["", "## 文件", ""]
    lines += _table(
        ["角色", "层级", "文件", "文号", "日期", "篇幅"],
        [
            [
                role_zh(d.meta.role),
                level_zh(d.meta.level),
                md_text(document_title(d.id, docs)),
                md_text(d.meta.doc_number) or "—",
                md_text(d.meta.date) or "—",
                extent_label(d),
            ]
            for d in report.documents
        ],
    )

    lines += ["", "## 覆盖情况", ""]
    rows = [_counts_row("全部上级要求", summary["overall"])]
    rows += [_counts_row(md_text(g["title"]), g) for g in summary["documents"]]
    rows += [_counts_row(f"{g['name']}文件", g) for g in summary["levels"]]
    lines += _table(counts_header, rows)
    lines += [
        "",
        "覆盖率 =（已覆盖 + 0.5 × 部分覆盖）÷ 适用要求数；已涉及比例 =（已覆盖 + 部分覆盖）÷ 适用要求数。",
    ]
    lines += ["", "### 按章节", ""]
    lines += _table(
        ["文件", *counts_header],
        [
            [
                md_text(document_title(g["document"], docs)),
                *_counts_row(md_text(f"{g['chapter'] or '（无章节）'} {g['heading']}".strip()), g),
            ]
            for g in summary["chapters"]
        ],
    )

    gaps = gap_list(report)
    lines += ["", f"## 未覆盖要求（{len(gaps)}）", ""]
    if not gaps:
        lines.append("没有未覆盖的上级要求。")
    for i, r in enumerate(gaps, 1):
        unit = r.directive.unit
        lines.append(
            f"{i}. **{md_text(document_title(unit.document, docs))} {md_text(section_label(unit))}**"
            f"（{'，'.join(x for x in (place_label(unit, docs), strength_zh(r.directive.strength)) if x)}）："
            f"{md_text(unit.text, DIRECTIVE_WIDTH)}"
        )
        if shown_matches(r):
            best = shown_matches(r)[0]
            lines.append(f"   - 最接近：{md_text(location_label(best.unit, docs))}（得分 {float(best.score):.2f}）")
        lines += _review_line(r, "   ")

    lines += ["", "## 逐条对照"]
    current = None
    for r in directive_order(report):
        unit = r.directive.unit
        if unit.document != current:
            current = unit.document
            lines += ["", f"### {md_text(document_title(unit.document, docs))}", ""]
        shown = shown_matches(r)
        targets = "；".join(_target(m, docs) for m in shown) or "无"
        lines.append(
            f"- 【{status_zh(r.status)} {float(r.confidence):.2f}】{md_text(location_label(unit, docs))}："
            f"{md_text(unit.text, DIRECTIVE_WIDTH)} → {targets}"
        )
        lines += _review_line(r, "  ")

    lines += ["", "## 本规划条款", ""]
    lines.append(
        f"共 {summary['plan_units']} 条，其中 {summary['plan_units'] - summary['unimplemented_plan_units']} 条"
        f"落实了上级要求，{summary['unimplemented_plan_units']} 条未对应任何上级要求。"
    )

    if report.failures:
        lines += ["", f"## 处理失败的文件（{len(report.failures)}）", ""]
        lines += [f"- {md_text(f.path)}：{md_text(f.message)}" for f in report.failures]
    from alignment.analysis.export import analysis_markdown

    lines += analysis_markdown(report)  # 层级覆盖, 指标对标, 任务分解, 提法 (nothing when not run)
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, out: Output) -> None:
    """Write the Markdown summary (UTF-8) to a path or text stream."""
    with text_output(out) as fh:
        fh.write(markdown(report, base=output_folder(out)))
