"""What officials read: every help text and every error line leads in Chinese.

Help for each command and option starts with a Chinese character (English may follow it); a bad
input prints exactly one ``Error: `` line on stderr, Chinese right after the prefix, naming the file
and the fix, and never a traceback.
"""
from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alignment.cli import cli

ROOT = Path(__file__).resolve().parents[1]
LAW = ROOT / "corpus" / "central" / "law-elderly-rights-protection-2018.txt"
PLAN = ROOT / "corpus" / "municipal" / "dezhou-elderly-care-services-regulations-2019.txt"
ENCRYPTED = ROOT / "tests" / "data" / "ingest" / "encrypted.pdf"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, path + (name,))


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) or "policy-align" for p, _ in COMMANDS])
def test_every_command_and_option_has_help_that_leads_in_chinese(path, command):
    name = " ".join(("policy-align", *path))
    assert _is_cjk((command.help or " ").strip()[0]), f"{name}: {command.help!r}"
    with click.Context(command, info_name=name, help_option_names=["-h", "--help"]) as ctx:
        params = command.get_params(ctx)  # with -h/--help (and --version on the group)
    options = [p for p in params if isinstance(p, click.Option)]
    assert any("--help" in p.opts for p in options)
    for p in options:
        assert _is_cjk((p.help or " ").strip()[0]), f"{name} {'/'.join(p.opts)}: {p.help!r}"
    shown = CliRunner().invoke(cli, [*path, "-h"])
    assert shown.exit_code == 0 and "显示本帮助并退出" in shown.output


def _error_line(result) -> str:
    """The one line on stderr, checked to be ``Error: `` and then Chinese."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and _is_cjk(lines[0][len("Error: ")]), lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def invoke(*args) -> click.testing.Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_missing_file(tmp_path):
    missing = tmp_path / "规划.pdf"
    res = invoke("extract", missing)
    assert res.exit_code == 1
    assert _error_line(res) == f"Error: 无法读取 {missing}：文件不存在。请检查路径。"
    res = invoke("report", "-d", LAW, "-p", missing, "-q")
    assert res.exit_code == 1
    assert _error_line(res) == f"Error: 无法读取 {missing}：文件或文件夹不存在。请检查路径。"


def test_an_unknown_format(tmp_path):
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    res = invoke("extract", sheet)
    assert res.exit_code == 1
    assert _error_line(res) == (f"Error: 无法读取 {sheet}：不支持的文件类型 '.xlsx'。"
                                "支持的类型：.pdf、.docx、.txt、.md、.html、.htm、.ofd。")


def test_an_encrypted_pdf():
    res = invoke("extract", ENCRYPTED)
    assert res.exit_code == 1
    assert _error_line(res) == (f"Error: 无法读取 {ENCRYPTED}：文件已加密（password-protected）。"
                                "请提供未加密的文件，或先用 qpdf --decrypt 解密。")


def test_a_doc_file_says_to_save_it_as_docx(tmp_path):
    doc = tmp_path / "规划.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    res = invoke("extract", doc)
    assert res.exit_code == 1
    assert _error_line(res) == (f"Error: 无法读取 {doc}：不支持的文件类型 '.doc'。请用 WPS 或 Word 另存为 .docx"
                                "（save as .docx）后再读取；支持的类型：.pdf、.docx、.txt、.md、.html、.htm、.ofd。")
    renamed = tmp_path / "规划.docx"
    renamed.write_bytes(doc.read_bytes())
    res = invoke("extract", renamed)
    assert _error_line(res) == (f"Error: 无法读取 {renamed}：这是旧版 Word 二进制文件（.doc），不是 .docx。"
                                "请用 Word、WPS 或 LibreOffice 打开并另存为 .docx。")


def test_an_unknown_method_is_one_line_with_the_choices():
    res = invoke("report", "-d", LAW, "-p", PLAN, "--method", "bert")
    assert res.exit_code == 2  # a usage error, as click has it
    assert _error_line(res) == ("Error: 选项 --method 的值无效：'bert' 不是可选值，可选 hybrid、bm25、tfidf、dense。"
                                "运行 policy-align report -h 查看用法。")


def test_other_usage_errors_are_one_chinese_line_too():
    res = invoke("extract")
    assert res.exit_code == 2
    assert _error_line(res) == "Error: 缺少参数 FILES：运行 policy-align extract -h 查看用法。"
    res = invoke("report", "--sheduler", "local")
    assert _error_line(res).startswith("Error: 没有选项 --sheduler，是否想用 --scheduler")
    res = invoke("reprot")
    assert res.exit_code == 2
    assert _error_line(res).startswith("Error: 没有命令 reprot：可用的命令有 diff、extract、")
    res = invoke("query", "text", "-p", PLAN, "-k", "five")
    assert _error_line(res) == ("Error: 选项 -k 的值无效（'five' is not a valid integer）。"
                                "运行 policy-align query -h 查看用法。")


def test_an_unknown_embedder(tmp_path):
    directive = tmp_path / "上位.txt"
    directive.write_text("第一条 县级以上人民政府应当建立养老服务补贴制度。\n", encoding="utf-8")
    plan = tmp_path / "规划.txt"
    plan.write_text("一、建立经济困难老年人养老服务补贴制度。\n", encoding="utf-8")
    res = invoke("report", "-d", directive, "-p", plan, "--embedder", "bge-m3", "-o", tmp_path / "r.json",
                 "-q")
    assert res.exit_code == 1
    assert _error_line(res) == ("Error: 未知的向量模型 --embedder 'bge-m3'：可选 e5-small、lexical、"
                                "st:<model name or local path>。")


def test_a_bad_manifest(tmp_path):
    manifest = tmp_path / "清单.toml"
    manifest.write_text('[[documents]]\npath = "a.txt"\nlevel = "county"\n', encoding="utf-8")
    res = invoke("report", "-d", manifest, "-p", PLAN, "-q")
    assert res.exit_code == 1
    assert _error_line(res) == (f"Error: 清单 {manifest} 中 a.txt 的行政层级 level 'county' 无效："
                                "可选 central、provincial、municipal、district、unknown。")
    manifest.write_text("[[documents]\npath = 'a.txt'\n", encoding="utf-8")
    res = invoke("report", "-d", manifest, "-p", PLAN, "-q")
    line = _error_line(res)
    assert line.startswith(f"Error: 清单 {manifest} 不是有效的 TOML（") and line.endswith("）：请改正其中指出的那一行。")


def test_a_document_warning_is_a_chinese_note_on_stderr(tmp_path):
    paragraphs = "".join(f"<p>第{n}条 县级以上人民政府应当将养老服务设施建设纳入国土空间规划，统筹安排。</p>"
                         for n in "一二三四五")
    page = tmp_path / "通知.html"
    page.write_text("<html><head><meta charset='utf-8'><title>通知</title></head><body>"
                    "<div id='topnav'><a href='/'>首页</a> <a href='/a'>政务公开</a></div>"
                    f"<div class='main-box'>{paragraphs}</div></body></html>", encoding="utf-8")
    res = invoke("extract", page)
    assert res.exit_code == 0, res.output
    assert res.stderr == f"提示：{page}：未找到常见的正文容器：正文是按文字密度选取的，请核对开头和结尾\n"
