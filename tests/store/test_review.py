"""Review decisions: how they override the machine in the report, survive re-runs, and turn suspect."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import openpyxl
import pytest
from selectolax.lexbor import LexborHTMLParser

from alignment.errors import StoreError
from alignment.report import RENDERERS, markdown, to_dict
from alignment.schema import Report
from alignment.store import apply_decisions, fingerprint, in_force
from alignment.store.review import Decision, filter_directives
from report.fixtures import demo_report

# Directives of the demo report by position (see tests/report/fixtures.py).
FUND, LTC, LISTEN, EDUCATION, ALLOWANCE, LOTTERY = 0, 1, 3, 6, 7, 5


@pytest.fixture
def machine() -> Report:
    return demo_report()


def ids(report: Report, i: int) -> tuple[str, list[str]]:
    r = report.directives[i]
    return r.directive.id, [m.unit.id for m in r.matches]


def result(report: Report, directive_id: str):
    return next(r for r in report.directives if r.directive.id == directive_id)


def test_accept_one_link_and_reject_another(demo_store, machine):
    did, (first, second) = ids(machine, FUND)
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=first, comment="只提到规划，没有经费")
    demo_store.record_decision(did, "accept", reviewer="李四", unit_id=second)
    r = result(demo_store.load_report(), did)
    assert r.status == "covered" and r.reviewed
    assert [m.unit.id for m in r.matches] == [second, first]  # accepted first, rejected last
    assert [(m.review.decision, m.review.reviewer) for m in r.matches] == [("accept", "李四"), ("reject", "张三")]
    assert r.review.decision == "accept" and r.review.machine_status == "covered"
    assert r.note.splitlines() == ["张三（驳回 第一章 第四条）：只提到规划，没有经费", "李四（采纳 第一章 第四条）"]
    plan = {p.unit.id: dict(p.directives) for p in demo_store.load_report().plan_units}
    assert did not in plan[first] and did in plan[second]


def test_rejecting_every_link_makes_a_covered_directive_missing(demo_store, machine):
    did, (only,) = ids(machine, LOTTERY)
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=only)
    r = result(demo_store.load_report(), did)
    assert (r.status, r.review.machine_status) == ("missing", "covered")
    assert not any(did in dict(p.directives) for p in demo_store.load_report().plan_units)


def test_accepting_the_link_of_a_gap_covers_it(demo_store, machine):
    did, (only,) = ids(machine, EDUCATION)
    assert machine.directives[EDUCATION].status == "missing"
    demo_store.record_decision(did, "accept", reviewer="张三", unit_id=only)
    reviewed = demo_store.load_report()
    assert result(reviewed, did).status == "covered"
    assert dict(next(p for p in reviewed.plan_units if p.unit.id == only).directives)[did] == 0.21


def test_adding_a_link_the_machine_missed(demo_store, machine):
    did, links = ids(machine, LISTEN)
    assert links == []
    unit = machine.plan_units[-1].unit  # any plan unit: the reviewer found it
    demo_store.record_decision(did, "add", reviewer="王五", unit_id=unit.id, comment="第五十五条规定了意见征求")
    r = result(demo_store.load_report(), did)
    assert r.status == "covered"
    assert [(m.unit.id, m.review.decision) for m in r.matches] == [(unit.id, "add")]


def test_out_of_scope_and_clearing_it(demo_store, machine):
    did, _ = ids(machine, ALLOWANCE)
    demo_store.record_decision(did, "out_of_scope", reviewer="张三", comment="高龄津贴由省级统一发放")
    assert result(demo_store.load_report(), did).status == "out_of_scope"
    demo_store.record_decision(did, "clear", reviewer="张三")
    r = result(demo_store.load_report(), did)
    assert r.status == "missing"
    assert r.note.splitlines() == ["张三（不适用）：高龄津贴由省级统一发放", "张三（撤销）"]  # the log is kept


def test_a_comment_changes_no_status(demo_store, machine):
    did, _ = ids(machine, LTC)
    demo_store.record_decision(did, "comment", reviewer="张三", comment="待与民政局核实")
    r = result(demo_store.load_report(), did)
    assert (r.status, r.reviewed, r.note) == ("partial", True, "张三（意见）：待与民政局核实")


def test_the_latest_decision_on_a_link_wins(demo_store, machine):
    did, (first, _) = ids(machine, FUND)
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=first)
    demo_store.record_decision(did, "accept", reviewer="张三", unit_id=first)
    assert result(demo_store.load_report(), did).matches[0].review.decision == "accept"
    assert [d.action for d in in_force(demo_store.decisions()).values()] == ["accept"]
    assert [d.action for d in demo_store.decisions()] == ["reject", "accept"]


def test_decisions_survive_a_rerun(demo_store, machine):
    did, (only,) = ids(machine, LOTTERY)
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=only)
    demo_store.record_report(demo_report())  # run 2: the same texts
    assert demo_store.latest_run().run_id == 2
    assert result(demo_store.load_report(), did).status == "missing"


def _edited(report: Report, unit_id: str, old: str, new: str) -> Report:
    """``report`` as a re-run would give it after ``old`` became ``new`` (same length, so every
    offset holds) in the unit ``unit_id`` and in its document."""
    assert len(old) == len(new)
    unit = next(u for u in [p.unit for p in report.plan_units] + [r.directive.unit for r in report.directives]
                if u.id == unit_id)
    assert old in unit.text
    at = unit.char_start + unit.text.index(old)
    documents = tuple(replace(d, text=d.text[:at] + new + d.text[at + len(new):]) if d.id == unit.document else d
                      for d in report.documents)
    texts = {d.id: d.text for d in documents}

    def fix(u):
        return replace(u, text=texts[u.document][u.char_start:u.char_end])

    return replace(
        report,
        documents=documents,
        directives=tuple(replace(r, directive=replace(r.directive, unit=fix(r.directive.unit)),
                                 matches=tuple(replace(m, unit=fix(m.unit)) for m in r.matches))
                         for r in report.directives),
        plan_units=tuple(replace(p, unit=fix(p.unit)) for p in report.plan_units),
    )


def test_a_link_whose_plan_text_changed_is_suspect_not_kept_or_dropped(demo_store, machine):
    did, (only,) = ids(machine, LOTTERY)
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=only)
    demo_store.record_report(_edited(machine, only, "百分之五十五", "百分之三十五"))
    r = result(demo_store.load_report(), did)
    assert r.status == "covered"  # the machine's verdict stands until someone looks again
    assert r.matches[0].review.suspect and r.matches[0].review.decision == "reject"
    assert r.review.suspect
    # Every format says so.
    data = next(d for d in to_dict(demo_store.load_report())["directives"] if d["id"] == did)
    assert data["matches"][0]["review"]["suspect"] is True
    out = io.StringIO()
    RENDERERS["html"](demo_store.load_report(), out)
    assert "存疑：原文已改，曾已驳回（张三）" in out.getvalue()
    # Deciding again on the new text clears the flag.
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=only)
    r = result(demo_store.load_report(), did)
    assert r.status == "missing" and not r.matches[0].review.suspect


def test_a_directive_whose_text_changed_makes_its_decisions_suspect(demo_store, machine):
    did, _ = ids(machine, ALLOWANCE)
    demo_store.record_decision(did, "out_of_scope", reviewer="张三")
    demo_store.record_report(_edited(machine, did, "八十周岁", "七十周岁"))
    r = result(demo_store.load_report(), did)
    assert (r.status, r.review.suspect) == ("missing", True)


def test_whitespace_changes_do_not_make_a_link_suspect():
    assert fingerprint("建立 养老\n服务　制度") == fingerprint("建立养老服务制度")
    assert fingerprint("建立养老服务制度") != fingerprint("建立养老服务体系")


@pytest.mark.parametrize("item, message", [
    (dict(directive_id="nope", action="accept", unit_id="u"),
     "第 1 次运行中没有要求 'nope'：`policy-align review list` 可列出要求 ID。"),
    (dict(action="dance"), "未知的复核操作 'dance'：可选 accept、reject、add、out_of_scope、comment、clear。"),
    (dict(action="accept"), "操作 accept 针对一条对应关系：请同时给出规划条款 ID（UNIT_ID）。"),
    (dict(action="comment"), "批注（comment）需要填写批注内容。"),
    (dict(action="accept", reviewer=" "), "复核意见需要复核人姓名：请用 --reviewer NAME 或设置 POLICY_ALIGN_REVIEWER。"),
])
def test_bad_decisions_are_refused_with_a_message(demo_store, machine, item, message):
    base = {"directive_id": machine.directives[FUND].directive.id, "reviewer": "张三", **item}
    with pytest.raises(StoreError) as err:
        demo_store.record_decisions([base])
    assert str(err.value) == message
    assert demo_store.decisions() == []


def test_accepting_a_unit_that_is_not_a_candidate_needs_add(demo_store, machine):
    did = machine.directives[LISTEN].directive.id
    unit = machine.plan_units[0].unit.id
    with pytest.raises(StoreError, match=f"^条款 {unit} 不是要求 {did} 的候选：请用 add 添加这条对应关系。$"):
        demo_store.record_decision(did, "accept", reviewer="张三", unit_id=unit)


def test_a_relink_is_one_transaction(demo_store, machine):
    did, (first, _) = ids(machine, FUND)
    with pytest.raises(StoreError):
        demo_store.record_decisions([
            {"directive_id": did, "action": "reject", "unit_id": first, "reviewer": "张三"},
            {"directive_id": did, "action": "add", "unit_id": "no-such-unit", "reviewer": "张三"},
        ])
    assert demo_store.decisions() == []  # the reject was rolled back with the failed add


def test_apply_decisions_ignores_decisions_about_other_directives(machine):
    stray = Decision(directive_id="elsewhere", action="out_of_scope", reviewer="张三", id=1)
    assert apply_decisions(machine, [stray]) == machine


def test_reviewer_comment_goes_to_the_xlsx_note_column_and_status_is_overridden(demo_store, machine, tmp_path):
    did, (only,) = ids(machine, LOTTERY)
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=only, comment="公益金比例未落实")
    out = tmp_path / "r.xlsx"
    RENDERERS["xlsx"](demo_store.load_report(), out)
    sheet = openpyxl.load_workbook(out)["对照表"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == machine.directives[LOTTERY].directive.unit.text)
    assert row[header.index("覆盖程度")] == "未覆盖"
    where = " ".join(machine.directives[LOTTERY].matches[0].unit.section_path)
    assert row[header.index("备注")].splitlines() == ["张三 复核，机器判断为已覆盖", f"张三（驳回 {where}）：公益金比例未落实"]
    assert row[header.index("本规划对应条款")] is None  # the rejected link is not offered as the answer


def test_html_and_markdown_show_the_reviewed_status(demo_store, machine):
    did, (only,) = ids(machine, EDUCATION)
    demo_store.record_decision(did, "accept", reviewer="张三", unit_id=only)
    reviewed = demo_store.load_report()
    out = io.StringIO()
    RENDERERS["html"](reviewed, out)
    tree = LexborHTMLParser(out.getvalue())
    card = next(a for a in tree.css("article.dir") if machine.directives[EDUCATION].directive.unit.text[:20] in a.text())
    assert card.attributes["data-status"] == "covered"
    assert "已采纳（张三）" in card.text() and "张三 复核，机器判断为未覆盖" in card.text()
    assert "未覆盖要求（2）" in markdown(reviewed)


def test_json_carries_the_review_objects(demo_store, machine):
    did, (first, second) = ids(machine, FUND)
    demo_store.record_decision(did, "reject", reviewer="张三", unit_id=first, comment="不对应")
    data = json.loads(json.dumps(to_dict(demo_store.load_report()), ensure_ascii=False))
    d = next(d for d in data["directives"] if d["id"] == did)
    assert d["review"]["machine_status"] == "covered" and d["reviewed"] is True
    assert [m["review"] and m["review"]["decision"] for m in d["matches"]] == [None, "reject"]
    assert d["matches"][1]["review"] == {"decision": "reject", "reviewer": "张三", "time": d["matches"][1]["review"]["time"],
                                         "comment": "不对应", "suspect": False, "machine_status": ""}


def test_filters_by_status_and_by_decision(demo_store, machine):
    did, (first, second) = ids(machine, FUND)
    demo_store.record_decision(did, "accept", reviewer="张三", unit_id=second)
    reviewed = demo_store.load_report()
    assert [r.directive.id for r in filter_directives(reviewed, decision="accept").directives] == [did]
    assert len(filter_directives(reviewed, decision="unreviewed").directives) == 11
    gaps = filter_directives(reviewed, status="missing").directives
    assert [r.status for r in gaps] == ["missing"] * 3
    assert filter_directives(reviewed, text="彩票公益金").directives[0].directive.id == machine.directives[LOTTERY].directive.id


def test_markdown_shows_what_reviewers_said_as_html_and_xlsx_do(demo_store, machine, tmp_path):
    lottery, (lottery_link,) = ids(machine, LOTTERY)
    fund, (fund_link, _) = ids(machine, FUND)
    ltc, _ = ids(machine, LTC)
    demo_store.record_decision(lottery, "reject", reviewer="张三", unit_id=lottery_link, comment="公益金比例未落实")
    demo_store.record_decision(fund, "accept", reviewer="李四", unit_id=fund_link, comment="经费保障已写入")
    demo_store.record_decision(ltc, "comment", reviewer="张三", comment="待与民政局核实")
    reviewed = demo_store.load_report()
    said = {
        lottery: ["张三 复核，机器判断为已覆盖", "张三（驳回 第五章 第四十八条）：公益金比例未落实"],
        fund: ["李四（采纳 第一章 第四条）：经费保障已写入"],
        ltc: ["张三（意见）：待与民政局核实"],
    }
    texts = {r.directive.id: r.directive.unit.text for r in reviewed.directives}

    lines = markdown(reviewed).splitlines()
    for did, expected in said.items():
        entry = next(i for i, line in enumerate(lines) if line.startswith("- 【") and texts[did][:20] in line)
        assert lines[entry + 1] == "  - 审核意见：" + "；".join(expected)
    # The rejected link is gone from the list; the accepted one carries its decision, as in the HTML.
    lottery_entry = next(line for line in lines if line.startswith("- 【未覆盖") and texts[lottery][:20] in line)
    assert lottery_entry.endswith(" → 无")
    fund_entry = next(line for line in lines if line.startswith("- 【") and texts[fund][:20] in line)
    assert " → 第一章 第四条 · 第18行（0.91，已采纳（李四））；第一章 第四条 · 第20行（0.86）" in fund_entry
    # A reviewed gap carries it in the gap list too.
    gap = next(i for i, line in enumerate(lines) if line[:1].isdigit() and texts[lottery][:20] in line)
    assert lines[gap + 1] == "   - 审核意见：" + "；".join(said[lottery])

    out = tmp_path / "r.xlsx"
    RENDERERS["xlsx"](reviewed, out)
    sheet = openpyxl.load_workbook(out)["对照表"]
    header = [c.value for c in sheet[1]]
    notes = {r[2]: r[header.index("备注")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    html = io.StringIO()
    RENDERERS["html"](reviewed, html)
    tree = LexborHTMLParser(html.getvalue())
    cards = tree.css("#directives article.dir")
    gap_item = next(li for li in tree.css("#gaps li") if texts[lottery][:20] in li.text())
    assert gap_item.css_first(".note").text() == "审核意见：" + said[lottery][1]
    assert said[lottery][0] in gap_item.css_first(".where").text()
    for did, expected in said.items():
        assert notes[texts[did]].splitlines() == expected
        card = next(c for c in cards if texts[did][:20] in c.text())
        override = [t.text() for t in card.css(".dhead .tag") if "复核，机器判断为" in t.text()]
        assert override + card.css_first(".note").text().removeprefix("审核意见：").splitlines() == expected
