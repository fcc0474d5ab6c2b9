"""Choosing a renderer by name or extension, writing to stdout, and the terminal summary."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from rich.console import Console

from alignment.errors import ConfigError
from alignment.report import RENDERERS, SUFFIXES, format_for, render, terminal_summary

from .fixtures import demo_report, xss_report


def test_import_loads_no_renderer_backend():
    code = "import sys, alignment.report; print(sorted({'jinja2', 'openpyxl', 'rich'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_renderers_and_suffixes():
    assert list(RENDERERS) == ["json", "html", "xlsx", "md"]
    assert set(SUFFIXES.values()) == set(RENDERERS)


@pytest.mark.parametrize(
    "path, fmt, expected",
    [
        ("out/report.json", None, "json"),
        ("out/report.HTML", None, "html"),
        ("out/report.htm", None, "html"),
        ("对照表.xlsx", None, "xlsx"),
        ("summary.md", None, "md"),
        ("report.txt", "md", "md"),
        (None, "XLSX", "xlsx"),
        (None, None, "json"),
    ],
)
def test_format_for(path, fmt, expected):
    assert format_for(path, fmt) == expected


def test_unknown_format_names_the_valid_ones():
    with pytest.raises(ConfigError) as err:
        render(demo_report(), fmt="pdf")
    assert str(err.value) == "未知的报告格式 --format 'pdf'：可选 json、html、xlsx、md。"


def test_unknown_extension_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(ConfigError) as err:
        render(demo_report(), tmp_path / "report.docx")
    assert str(err.value) == (
        f"无法从扩展名 '.docx' 判断报告 {tmp_path / 'report.docx'} 的格式：请把文件命名为 "
        ".json、.html、.htm、.xlsx、.md 之一，或用 --format 指定格式（json、html、xlsx、md）。"
    )
    assert not (tmp_path / "report.docx").exists()
    with pytest.raises(ConfigError, match=r"^无法从扩展名 '（无）' 判断报告 report 的格式"):
        format_for("report")


def test_fmt_overrides_extension(tmp_path):
    path = tmp_path / "report.txt"
    render(demo_report(), path, fmt="md")
    assert path.read_text(encoding="utf-8").startswith("# 对标对表分析报告\n")


def test_no_path_writes_to_stdout(capsys):
    assert render(demo_report()) == "json"
    assert json.loads(capsys.readouterr().out)["schema_version"] == "2.0"


def test_text_renderers_refuse_a_binary_stream():
    with pytest.raises(ConfigError, match="^该报告格式是文本：请传入文件路径或文本流"):
        RENDERERS["md"](demo_report(), io.BytesIO())


def test_terminal_summary_prints_counts_and_first_gaps():
    # Wide enough that no gap line wraps.
    console = Console(file=io.StringIO(), width=240, color_system=None)
    terminal_summary(demo_report(), console, gaps=2)
    text = console.file.getvalue()
    assert "覆盖情况（按上级文件）" in text and "覆盖情况（按层级）" in text
    law_row = next(line for line in text.splitlines() if "中华人民共和国老年人权益保障法" in line)
    assert law_row.split("│")[1:-1][1:] == [
        " 中央 ",
        "    4 ",
        "      2 ",
        "        1 ",
        "      1 ",
        "      0 ",
        "  62.5% ",
    ]
    assert "合计" in text and "63.6%" in text
    assert "未覆盖要求：共 3 条，前 2 条：" in text
    assert "第七章 第六十八条 · 第168行：制定法律、法规、规章和公共政策" in text
    assert "第三十一条" not in text.split("前 2 条：")[1]
    assert "处理失败的文件：1 个" in text


def test_terminal_summary_does_not_interpret_document_text_as_markup():
    console = Console(file=io.StringIO(), width=140, color_system=None)
    terminal_summary(xss_report(), console)
    text = console.file.getvalue()
    assert "上级文件<script>alert(1)</script>" in text
    assert "没有未覆盖的上级要求。" in text
