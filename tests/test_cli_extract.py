"""``policy-align extract``: the section tree of real files, as JSON or as a tree, and its errors."""
from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alignment.cli import cli

ROOT = Path(__file__).resolve().parents[1]
LAW = ROOT / "corpus" / "central" / "law-elderly-rights-protection-2018.txt"
CORPUS = ROOT / "corpus"
DEZHOU = ROOT / "corpus" / "municipal" / "dezhou-elderly-care-services-regulations-2019.txt"


def run(*args: str):
    return CliRunner().invoke(cli, ["extract", *args])


def test_json_is_valid_and_keeps_chinese_as_is():
    result = run(str(LAW), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "第一章" in result.stdout and "\\u" not in result.stdout
    data = json.loads(result.stdout)
    assert data["document"]["path"] == str(LAW)
    chapters = [s for s in data["sections"] if s["kind"] == "chapter"]
    assert [c["label"] for c in chapters][:2] == ["第一章", "第二章"]
    article = chapters[0]["children"][0]
    assert (article["label"], article["path"]) == ("第一条", ["第一章", "第一条"])
    start, end = article["sentences"][0]
    assert article["text"].strip().startswith("第一条") and end > start


def test_tree_shows_chapters_and_articles():
    result = run(str(LAW))  # tree is the default
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.strip().startswith("第一章 总则") for line in lines)
    assert any(line.strip().startswith("第八十五条") for line in lines)
    assert sum(1 for line in lines if line.strip().startswith("第一章")) == 1  # the 目录 adds none


def test_several_files_as_json_give_a_list():
    result = run(str(LAW), str(DEZHOU), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["document"]["id"] for d in data] == [
        "law-elderly-rights-protection-2018", "dezhou-elderly-care-services-regulations-2019"]


@pytest.mark.parametrize("fmt", ["tree", "json"])
def test_missing_file_is_one_error_line_and_the_others_are_still_printed(tmp_path, fmt):
    missing = tmp_path / "no-such-plan.txt"
    result = run(str(LAW), str(missing), str(DEZHOU), "--format", fmt)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors == [f"Error: 无法读取 {missing}：文件不存在。请检查路径。"]
    assert "老年人权益保障法" in result.stdout and "德州市养老服务条例" in result.stdout
    if fmt == "json":
        assert len(json.loads(result.stdout)) == 2


def test_unsupported_file_type_is_one_error_line(tmp_path):
    sheet = tmp_path / "budget.xls"
    sheet.write_bytes(b"\xd0\xcf\x11\xe0 not a text document")
    result = run(str(sheet))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors == [f"Error: 无法读取 {sheet}：不支持的文件类型 '.xls'。支持的类型：.pdf、.docx、.txt、.md、.html、"
                      ".htm、.ofd。"]
    assert result.stdout == ""


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_every_command_has_help_text():
    commands = list(_commands(cli))
    assert commands, "the CLI group has no commands"
    for path, command in commands:
        assert (command.help or "").strip(), f"'{' '.join(path)}' has no help text"
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_scanned_pdf_with_ocr_never_is_one_error_line_naming_the_pages_and_the_fix():
    scanned = CORPUS / "pdf" / "guangdong-budget-report-2025-annex1-glossary-excerpt-no-text-layer.pdf"
    res = CliRunner().invoke(cli, ["extract", "--ocr", "never", str(scanned)])
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and scanned.name in lines[0]
    assert "ocr" in lines[0].lower() and "Traceback" not in res.output


def test_manifest_ocr_mode_is_read_and_the_command_line_overrides_it(tmp_path):
    from alignment.manifest import expand_inputs

    (tmp_path / "a.txt").write_text("第一条 测试。", encoding="utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text('[[documents]]\npath = "a.txt"\nocr = "never"\n', encoding="utf-8")
    assert [e.ocr for e in expand_inputs([manifest])] == ["never"]
    assert [e.ocr for e in expand_inputs([manifest], ocr="always")] == ["always"]
    manifest.write_text('[[documents]]\npath = "a.txt"\nocr = "sometimes"\n', encoding="utf-8")
    with pytest.raises(Exception, match="的 OCR 模式 ocr 'sometimes' 无效：可选 auto、never、always。"):
        expand_inputs([manifest])
