"""``policy-align indicators``: 指标对标 on the command line."""
import json

from click.testing import CliRunner

from alignment.cli import cli

from .conftest import ROOT

GWR21 = ROOT / "corpus/central/2021-government-work-report.txt"
GWR22 = ROOT / "corpus/central/2022-government-work-report.txt"


def test_indicators_prints_the_comparison():
    res = CliRunner().invoke(cli, ["indicators", "-d", str(GWR21), "-p", str(GWR22)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "[低于上级要求] 上级: 国内生产总值增长 ≥6% (2021年)  |  本规划: 国内生产总值增长 ≈5.5%"
    assert "[一致] 上级: 城镇新增就业 ≥1100万人 (2021年)  |  本规划: 城镇新增就业 ≥1100万人" in lines


def test_indicators_json():
    res = CliRunner().invoke(cli, ["indicators", "-d", str(GWR21), "-p", str(GWR22), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows[0]["flags"] == ["weaker"]
    assert rows[0]["directive"]["value"] == 6.0 and rows[0]["plan"]["value"] == 5.5


def test_indicators_with_an_unreadable_plan_says_so(tmp_path):
    bad = tmp_path / "plan.pdf"
    bad.write_bytes(b"%PDF-1.7 not really")
    res = CliRunner().invoke(cli, ["indicators", "-d", str(GWR21), "-p", str(bad)])
    assert res.exit_code == 1
    assert res.output.startswith(f"Error: 无法读取 {bad.resolve()}：")
    assert res.output.count("\n") == 1


def test_new_commands_have_help():
    for name in ("indicators", "diff"):
        res = CliRunner().invoke(cli, [name, "--help"])
        assert res.exit_code == 0 and len(res.output.splitlines()) > 5
