"""The ``analysis`` object of the JSON report matches docs/report-schema.md field for field."""
import re

from alignment.analysis import analyze
from alignment.analysis.export import analysis_dict, analysis_markdown
from alignment.analysis.records import LevelCoverage, LevelLink, SkippedLevel, Tracing

from .conftest import ROOT, parsed

SCHEMA_DOC = ROOT / "docs" / "report-schema.md"
_HEADING = re.compile(r"^#### `(\w+)`")
_ROW = re.compile(r"^\| `(\w+)` \|")


def documented() -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    current = None
    text = SCHEMA_DOC.read_text(encoding="utf-8").split("## The analysis object", 1)[1]
    for line in text.split("## The other formats", 1)[0].splitlines():
        if m := _HEADING.match(line):
            current = m.group(1)
            fields[current] = set()
        elif current and (m := _ROW.match(line)):
            fields[current].add(m.group(1))
    return fields


def test_every_documented_analysis_field_is_present_and_nothing_else():
    directives = [parsed("corpus/central/2013-state-council-elderly-care-industry-opinions.txt")]
    plan = [parsed("tests/data/analysis/constructed-municipal-plan.txt"),
            parsed("corpus/municipal/qingdao-elderly-care-promotion-regulations-2018.txt")]
    tracing = Tracing(links=(LevelLink("a", "b", 0.5, "covered"),), skipped=(SkippedLevel("a", "b", "lower_unanswered"),),
                      coverage=(LevelCoverage("central", 1, 1, 0, 0),))
    data = analysis_dict(analyze(directives, plan, tracing=tracing))
    pair = next(t for t in data["targets"] if t["directive"] and t["plan"])
    used = next(f for f in data["formulations"] if f["where"])
    actual = {
        "analysis": set(data),
        "target_comparison": set(pair),
        "target": set(pair["plan"]),
        "task": set(data["tasks"][0]),
        "formulation": set(used),
        "formulation_place": set(used["where"][0]),
        "tracing": set(data["tracing"]),
        "level_link": set(data["tracing"]["links"][0]),
        "skipped_level": set(data["tracing"]["skipped"][0]),
        "level_coverage": set(data["tracing"]["coverage"][0]),
    }
    doc = documented()
    assert set(doc) == set(actual)
    for name, keys in actual.items():
        assert keys == doc[name], name


def test_no_analysis_gives_null_and_no_markdown():
    assert analysis_dict(None) is None
    from alignment.schema import Report

    assert analysis_markdown(Report(documents=(), directives=(), plan_units=(), method="x", embedder="none")) == []
