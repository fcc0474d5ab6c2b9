"""A short coverage summary for the terminal, drawn with rich on the console the caller gives."""

from __future__ import annotations

from typing import Any

from alignment.report._common import (
    document_title,
    documents_by_id,
    gap_list,
    level_zh,
    location_label,
    shorten,
    strength_zh,
)
from alignment.report._summary import summarize
from alignment.schema import STATUSES, DirectiveResult, Document, Report

STATUS_STYLES = {"covered": "green", "partial": "yellow", "missing": "red", "out_of_scope": "dim"}
#: Characters of a gap's text kept before the console's width cuts it further.
GAP_WIDTH = 80


def _percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def _counts_table(title: str, first: str, rows: list[tuple[str, str | None, dict[str, Any]]]) -> Any:
    """A rich table of counts per status; the 层级 column only when rows carry a level."""
    from rich.table import Table

    from alignment.schema import STATUS_NAMES_ZH

    with_level = any(level is not None for _, level, _ in rows)
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    if with_level:
        table.add_column("层级")
    table.add_column("要求", justify="right")
    for s in STATUSES:
        table.add_column(STATUS_NAMES_ZH[s], justify="right", style=STATUS_STYLES[s])
    table.add_column("覆盖率", justify="right", style="bold")
    for name, level, g in rows:
        cells = [name, level or ""] if with_level else [name]
        table.add_row(
            *cells, str(g["total"]), *(str(g["counts"][s]) for s in STATUSES), _percent(g["coverage"])
        )
    return table


def terminal_summary(report: Report, console: Any, *, gaps: int = 10) -> None:
    """Print coverage per directive document and per level, then the first ``gaps`` gaps, to ``console``.

    ``console`` is a ``rich.console.Console`` (the CLI gives one on stderr). Gaps come mandates
    first, as in the other outputs; failures are counted at the end.
    """
    docs = documents_by_id(report)
    summary = summarize(report)
    rows: list[tuple[str, str | None, dict[str, Any]]] = [
        (g["title"], level_zh(g["level"]), g) for g in summary["documents"]
    ]
    rows.append(("合计", "", summary["overall"]))
    console.print(_counts_table("覆盖情况（按上级文件）", "上级文件", rows))
    console.print(
        _counts_table("覆盖情况（按层级）", "层级", [(g["name"], None, g) for g in summary["levels"]])
    )

    missing = gap_list(report)
    if missing:
        shown = missing[:gaps]
        console.print(f"[bold red]未覆盖要求[/]：共 {len(missing)} 条，前 {len(shown)} 条：", highlight=False)
        for line in _gap_lines(shown, docs, console.width):
            console.print(line, no_wrap=True)
    else:
        console.print("[green]没有未覆盖的上级要求。[/]")
    if report.failures:
        console.print(
            f"[bold red]处理失败的文件：{len(report.failures)} 个[/]（见报告的文件清单）", highlight=False
        )


def _gap_lines(results: list[DirectiveResult], docs: dict[str, Document], width: int) -> list[Any]:
    """One line per gap: its kind and place (page or line) in full, then its text cut to ``width`` cells.

    Built as ``rich.text.Text``, so nothing in the document text is read as console markup.
    """
    from rich.text import Text

    lines = []
    for r in results:
        unit = r.directive.unit
        line = Text.assemble(
            (f"  {strength_zh(r.directive.strength)} ", "dim"),
            (f"{document_title(unit.document, docs)} {location_label(unit, docs)}", "bold"),
            "：",
            shorten(unit.text, GAP_WIDTH),
        )
        line.truncate(width, overflow="ellipsis")
        lines.append(line)
    return lines
