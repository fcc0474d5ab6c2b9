"""summarize(): counts and ratios per group, and the edge cases a real run can produce."""

from __future__ import annotations

from dataclasses import replace

from alignment.report import summarize
from alignment.report._summary import chapter_heading, tally
from alignment.schema import Report

from .fixtures import demo_documents, demo_report


def test_empty_report_has_no_ratio():
    summary = summarize(Report(documents=(), directives=(), plan_units=(), method="m", embedder="e"))
    assert summary["overall"] == {
        "total": 0,
        "in_scope": 0,
        "counts": {"covered": 0, "partial": 0, "missing": 0, "out_of_scope": 0},
        "coverage": None,
        "addressed": None,
    }
    assert summary["documents"] == summary["levels"] == summary["chapters"] == []
    assert (summary["plan_units"], summary["unimplemented_plan_units"], summary["failures"]) == (0, 0, 0)


def test_all_out_of_scope_group_has_no_ratio():
    report = demo_report()
    group = tally([r for r in report.directives if r.status == "out_of_scope"])
    assert (group["total"], group["in_scope"], group["coverage"], group["addressed"]) == (1, 0, None, None)


def test_directive_document_without_directives_is_listed_with_zero():
    report = demo_report()
    only_law = tuple(r for r in report.directives if r.directive.unit.document.startswith("law"))
    summary = summarize(replace(report, directives=only_law))
    assert [(g["document"][:4], g["total"], g["coverage"]) for g in summary["documents"]] == [
        ("law-", 4, 0.625),
        ("shan", 0, None),
    ]
    assert [g["level"] for g in summary["levels"]] == ["central"]


def test_directive_from_unknown_document_counts_under_unknown_level():
    report = demo_report()
    result = report.directives[0]
    stray = replace(
        result,
        directive=replace(
            result.directive, unit=replace(result.directive.unit, document="not-listed", section_path=())
        ),
    )
    summary = summarize(replace(report, directives=(stray,)))
    assert [(g["document"], g["title"], g["level"]) for g in summary["documents"]][-1] == (
        "not-listed",
        "not-listed",
        "unknown",
    )
    assert [(g["level"], g["name"]) for g in summary["levels"]] == [("unknown", "未知")]
    assert [(g["chapter"], g["heading"]) for g in summary["chapters"]] == [("", "")]


def test_chapter_heading_skips_table_of_contents_and_full_width_spaces():
    law, shandong, _ = demo_documents()
    # The law lists 第一章 in its table of contents first; the heading before 第六条 is the real one.
    sixth = law.text.index("第六条")
    assert chapter_heading(law, "第一章", sixth) == "总则"
    assert chapter_heading(shandong, "第三章", shandong.text.index("第三十六条")) == "社会保障与服务"
    assert chapter_heading(shandong, "第九章", len(shandong.text)) == ""
    assert chapter_heading(None, "第一章", 0) == ""
