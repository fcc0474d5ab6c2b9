"""The XLSX 对照表: one row per directive for reviewers, plus the gaps, the summary and the file list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alignment.report._common import (
    Output,
    binary_output,
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
    section_label,
    shown_matches,
    status_zh,
    strength_zh,
)
from alignment.report._summary import summarize
from alignment.schema import DirectiveResult, Document, Match, Report, Unit

#: Columns of the 「对照表」 sheet, in order, with their widths (in characters).
MAIN_COLUMNS = (
    ("上级文件", 22),
    ("章节", 16),
    ("要求原文", 56),
    ("覆盖程度", 10),
    ("本规划对应条款", 56),
    ("章节/位置", 20),
    ("得分", 8),
    ("依据关键词", 22),
    ("备注", 24),
)
GAP_COLUMNS = (
    ("上级文件", 22),
    ("章节", 16),
    ("要求原文", 64),
    ("要求类型", 10),
    ("最接近的本规划条款", 48),
    ("章节/位置", 20),
    ("得分", 8),
    ("备注", 24),
)
SUMMARY_COLUMNS = (
    ("分组", 12),
    ("名称", 30),
    ("所属文件", 30),
    ("层级", 8),
    ("要求数", 8),
    ("已覆盖", 8),
    ("部分覆盖", 9),
    ("未覆盖", 8),
    ("不适用", 8),
    ("覆盖率", 9),
    ("已涉及比例", 11),
)
DOCUMENT_COLUMNS = (
    ("角色", 10),
    ("层级", 8),
    ("文件", 36),
    ("文号", 20),
    ("发文机关", 22),
    ("日期", 12),
    ("篇幅", 8),
    ("路径", 50),
    ("SHA-256", 20),
)
#: Fill colours (RGB hex) of status cells.
STATUS_FILLS = {"covered": "C8E6C9", "partial": "FFF59D", "missing": "FFCDD2", "out_of_scope": "E0E0E0"}
HEADER_FILL = "12355B"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _numbered(items: list[str]) -> str:
    """One item as-is; several numbered ①②③ on their own lines."""
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{CIRCLED[i] if i < len(CIRCLED) else i + 1}{item}" for i, item in enumerate(items))


#: Heads the plan-side cell of a directive no passage answers (its nearest passages follow).
NEAREST_LABEL = "〔最接近的条款，未判为落实〕\n"


def _where(unit: Unit, docs: Mapping[str, Document]) -> str:
    """``第三章 第十五条（第12行）``: a directive's section and place."""
    place = place_label(unit, docs)
    return f"{section_label(unit)}（{place}）" if place else section_label(unit)


def _match_where(match: Match, docs: Mapping[str, Document], labels: dict[str, str] | None = None) -> str:
    """A plan passage's place, then its chain (when ``labels`` name the directives) and its reviewer's
    decision, if any: ``第三章 第四十一条 · 第12行（已采纳（张三））``."""
    from alignment.analysis.export import chain_label

    extra = [x for x in (chain_label(match, labels) if labels is not None else "", review_zh(match)) if x]
    return location_label(match.unit, docs) + "".join(f"（{x}）" for x in extra)


def main_row(result: DirectiveResult, docs: Mapping[str, Document], labels: dict[str, str] | None = None) -> list[Any]:
    """The 「对照表」 row of one directive.

    The plan-side cells list the best ``MATCHES_SHOWN`` matches (rejected links left out) (numbered ①②③ when more than
    one), each placed by page (PDF, OFD) or line (other formats) and marked with its reviewer's
    decision; 得分 is the best match's score (a number, so the column sorts and filters), 依据关键词
    the shared terms of the best match; 备注 holds what reviewers said (:func:`review_lines`).
    """
    labels = labels or {}
    unit = result.directive.unit
    shown = shown_matches(result)
    # For a gap the passages are the nearest ones, not answers: say so in the cell itself.
    nearest = NEAREST_LABEL if shown and result.status not in ("covered", "partial") else ""
    return [
        document_title(unit.document, docs),
        _where(unit, docs),
        unit.text,
        status_zh(result.status),
        nearest + _numbered([m.unit.text for m in shown]) if shown else "",
        _numbered([_match_where(m, docs, labels) for m in shown]) if shown else "",
        round(float(shown[0].score), 4) if shown else None,
        "、".join(shown[0].evidence.shared_terms) if shown else "",
        "\n".join(review_lines(result)),
    ]


def gap_row(result: DirectiveResult, docs: Mapping[str, Document]) -> list[Any]:
    """The 「未覆盖要求」 row of one missing directive, with its nearest plan unit if any."""
    unit = result.directive.unit
    shown = shown_matches(result)
    best = shown[0] if shown else None
    return [
        document_title(unit.document, docs),
        _where(unit, docs),
        unit.text,
        strength_zh(result.directive.strength),
        best.unit.text if best else "",
        _match_where(best, docs) if best else "",
        round(float(best.score), 4) if best else None,
        "\n".join(review_lines(result)),
    ]


