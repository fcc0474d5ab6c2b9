"""policy-align review …: decisions from the command line, with exact error lines."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from alignment.cli import cli, review
from report.fixtures import demo_report


@pytest.fixture
def store_path(demo_store):
    return str(demo_store.path)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_accept_reject_then_list_and_log(store_path):
    report = demo_report()
    fund = report.directives[0]
    did, first, second = fund.directive.id, fund.matches[0].unit.id, fund.matches[1].unit.id
    res = invoke("review", "accept", did, first, "--store", store_path, "--reviewer", "张三", "-m", "对应")
    assert res.exit_code == 0, res.output
    assert res.output.strip() == f"已记录 #1：张三 accept {did} {first}"
    assert invoke("review", "reject", did, second, "--store", store_path, "--reviewer", "李四").exit_code == 0
    listed = invoke("review", "list", "--store", store_path, "--decision", "reject", "--format", "json")
    data = json.loads(listed.output)
    assert [d["id"] for d in data] == [did]
    assert [m["review"]["decision"] for m in data[0]["matches"]] == ["accept", "reject"]
    text = invoke("review", "list", "--store", store_path, "--status", "missing").output.splitlines()
    assert len([line for line in text if not line.startswith("    ")]) == 3
    log = invoke("review", "log", "--store", store_path).output.splitlines()
    assert [line.split("\t")[2:4] for line in log] == [["张三", "accept"], ["李四", "reject"]]


def test_runs_lists_each_run(store_path):
    out = invoke("review", "runs", "--store", store_path).output
    assert out.startswith("1\tcomplete\t")


def test_an_unknown_directive_is_one_error_line(store_path):
    res = invoke("review", "out-of-scope", "no-such-id", "--store", store_path, "--reviewer", "张三")
    assert res.exit_code == 1
    assert res.output == "Error: 第 1 次运行中没有要求 'no-such-id'：`policy-align review list` 可列出要求 ID。\n"


def test_review_without_a_store_says_how_to_make_one(tmp_path):
    missing = tmp_path / "none.db"
    res = invoke("review", "list", "--store", str(missing))
    assert res.exit_code == 1
    assert res.output.strip() == (f"Error: 找不到复核库 {missing}：请先运行 `policy-align report --store {missing} ...` "
                                  "创建，或用 --store PATH 指定已有的复核库。")


@pytest.mark.parametrize("name", sorted(review.commands))
def test_every_review_command_has_help(name):
    res = invoke("review", name, "--help")
    assert res.exit_code == 0
    assert review.commands[name].help and len(review.commands[name].help) > 20


def test_serve_and_report_store_have_help():
    assert "--token" in invoke("serve", "--help").output
    assert "--store" in invoke("report", "--help").output
