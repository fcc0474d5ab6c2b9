"""对标对表 beyond matching: levels, quantitative targets, task lists, formulations, draft diffs.

* :mod:`~alignment.analysis.tracing`: multi-level chains (central -> provincial -> plan) and skipped levels;
* :mod:`~alignment.analysis.targets`: 指标 from text and indicator tables, and 指标对标;
* :mod:`~alignment.analysis.tasks`: tasks with 牵头/责任/配合单位 and time nodes (任务分解);
* :mod:`~alignment.analysis.formulations`: official 提法 mined from directives, checked in the plan;
* :mod:`~alignment.analysis.diff`: what changed between two drafts of a plan.

:func:`analyze` runs the extractors over parsed documents; the pipeline calls it after alignment.
Importing this package loads nothing.
"""
from __future__ import annotations

from collections.abc import Sequence

from alignment.analysis.records import Analysis, TargetComparison, Tracing
from alignment.analysis.tracing import AlignFn
from alignment.schema import ParsedDocument, Report

__all__ = ["Analysis", "analyze", "analyze_report", "compare_indicators"]


def analyze(directive_docs: Sequence[ParsedDocument], plan_docs: Sequence[ParsedDocument], *,
            tracing: Tracing | None = None) -> Analysis:
    """指标对标, 任务分解 and 提法 for a set of directives and a plan (and the tracing, if any)."""
    from alignment.analysis.formulations import check_formulations, mine_formulations
    from alignment.analysis.targets import compare_targets, extract_targets
    from alignment.analysis.tasks import extract_tasks

    directive_targets = [t for p in directive_docs for t in extract_targets(p)]
    plan_targets = [t for p in plan_docs for t in extract_targets(p)]
    return Analysis(
        targets=tuple(compare_targets(directive_targets, plan_targets)),
        tasks=tuple(t for p in plan_docs for t in extract_tasks(p)),
        formulations=tuple(check_formulations(mine_formulations(directive_docs), plan_docs)),
        tracing=tracing or Tracing(),
    )


def analyze_report(report: Report, directive_docs: Sequence[ParsedDocument], plan_docs: Sequence[ParsedDocument],
                   align: "AlignFn") -> Report:
    """``report`` with multi-level chains applied and :class:`Analysis` attached.

    ``align(upper_docs, lower_docs) -> Report`` aligns one level with the levels above it (the
    pipeline passes its own :func:`alignment.pipeline.align` with the run's engine and options).
    """
    from dataclasses import replace

    from alignment.analysis.tracing import trace

    traced, tracing = trace(report, directive_docs, align)
    return replace(traced, analysis=analyze(directive_docs, plan_docs, tracing=tracing))


def _parse_side(paths: Sequence[object], role: str) -> list[ParsedDocument]:
    from alignment.errors import ConfigError
    from alignment.manifest import expand_inputs
    from alignment.pipeline import parse_entries

    parsed, failures = parse_entries(expand_inputs(list(paths), role=role))  # type: ignore[arg-type]
    if failures:
        raise ConfigError("".join(f.message for f in failures))  # each message is a sentence ending in 。
    if not parsed:
        side, option = ("上位文件", "--directives") if role == "directive" else ("规划文件", "--plan")
        raise ConfigError(f"没有读到任何{side}：请用 {option} 给出文件、文件夹或清单（FILE|FOLDER|MANIFEST）。")
    return parsed


def compare_indicators(directives: Sequence[object], plans: Sequence[object]) -> list[TargetComparison]:
    """指标对标 from paths (files, folders or manifests): what ``policy-align indicators`` prints."""
    from alignment.analysis.targets import compare_targets, extract_targets

    d_docs, p_docs = _parse_side(directives, "directive"), _parse_side(plans, "plan")
    return compare_targets([t for p in d_docs for t in extract_targets(p)],
                           [t for p in p_docs for t in extract_targets(p)])
