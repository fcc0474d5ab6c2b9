"""The XLSX 对照表: written, re-opened with openpyxl, and read back cell by cell."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from alignment.errors import ConfigError
from alignment.report import RENDERERS, render

from .fixtures import demo_report

MAIN_HEADER = (
    "上级文件",
    "章节",
    "要求原文",
    "覆盖程度",
    "本规划对应条款",
    "章节/位置",
    "得分",
    "依据关键词",
    "备注",
)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "对照表.xlsx"
    assert render(demo_report(), path) == "xlsx"
    return openpyxl.load_workbook(path)


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_sheets(workbook):
    assert workbook.sheetnames == ["对照表", "未覆盖要求", "汇总", "文件清单"]


def test_main_sheet_header_layout_and_row_count(workbook):
    ws = workbook["对照表"]
    assert rows(ws)[0] == MAIN_HEADER
    assert ws.max_row == 1 + 12
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I13"
    assert ws.column_dimensions["C"].width >= 40
    assert ws["C2"].alignment.wrap_text


def test_main_sheet_known_row(workbook):
    first = rows(workbook["对照表"])[1]
    assert first == (
        "中华人民共和国老年人权益保障法（2018年修正）",
        "第一章 第六条（第30行）",  # a TXT has no pages: the line of its text
        "各级人民政府应当将老龄事业纳入国民经济和社会发展规划，将老龄事业经费列入财政预算，建立稳定的经费保障机制，"
        "并鼓励社会各方面投入，使老龄事业与经济、社会协调发展。",
        "已覆盖",
        "①市、县（市、区）人民政府应当将养老服务工作纳入本地区国民经济和社会发展规划，制定养老服务专项规划和年度计划。\n"
        "②市、县（市、区）人民政府应当将养老服务经费列入同级财政预算，建立与养老服务需求相适应的经费保障机制，"
        "健全完善与养老服务相关的社会保障制度。",
        "①第一章 第四条 · 第18行\n②第一章 第四条 · 第20行",
        0.91,
        "国民经济和社会发展规划",
        None,  # 备注 is left empty for reviewers
    )


def test_status_cells_are_named_in_chinese_and_coloured(workbook):
    ws = workbook["对照表"]
    statuses = [ws.cell(row=r, column=4) for r in range(2, ws.max_row + 1)]
    assert {c.value for c in statuses} == {"已覆盖", "部分覆盖", "未覆盖", "不适用"}
    colours = {c.value: c.fill.fgColor.rgb[-6:] for c in statuses}
    assert colours == {"已覆盖": "C8E6C9", "部分覆盖": "FFF59D", "未覆盖": "FFCDD2", "不适用": "E0E0E0"}
    # An unmatched directive leaves the plan-side cells empty.
    out_of_scope = next(r for r in rows(ws) if r[3] == "不适用")
    assert out_of_scope[4:8] == (None, None, None, None)


def test_gap_sheet_rows(workbook):
    table = rows(workbook["未覆盖要求"])
    assert table[0] == (
        "上级文件",
        "章节",
        "要求原文",
        "要求类型",
        "最接近的本规划条款",
        "章节/位置",
        "得分",
        "备注",
    )
    assert [(r[0], r[1], r[3], r[5], r[6]) for r in table[1:]] == [
        ("中华人民共和国老年人权益保障法（2018年修正）", "第七章 第六十八条（第168行）", "约束性", None, None),
        (
            "山东省老年人权益保障条例",
            "第一章 第十条（第46行）",
            "推进性",
            "第三章 第三节 第三十六条 · 第160行",
            0.21,
        ),
        ("山东省老年人权益保障条例", "第三章 第三十一条（第138行）", "推进性", None, None),
    ]
    assert (
        table[3][2]
        == "逐步建立和完善具有本省户籍的八十周岁以上老年人高龄津贴制度，具体办法由省人民政府制定。"
    )


def test_summary_sheet(workbook):
    table = rows(workbook["汇总"])
    assert table[0] == (
        "分组",
        "名称",
        "所属文件",
        "层级",
        "要求数",
        "已覆盖",
        "部分覆盖",
        "未覆盖",
        "不适用",
        "覆盖率",
        "已涉及比例",
    )
    assert table[1] == ("全部", "全部上级要求", None, None, 12, 6, 2, 3, 1, 0.6364, 0.7273)
    assert table[2][:5] == ("上级文件", "中华人民共和国老年人权益保障法（2018年修正）", None, "中央", 4)
    assert [r[:2] for r in table if r[0] == "层级"] == [("层级", "中央"), ("层级", "省级")]
    assert (
        "章节",
        "第三章 社会保障与服务",
        "山东省老年人权益保障条例",
        "省级",
        5,
        3,
        1,
        1,
        0,
        0.7,
        0.8,
    ) in table
    assert workbook["汇总"]["J2"].number_format == "0.0%"


def test_file_list_sheet_has_documents_and_failures(workbook):
    table = rows(workbook["文件清单"])
    assert table[0] == ("角色", "层级", "文件", "文号", "发文机关", "日期", "篇幅", "路径", "SHA-256")
    assert [r[:3] + r[6:8] for r in table[1:4]] == [
        ("上级文件", "中央", "中华人民共和国老年人权益保障法（2018年修正）", "208行",
         "corpus/central/law-elderly-rights-protection-2018.txt"),
        ("上级文件", "省级", "山东省老年人权益保障条例", "278行",
         "corpus/provincial/shandong-elderly-rights-regulations-2014.txt"),
        ("本规划", "市级", "德州市养老服务条例", "286行", "corpus/municipal/dezhou-elderly-care-services-regulations-2019.txt"),
    ]
    failure = table[-1]
    assert failure[0] == "处理失败"
    assert failure[2] == "corpus/pdf/guangdong-budget-report-2025-annex1-glossary-excerpt-no-text-layer.pdf"
    assert failure[3].startswith("pages 1-2 have no usable text layer")


def test_writes_to_a_binary_stream_but_not_a_text_one():
    buffer = io.BytesIO()
    RENDERERS["xlsx"](demo_report(), buffer)
    assert openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).sheetnames[0] == "对照表"
    with pytest.raises(ConfigError) as err:
        RENDERERS["xlsx"](demo_report(), io.StringIO())
    assert (
        str(err.value) == "报告格式 xlsx 是二进制的：请传入文件路径或二进制流，不要传文本流。"
    )


def test_path_given_as_string(tmp_path: Path):
    RENDERERS["xlsx"](demo_report(), str(tmp_path / "a.xlsx"))
    assert (tmp_path / "a.xlsx").stat().st_size > 0


def test_a_gap_row_marks_its_passages_as_the_nearest_not_as_answers(workbook):
    table = rows(workbook["对照表"])
    for r in table[1:]:
        if r[3] in ("未覆盖", "不适用") and r[4]:
            assert r[4].startswith("〔最接近的条款，未判为落实〕\n")
        elif r[4]:
            assert not r[4].startswith("〔")
    assert any(r[3] == "未覆盖" and r[4] for r in table[1:])  # the fixture has a gap with a nearest passage
