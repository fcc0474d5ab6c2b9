"""Draft comparison: the directive-by-directive diff, and ``policy-align diff`` end to end.

The "new draft" is the real 德州市养老服务条例 with its 第五十二条 (经济困难老年人补贴制度) removed,
written to a temporary file: an edit of real text, made for this test. Every directive that
第五十二条 answered must then be listed as changed or newly uncovered.
"""
import json
from pathlib import Path

from click.testing import CliRunner

from alignment.analysis.diff import diff_reports
from alignment.cli import cli
from alignment.schema import Directive, DirectiveResult, Match, Report, Unit

from .conftest import ROOT

PROVINCE = ROOT / "corpus/provincial/shandong-elderly-rights-regulations-2014.txt"
PLAN = ROOT / "corpus/municipal/dezhou-elderly-care-services-regulations-2019.txt"


def _u(uid, text):
    return Unit(id=uid, document="d", kind="paragraph", text=text, char_start=0, char_end=len(text), page=1,
                section_path=())


def _r(did, status, texts):
    return DirectiveResult(directive=Directive(unit=_u(did, did), strength=2), status=status, confidence=0.5,
                           matches=tuple(Match(unit=_u(t, t), score=0.5) for t in texts))


def _report(*results):
    return Report(documents=(), directives=results, plan_units=(), method="x", embedder="none")


def test_diff_kinds():
    old = _report(_r("a", "missing", []), _r("b", "covered", ["x"]), _r("c", "covered", ["x"]), _r("d", "partial", ["y"]))
    new = _report(_r("a", "covered", ["z"]), _r("b", "missing", []), _r("c", "covered", ["x"]), _r("d", "covered", ["y"]))
    d = diff_reports(old, new, old_name="v1", new_name="v2")
    assert [(c.directive, c.kind) for c in d.changes] == [("a", "newly_covered"), ("b", "newly_uncovered"), ("d", "changed")]
    assert d.changes[0].new_units == ("z",)


def test_cli_diff_finds_the_removed_article(tmp_path):
    text = PLAN.read_text(encoding="utf-8-sig")
    start = text.index("第五十二条")
    end = text.index("第五十三条")
    new = tmp_path / "dezhou-v2.txt"
    new.write_text(text[:start] + text[end:], encoding="utf-8")
    out = tmp_path / "diff.json"
    res = CliRunner().invoke(cli, ["diff", "-d", str(PROVINCE), "--old", str(PLAN), "--new", str(new),
                                   "--method", "bm25", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    removed = text[start:end]
    touched = [c for c in data["changes"] if any(u in removed for u in c["old_units"])]
    assert touched  # the directives 第五十二条 answered are listed
    for c in touched:
        assert c["kind"] in ("changed", "newly_uncovered")
        assert not any(u in removed for u in c["new_units"])
    # Whether a touched directive drops to missing or finds another passage is the scorer's call;
    # the counts must agree with the listed changes either way.
    assert data["counts"] == {k: sum(c["kind"] == k for c in data["changes"]) for k in data["counts"]}
    assert sum(data["counts"].values()) == len(data["changes"]) >= len(touched)
    assert "新增覆盖" in res.output  # the summary on stderr
    # The drafts are named without the absolute paths they were given by (the comparison is handed on).
    assert not Path(data["old"]).is_absolute() and data["old"].endswith(PLAN.name)
    assert data["new"] == "dezhou-v2.txt" and str(tmp_path) not in out.read_text(encoding="utf-8")
    md = tmp_path / "diff.md"
    res = CliRunner().invoke(cli, ["diff", "-d", str(PROVINCE), "--old", str(PLAN), "--new", str(new),
                                   "--method", "bm25", "-o", str(md), "-q"])
    assert res.exit_code == 0 and md.read_text(encoding="utf-8").startswith("# 规划稿对比")
