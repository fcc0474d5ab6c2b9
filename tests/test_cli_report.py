"""policy-align report and query, end to end on real corpus documents."""
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from alignment.cli import cli

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LAW = CORPUS / "provincial/shandong-elderly-rights-regulations-2014.txt"
PLAN = CORPUS / "municipal/dezhou-elderly-care-services-regulations-2019.txt"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_ALIGN_CACHE", str(tmp_path / "cache.db"))


def test_report_json_with_a_bad_file_in_the_batch(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 not really")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(cli, ["report", "-d", str(LAW), "-d", str(bad), "-p", str(PLAN), "--method", "bm25", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["directives"]) == 61  # 62 articles less the effective-date clause
    assert {d["status"] for d in data["directives"]} <= {"covered", "partial", "missing", "out_of_scope"}
    # Named relative to the report's folder, in the path field and in the message alike.
    assert [f["path"] for f in data["failures"]] == ["broken.pdf"]
    assert "broken.pdf" in data["failures"][0]["message"] and str(tmp_path) not in data["failures"][0]["message"]
    # 第三十六条 (养老服务补贴 for 经济困难的老年人) is answered by 德州 第五十二条 (经济困难老年人补贴制度).
    d36 = next(d for d in data["directives"] if "对经济困难的老年人，逐步给予养老服务补贴" in d["text"])
    assert d36["status"] in ("covered", "partial")
    assert any("经济困难老年人补贴制度" in m["unit"]["text"] for m in d36["matches"][:3])
    for d in data["directives"]:
        assert 0 <= d["confidence"] <= 1
        for m in d["matches"]:
            assert 0 <= m["score"] <= 1


def test_report_xlsx_has_the_comparison_table(tmp_path):
    out = tmp_path / "r.xlsx"
    res = CliRunner().invoke(cli, ["report", "-d", str(LAW), "-p", str(PLAN), "--method", "tfidf", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert "对照表" in wb.sheetnames
    header = [c.value for c in wb["对照表"][1]]
    assert header[:4] == ["上级文件", "章节", "要求原文", "覆盖程度"]
    assert wb["对照表"].max_row == 62  # a header and 61 directives


def test_report_with_no_plan_says_what_to_give(tmp_path):
    res = CliRunner().invoke(cli, ["report", "-d", str(LAW), "-o", str(tmp_path / "r.json"), "-q"])
    assert res.exit_code == 1
    assert res.output == "Error: 没有读到任何规划文件：请用 --plan 给出文件、文件夹或清单（FILE|FOLDER|MANIFEST）。\n"


def test_query_ranks_the_implementing_passage_first():
    res = CliRunner().invoke(cli, ["query", "对经济困难的老年人给予养老服务补贴", "-p", str(PLAN), "--method", "bm25", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert len(data["matches"]) == 5
    assert "经济困难" in data["matches"][0]["unit"]["text"]
    assert data["matches"][0]["unit"]["section_path"]


def test_a_free_text_query_is_judged_among_a_real_run_of_directives():
    # Alone, a text's best passage would look like an answer whatever it asks; placed among the
    # bundled corpus's directives, an unrelated request is a gap and a real one is answered.
    def ask(text):
        res = CliRunner().invoke(cli, ["query", text, "-p", str(PLAN), "-k", "1", "--format", "json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.output)

    assert ask("为独居老年人配备紧急呼叫终端")["status"] in ("covered", "partial")
    assert ask("加快发展海洋渔业捕捞")["status"] == "missing"


def test_query_of_a_report_directive_scores_as_the_report_did(tmp_path):
    # Scored among the report's other directives, a directive's passages get the report's scores and
    # order, and its verdict is the report's (which may also count chains through lower levels).
    out = tmp_path / "nested" / "folder" / "r.json"  # -o makes its folder
    res = CliRunner().invoke(cli, ["report", "-d", str(LAW), "-p", str(PLAN), "--method", "bm25", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    for d in data["directives"][:12]:
        res = CliRunner().invoke(cli, ["query", "--directive-id", d["id"], "--report", str(out), "-p", str(PLAN),
                                       "--method", "bm25", "-k", "2", "--format", "json"])
        assert res.exit_code == 0, res.output
        q = json.loads(res.output)
        assert q["status"] == d["status"]
        assert len(q["matches"]) == 2
        if d["matches"] and not d["matches"][0]["via"]:
            assert q["matches"][0]["unit"]["id"] == d["matches"][0]["unit"]["id"]
            assert q["matches"][0]["score"] == pytest.approx(d["matches"][0]["score"], abs=1e-4)


def test_a_report_handed_on_names_its_files_relative_to_itself(tmp_path, monkeypatch):
    # Inputs given by absolute path; the report in a sibling folder names them ../docs/…, and a
    # query on it run from elsewhere still recognizes the plan by its sha256.
    import shutil

    docs, out = tmp_path / "docs", tmp_path / "out" / "r.json"
    docs.mkdir()
    law, plan = shutil.copy(LAW, docs), shutil.copy(PLAN, docs)
    res = CliRunner().invoke(cli, ["report", "-d", str(law), "-p", str(plan), "--method", "bm25", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    raw = out.read_text(encoding="utf-8")
    assert str(tmp_path) not in raw
    data = json.loads(raw)
    assert [d["path"] for d in data["documents"]] == [f"../docs/{LAW.name}", f"../docs/{PLAN.name}"]
    assert all((out.parent / d["path"]).resolve() == (docs / Path(d["path"]).name).resolve() for d in data["documents"])
    assert data["directives"][0]["page"] is None and data["directives"][0]["line"] >= 1
    monkeypatch.chdir(docs)
    directive = data["directives"][0]
    res = CliRunner().invoke(cli, ["query", "--directive-id", directive["id"], "--report", str(out), "-p", PLAN.name,
                                   "--method", "bm25", "-k", "1", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["status"] == directive["status"]


def test_report_to_a_path_that_cannot_be_written_fails_before_the_run(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = CliRunner().invoke(cli, ["report", "-d", str(LAW), "-p", str(PLAN), "-o", str(blocker / "r.html"), "-q"])
    assert res.exit_code == 1
    assert res.output.startswith(f"Error: 无法为 {blocker / 'r.html'} 创建文件夹（")
    assert res.output.endswith("）：请用 -o 指定其他路径。\n")


@pytest.mark.slow
def test_bundled_report_runs_with_the_default_embedder(tmp_path):
    out = tmp_path / "demo.html"
    res = CliRunner().invoke(cli, ["report", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "未覆盖" in html and "德州市养老服务条例" in html
