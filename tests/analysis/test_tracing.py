"""Multi-level tracing, end to end on a real three-level chain, and the chain rule on small reports.

The chain: 中华人民共和国老年人权益保障法 (central) -> 山东省老年人权益保障条例 (provincial) ->
德州市养老服务条例 (municipal plan, whose 第一条 names both as its basis): the bundled demo, free to
use (not a pair of corpus/HELD_OUT.md). BM25 keeps it fast and needs no embedding model.
"""
import json

import openpyxl
import pytest

from alignment.analysis.tracing import apply_links, level_coverage, skipped_levels
from alignment.analysis.records import LevelLink
from alignment.pipeline import Engine, run_report
from alignment.report import render, to_dict
from alignment.schema import Directive, DirectiveResult, Match, Report, Unit

from .conftest import ROOT

LAW = ROOT / "corpus/central/law-elderly-rights-protection-2018.txt"
PROVINCE = ROOT / "corpus/provincial/shandong-elderly-rights-regulations-2014.txt"
PLAN = ROOT / "corpus/municipal/dezhou-elderly-care-services-regulations-2019.txt"


@pytest.fixture(scope="module")
def three_level(tmp_path_factory):
    return run_report([LAW, PROVINCE], [PLAN], engine=Engine(method="bm25"))


def test_levels_are_linked_and_chains_reach_the_plan(three_level):
    r = three_level
    tr = r.analysis.tracing
    levels = {d.id: d.meta.level for d in r.documents}
    assert levels["law-elderly-rights-protection-2018"] == "central"
    assert levels["shandong-elderly-rights-regulations-2014"] == "provincial"
    assert tr.links
    for link in tr.links:
        assert link.upper.startswith("law-elderly-rights-protection-2018/")
        assert link.lower.startswith("shandong-elderly-rights-regulations-2014/")
    chained = [(res, m) for res in r.directives for m in res.matches if m.via]
    assert chained
    results = {res.directive.id: res for res in r.directives}
    for res, m in chained:
        assert res.directive.unit.document == "law-elderly-rights-protection-2018"
        lower = results[m.via[0]]
        assert lower.status in ("covered", "partial")
        assert any(lm.unit.id == m.unit.id for lm in lower.matches)  # the chain ends at the province's match
        assert m.unit.document == "dezhou-elderly-care-services-regulations-2019"


def test_coverage_per_level_adds_up(three_level):
    cov = {c.level: c for c in three_level.analysis.tracing.coverage}
    assert set(cov) == {"central", "provincial"}
    by_level = {"central": 84, "provincial": 61}  # articles, less each text's effective-date clause
    for level, c in cov.items():
        assert c.total == by_level[level]
        assert c.direct + c.via + c.unanswered + c.out_of_scope == c.total
    assert cov["central"].via > 0  # some central articles are answered only through the province
    assert cov["provincial"].via == 0  # nothing lies between the province and the plan


def test_skipped_levels_are_consistent_with_the_verdicts(three_level):
    tr = three_level.analysis.tracing
    final = {r.directive.id: r.status for r in three_level.directives}
    kinds = {s.kind for s in tr.skipped}
    assert kinds == {"lower_unanswered", "upper_unanswered"}
    for s in tr.skipped:
        if s.kind == "lower_unanswered":
            assert final[s.lower] not in ("covered", "partial")
        else:
            assert final[s.lower] in ("covered", "partial")


def test_every_output_format_shows_the_chain(three_level, tmp_path):
    data = to_dict(three_level)
    assert any(m["via"] for d in data["directives"] for m in d["matches"])
    assert data["analysis"]["tracing"]["coverage"][0]["name"] == "中央"
    json.dumps(data, ensure_ascii=False)
    render(three_level, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert {"指标对标", "任务分解", "提法", "层级追溯"} <= set(wb.sheetnames)
    locations = [row[5].value or "" for row in wb["对照表"].iter_rows(min_row=2)]
    assert any("经由：山东省老年人权益保障条例" in loc for loc in locations)
    render(three_level, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "经由" in html and "层级覆盖" in html and "任务分解" in html


# --- the chain rule on a hand-made report --------------------------------------------------------

def _unit(doc, uid, text):
    return Unit(id=uid, document=doc, kind="paragraph", text=text, char_start=0, char_end=len(text), page=1,
                section_path=())


def _result(doc, did, status, conf, matches=()):
    return DirectiveResult(directive=Directive(unit=_unit(doc, did, did), strength=2), status=status,
                           confidence=conf, matches=tuple(matches))


def test_a_chain_through_two_levels_lists_both_top_down():
    plan_unit = _unit("plan", "plan#1", "规划条款")
    central = _result("c", "c1", "missing", 0.2)
    province = _result("p", "p1", "missing", 0.3)
    city = _result("m", "m1", "covered", 0.9, [Match(unit=plan_unit, score=0.8)])
    report = Report(documents=(), directives=(central, province, city), plan_units=(), method="x", embedder="none")
    links = [LevelLink("c1", "p1", 0.7, "covered"), LevelLink("p1", "m1", 0.6, "partial")]
    level_of = {"c": "central", "p": "provincial", "m": "municipal"}
    out = apply_links(report, links, level_of)
    got = {r.directive.id: r for r in out.directives}
    assert got["p1"].status == "partial"  # one partial link makes the chain partial
    assert got["c1"].status == "partial"
    assert got["c1"].matches[0].via == ("p1", "m1")
    assert got["c1"].matches[0].score == 0.6
    cov = {c.level: c for c in level_coverage(report, out, level_of)}
    assert (cov["central"].direct, cov["central"].via) == (0, 1)
    skipped = skipped_levels(report, out, links)
    assert [(s.upper, s.kind) for s in skipped] == [("c1", "upper_unanswered"), ("p1", "upper_unanswered")]


def test_direct_matches_stay_first_and_a_missing_lower_level_is_flagged():
    plan_unit = _unit("plan", "plan#1", "规划条款")
    central = _result("c", "c1", "covered", 0.9, [Match(unit=plan_unit, score=0.9)])
    province = _result("p", "p1", "missing", 0.1)
    report = Report(documents=(), directives=(central, province), plan_units=(), method="x", embedder="none")
    links = [LevelLink("c1", "p1", 0.8, "covered")]
    out = apply_links(report, links, {"c": "central", "p": "provincial"})
    assert out.directives == report.directives  # nothing to chain through an unanswered restatement
    assert [s.kind for s in skipped_levels(report, out, links)] == ["lower_unanswered"]