def summary_rows(report: Report) -> list[list[Any]]:
    """The 「汇总」 rows: overall, then per document, level and chapter."""
    docs = documents_by_id(report)
    summary = summarize(report)

    def row(kind: str, name: str, owner: str, level: str, g: dict[str, Any]) -> list[Any]:
        c = g["counts"]
        return [
            kind,
            name,
            owner,
            level,
            g["total"],
            c["covered"],
            c["partial"],
            c["missing"],
            c["out_of_scope"],
            g["coverage"],
            g["addressed"],
        ]

    def level_of(doc_id: str) -> str:
        return level_zh(docs[doc_id].meta.level) if doc_id in docs else level_zh("unknown")

    rows = [row("全部", "全部上级要求", "", "", summary["overall"])]
    rows += [row("上级文件", g["title"], "", level_zh(g["level"]), g) for g in summary["documents"]]
    rows += [row("层级", g["name"], "", g["name"], g) for g in summary["levels"]]
    rows += [
        row(
            "章节",
            f"{g['chapter'] or '（无章节）'} {g['heading']}".strip(),
            document_title(g["document"], docs),
            level_of(g["document"]),
            g,
        )
        for g in summary["chapters"]
    ]
    return rows


def render_xlsx(report: Report, out: Output) -> None:
    """Write the workbook: 「对照表」, 「未覆盖要求」, 「汇总」 and 「文件清单」 (documents and failures).

    Paths are relative to the workbook's folder where they can be (:func:`portable`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    report = portable(report, output_folder(out))
    docs = documents_by_id(report)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    fills = {s: PatternFill("solid", fgColor=c) for s, c in STATUS_FILLS.items()}
    status_by_name = {status_zh(s): s for s in STATUS_FILLS}

    def sheet(
        ws: Any,
        columns: tuple[tuple[str, int], ...],
        rows: list[list[Any]],
        *,
        status_col: int = -1,
        ratio_cols: tuple[int, ...] = (),
        score_col: int = -1,
    ) -> None:
        ws.append([name for name, _ in columns])
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for i, (_, width) in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for values in rows:
            ws.append(values)
            for cell in ws[ws.max_row]:
                cell.alignment = wrap
            if status_col >= 0:
                cell = ws.cell(row=ws.max_row, column=status_col + 1)
                if cell.value in status_by_name:
                    cell.fill = fills[status_by_name[cell.value]]
            for col in ratio_cols:
                ws.cell(row=ws.max_row, column=col + 1).number_format = "0.0%"
            if score_col >= 0:
                ws.cell(row=ws.max_row, column=score_col + 1).number_format = "0.00"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 1)}"

    wb = Workbook()
    main = wb.active
    main.title = "对照表"
    from alignment.analysis.export import directive_labels

    labels = directive_labels(report)  # chained matches name the lower directives they pass through
    sheet(main, MAIN_COLUMNS, [main_row(r, docs, labels) for r in directive_order(report)], status_col=3, score_col=6)

    gaps = wb.create_sheet("未覆盖要求")
    sheet(gaps, GAP_COLUMNS, [gap_row(r, docs) for r in gap_list(report)], score_col=6)

    totals = wb.create_sheet("汇总")
    sheet(totals, SUMMARY_COLUMNS, summary_rows(report), ratio_cols=(9, 10))

    from alignment.analysis.export import analysis_sheets

    for title, columns, rows in analysis_sheets(report):  # 指标对标, 任务分解, 提法, 层级追溯
        sheet(wb.create_sheet(title), columns, rows)

    files = wb.create_sheet("文件清单")
    sheet(
        files,
        DOCUMENT_COLUMNS,
        [
            [
                role_zh(d.meta.role),
                level_zh(d.meta.level),
                document_title(d.id, docs),
                d.meta.doc_number,
                d.meta.issuer,
                d.meta.date,
                extent_label(d),
                d.path,
                d.sha256,
            ]
            for d in report.documents
        ],
    )
    if report.failures:
        # Below the documents: one row per failure, its path under 文件 and the reason across the rest.
        last = get_column_letter(len(DOCUMENT_COLUMNS))
        files.append([])
        files.append(["处理失败", "", "文件", "原因"])
        for cell in files[files.max_row]:
            cell.font = Font(bold=True)
        for f in report.failures:
            files.append(["处理失败", "", f.path, f.message])
            files.merge_cells(f"D{files.max_row}:{last}{files.max_row}")
            for cell in files[files.max_row]:
                cell.alignment = wrap
        files.auto_filter.ref = f"A1:{last}{len(report.documents) + 1}"

    wb.save(binary_output(out, "xlsx"))
