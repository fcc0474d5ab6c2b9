"""The analysis parts of a report as the renderers need them: JSON data, XLSX sheets, HTML and Markdown.

The report renderers (:mod:`alignment.report`) call these so that their own modules only gain a
few lines each; the JSON shape is documented in docs/report-schema.md (object ``analysis``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from alignment.analysis.quantities import format_amount
from alignment.analysis.records import FORMULATION_STATUS_ZH, TARGET_FLAGS_ZH, TASK_FLAGS_ZH, Analysis, Target
from alignment.schema import LEVEL_NAMES_ZH, Match, Report

#: How reports name the kinds of skipped level.
SKIPPED_ZH = {"lower_unanswered": "下级细化规定未回应", "upper_unanswered": "上级要求仅经由下级回应"}


def analysis_dict(analysis: Analysis | None) -> dict[str, Any] | None:
    """The ``analysis`` object of the JSON report, or None when the analysis did not run."""
    if analysis is None:
        return None
    from alignment.analysis.formulations import formulation_dict
    from alignment.analysis.targets import target_dict
    from alignment.analysis.tasks import task_dict

    tr = analysis.tracing
    return {
        "targets": [
            {"directive": target_dict(c.directive) if c.directive else None,
             "plan": target_dict(c.plan) if c.plan else None,
             "similarity": c.similarity, "flags": list(c.flags), "note": c.note}
            for c in analysis.targets
        ],
        "tasks": [task_dict(t) for t in analysis.tasks],
        "formulations": [formulation_dict(c) for c in analysis.formulations],
        "tracing": {
            "links": [{"upper": k.upper, "lower": k.lower, "score": k.score, "status": k.status} for k in tr.links],
            "skipped": [{"upper": s.upper, "lower": s.lower, "kind": s.kind, "note": s.note} for s in tr.skipped],
            "coverage": [{"level": c.level, "name": LEVEL_NAMES_ZH.get(c.level, c.level), "total": c.total,
                          "direct": c.direct, "via": c.via, "unanswered": c.unanswered,
                          "out_of_scope": c.out_of_scope} for c in tr.coverage],
        },
    }


def directive_labels(report: Report) -> dict[str, str]:
    """Directive id -> ``文件标题 章节路径`` for people (chains are shown with these)."""
    titles = {d.id: d.meta.title or Path(d.path).name or d.id for d in report.documents}
    return {r.directive.id: f"{titles.get(r.directive.unit.document, r.directive.unit.document)} "
                            f"{' '.join(r.directive.unit.section_path[-1:])}".strip()
            for r in report.directives}


def chain_label(match: Match, labels: dict[str, str]) -> str:
    """``经由：省条例 第十二条 → 市条例 第八条`` for a chained match, ``''`` for a direct one."""
    if not match.via:
        return ""
    return "经由：" + " → ".join(labels.get(v, v) for v in match.via)


def _value(t: Target | None) -> str:
    if t is None:
        return ""
    v = format_amount(t.value) if t.value_high is None else f"{format_amount(t.value)}–{format_amount(t.value_high)}"
    return f"{'力争' if t.aspirational else ''}{t.comparison}{v}{t.unit}"


def _title(report: Report, doc_id: str) -> str:
    for d in report.documents:
        if d.id == doc_id:
            return d.meta.title or Path(d.path).name
    return doc_id


TARGET_COLUMNS = (("上级文件", 22), ("上级指标", 28), ("上级目标值", 14), ("上级目标年", 10), ("本规划指标", 28),
                  ("本规划目标值", 14), ("本规划目标年", 10), ("基期值", 10), ("属性", 8), ("相似度", 8),
                  ("问题", 22), ("说明", 40), ("本规划原文", 50))
TASK_COLUMNS = (("责任单位", 18), ("角色", 6), ("任务", 60), ("时间节点", 16), ("章节", 24), ("其他单位", 24),
                ("问题", 18))
FORMULATION_COLUMNS = (("提法", 30), ("来源", 10), ("上级文件", 30), ("年份", 6), ("状态", 12), ("本规划表述", 30),
                       ("说明", 40))
TRACE_COLUMNS = (("上级要求", 30), ("上级原文", 50), ("下级要求", 30), ("下级原文", 50), ("得分", 8), ("问题", 24))


def analysis_sheets(report: Report) -> list[tuple[str, tuple[tuple[str, int], ...], list[list[Any]]]]:
    """(sheet name, columns, rows) of the 指标对标, 任务分解, 提法 and 层级追溯 sheets."""
    a = report.analysis
    if a is None:
        return []
    from alignment.analysis.tasks import tasks_by_owner

    target_rows = []
    for c in a.targets:
        d, p = c.directive, c.plan
        target_rows.append([
            _title(report, d.source.document) if d else "", d.indicator if d else "", _value(d),
            d.target_year if d else None, p.indicator if p else "", _value(p), p.target_year if p else None,
            (p.baseline if p and p.baseline is not None else None), (p.nature if p else "") or (d.nature if d else ""),
            c.similarity or None, "、".join(TARGET_FLAGS_ZH[f] for f in c.flags), c.note,
            p.source.text if p else "",
        ])
    task_rows = []
    for unit, items in tasks_by_owner(a.tasks).items():
        for role, t in items:
            others = [u for u in t.owners if u != unit]
            task_rows.append([unit, role, t.source.text, "、".join(t.deadlines), " ".join(t.source.section_path),
                              "、".join(others), "、".join(TASK_FLAGS_ZH[f] for f in t.flags)])
    formulation_rows = [
        [c.formulation.phrase, {"quoted": "引号", "parallel": "排比", "listed": "固定提法"}.get(c.formulation.how, ""),
         "、".join(_title(report, d) for d in c.formulation.documents), c.formulation.year or None,
         FORMULATION_STATUS_ZH[c.status], c.found, c.note]
        for c in sorted(a.formulations, key=lambda c: ["outdated", "near_miss", "used", "absent"].index(c.status))
    ]
    by_id = {r.directive.id: r for r in report.directives}
    labels = directive_labels(report)
    skipped = {(s.upper, s.lower): SKIPPED_ZH[s.kind] for s in a.tracing.skipped}
    trace_rows = [
        [labels.get(k.upper, k.upper), by_id[k.upper].directive.unit.text if k.upper in by_id else "",
         labels.get(k.lower, k.lower), by_id[k.lower].directive.unit.text if k.lower in by_id else "",
         k.score, skipped.get((k.upper, k.lower), "")]
        for k in a.tracing.links
    ]
    sheets: list[tuple[str, tuple[tuple[str, int], ...], list[list[Any]]]] = [
        ("指标对标", TARGET_COLUMNS, target_rows), ("任务分解", TASK_COLUMNS, task_rows),
        ("提法", FORMULATION_COLUMNS, formulation_rows)]
    if trace_rows:
        sheets.append(("层级追溯", TRACE_COLUMNS, trace_rows))
    return sheets


def analysis_view(report: Report) -> dict[str, Any]:
    """What the HTML template shows of the analysis (empty lists when it did not run)."""
    a = report.analysis
    if a is None:
        return {"targets": [], "tasks": [], "formulations": [], "coverage": [], "skipped": []}
    labels = directive_labels(report)
    from alignment.analysis.tasks import tasks_by_owner

    return {
        "targets": [{"directive": c.directive.indicator if c.directive else "", "directive_value": _value(c.directive),
                     "directive_year": (c.directive.target_year if c.directive else None) or "",
                     "plan": c.plan.indicator if c.plan else "", "plan_value": _value(c.plan),
                     "plan_year": (c.plan.target_year if c.plan else None) or "",
                     "flags": [TARGET_FLAGS_ZH[f] for f in c.flags], "note": c.note}
                    for c in a.targets],
        "tasks": [{"unit": unit,
                   "entries": [{"role": role, "text": t.source.text, "deadlines": "、".join(t.deadlines),
                                "flags": [TASK_FLAGS_ZH[f] for f in t.flags]} for role, t in items]}
                  for unit, items in tasks_by_owner(a.tasks).items()],
        "formulations": [{"phrase": c.formulation.phrase, "status": FORMULATION_STATUS_ZH[c.status],
                          "found": c.found, "note": c.note} for c in a.formulations if c.status != "absent"],
        "coverage": [{"name": LEVEL_NAMES_ZH.get(c.level, c.level), "total": c.total, "direct": c.direct,
                      "via": c.via, "unanswered": c.unanswered} for c in a.tracing.coverage],
        "skipped": [{"upper": labels.get(s.upper, s.upper), "lower": labels.get(s.lower, s.lower),
                     "kind": SKIPPED_ZH[s.kind]} for s in a.tracing.skipped],
    }


def analysis_markdown(report: Report) -> list[str]:
    """Markdown lines for the 指标对标, 任务分解, 提法 and 层级 summary (none when it did not run)."""
    a = report.analysis
    if a is None:
        return []

    def cell(text: object) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    lines = ["", "## 层级覆盖", ""]
    if a.tracing.coverage:
        lines += ["| 层级 | 要求数 | 直接回应 | 经由下级回应 | 未回应 |", "|---|---|---|---|---|"]
        lines += [f"| {LEVEL_NAMES_ZH.get(c.level, c.level)} | {c.total} | {c.direct} | {c.via} | {c.unanswered} |"
                  for c in a.tracing.coverage]
        lines += ["", f"跳级情况：{len(a.tracing.skipped)} 处"]
    flagged = [c for c in a.targets if c.flags and c.directive and c.plan]
    lines += ["", "## 指标对标", "", f"上级指标 {sum(1 for c in a.targets if c.directive)} 项，"
              f"本规划指标 {sum(1 for c in a.targets if c.plan)} 项，"
              f"本规划无对应 {sum(1 for c in a.targets if 'no_plan_counterpart' in c.flags)} 项，"
              f"无上级依据 {sum(1 for c in a.targets if 'no_basis' in c.flags)} 项。"]
    if flagged:
        lines += ["", "| 上级指标 | 上级 | 本规划 | 问题 |", "|---|---|---|---|"]
        lines += [f"| {cell(c.directive.indicator)} | {_value(c.directive)} | {_value(c.plan)} | {cell(c.note)} |"
                  for c in flagged if c.directive and c.plan]
    no_owner = sum(1 for t in a.tasks if "no_owner" in t.flags)
    no_deadline = sum(1 for t in a.tasks if "no_deadline" in t.flags)
    lines += ["", "## 任务分解", "", f"任务 {len(a.tasks)} 项，未明确责任单位 {no_owner} 项，未明确时间节点 {no_deadline} 项。"]
    notable = [c for c in a.formulations if c.status in ("near_miss", "outdated")]
    lines += ["", "## 提法", "", f"上级文件提法 {len(a.formulations)} 条，本规划使用 "
              f"{sum(1 for c in a.formulations if c.status == 'used')} 条。"]
    lines += [f"- {FORMULATION_STATUS_ZH[c.status]}：{cell(c.note)}" for c in notable]
    return lines
