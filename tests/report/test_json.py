"""The JSON contract: to_dict round-trips, keeps Chinese and matches docs/report-schema.md field for field."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from alignment.report import SCHEMA_VERSION, render, to_dict
from alignment.schema import STATUSES

from .fixtures import ROOT, demo_report

SCHEMA_DOC = ROOT / "docs" / "report-schema.md"
_HEADING = re.compile(r"^### `(\w+)`")
_ROW = re.compile(r"^\| `(\w+)` \|")


def documented_fields() -> dict[str, set[str]]:
    """Object name -> the field names listed in its table in docs/report-schema.md."""
    fields: dict[str, set[str]] = {}
    current = None
    for line in SCHEMA_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## Example"):
            break
        if m := _HEADING.match(line):
            current = m.group(1)
            fields[current] = set()
        elif current and (m := _ROW.match(line)):
            fields[current].add(m.group(1))
    return fields


@pytest.fixture(scope="module")
def data() -> dict:
    return to_dict(demo_report())


def test_round_trips_through_json_with_chinese_intact(data):
    text = json.dumps(data, ensure_ascii=False)
    assert "山东省老年人权益保障条例" in text
    assert "\\u" not in text
    assert json.loads(text) == data


def test_every_documented_field_is_present_and_nothing_else(data):
    doc = documented_fields()
    tally = doc["tally"]
    directive = data["directives"][0]
    match = directive["matches"][0]
    summary = data["summary"]
    actual = {
        "report": set(data),
        "document": set(data["documents"][0]),
        "unit": set(match["unit"]),
        "directive": set(directive) - doc["unit"],
        "match": set(match),
        "evidence": set(match["evidence"]),
        "plan_unit": set(data["plan_units"][0]),
        "plan_unit_link": set(next(p for p in data["plan_units"] if p["directives"])["directives"][0]),
        "failure": set(data["failures"][0]),
        "summary": set(summary),
        "tally": set(summary["overall"]),
        "counts": set(summary["overall"]["counts"]),
        "summary_document": set(summary["documents"][0]) - tally,
        "summary_level": set(summary["levels"][0]) - tally,
        "summary_chapter": set(summary["chapters"][0]) - tally,
    }
    assert set(doc) == set(actual)
    for name, keys in actual.items():
        assert keys == doc[name], name
    # A directive carries every unit field too.
    assert doc["unit"] <= set(directive)
    for group in ("documents", "levels", "chapters"):
        assert tally <= set(summary[group][0])


def test_documented_example_parses_and_follows_the_contract(data):
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    example = json.loads(text.split("```json\n", 1)[1].split("\n```", 1)[0])
    assert set(example) == set(data)
    assert set(example["directives"][0]) == set(data["directives"][0])
    assert set(example["summary"]) == set(data["summary"])
    assert example["schema_version"] == SCHEMA_VERSION


def test_texts_are_exact_slices_of_the_document_text():
    report = demo_report()
    texts = {d.id: d.text for d in report.documents}
    data = to_dict(report)
    units = [d for d in data["directives"]] + [m["unit"] for d in data["directives"] for m in d["matches"]]
    units += [p["unit"] for p in data["plan_units"]]
    for u in units:
        start, end = u["char_start"], u["char_end"]
        assert texts[u["document"]][start:end] == u["text"]
    for d in data["directives"]:
        for m in d["matches"]:
            for s, e in m["evidence"]["directive_spans"]:
                assert 0 <= s < e <= len(d["text"])
            for s, e in m["evidence"]["unit_spans"]:
                assert 0 <= s < e <= len(m["unit"]["text"])


def test_values_and_ranges(data):
    assert data["schema_version"] == "2.0"
    assert data["created"] == "2025-01-01T09:00:00+08:00"
    assert [d["role"] for d in data["documents"]] == ["directive", "directive", "plan"]
    assert [d["level"] for d in data["documents"]] == ["central", "provincial", "municipal"]
    for d in data["directives"]:
        assert d["status"] in STATUSES
        assert 0 <= d["confidence"] <= 1
        assert d["strength"] in (1, 2, 3)
        assert all(0 <= m["score"] <= 1 for m in d["matches"])
    first = data["directives"][0]
    assert first["section_path"] == ["第一章", "第六条"]
    assert first["matches"][0]["unit"]["section_path"] == ["第一章", "第四条"]
    assert first["matches"][0]["evidence"]["shared_terms"] == ["国民经济和社会发展规划"]
    assert data["failures"][0]["path"].endswith("no-text-layer.pdf")


def test_summary_counts_on_the_fixture(data):
    summary = data["summary"]
    assert summary["overall"] == {
        "total": 12,
        "in_scope": 11,
        "counts": {"covered": 6, "partial": 2, "missing": 3, "out_of_scope": 1},
        "coverage": round((6 + 0.5 * 2) / 11, 4),
        "addressed": round(8 / 11, 4),
    }
    law, shandong = summary["documents"]
    assert (law["title"], law["total"], law["counts"]) == (
        "中华人民共和国老年人权益保障法（2018年修正）",
        4,
        {"covered": 2, "partial": 1, "missing": 1, "out_of_scope": 0},
    )
    assert law["coverage"] == 0.625 and law["addressed"] == 0.75
    assert (shandong["total"], shandong["in_scope"], shandong["coverage"]) == (8, 7, round(4.5 / 7, 4))
    assert [(g["level"], g["name"], g["total"]) for g in summary["levels"]] == [
        ("central", "中央", 4),
        ("provincial", "省级", 8),
    ]
    assert [(g["chapter"], g["heading"], g["total"]) for g in summary["chapters"]] == [
        ("第一章", "总则", 1),
        ("第三章", "社会保障", 1),
        ("第四章", "社会服务", 1),
        ("第七章", "参与社会发展", 1),
        ("第一章", "总则", 3),
        ("第三章", "社会保障与服务", 5),
    ]
    assert (summary["plan_units"], summary["unimplemented_plan_units"], summary["failures"]) == (13, 3, 1)


def test_numpy_scalars_become_plain_json_numbers():
    report = demo_report()
    result = report.directives[0]
    match = replace(result.matches[0], score=np.float32(0.75))
    result = replace(result, confidence=np.float64(0.5), matches=(match,))
    data = json.loads(json.dumps(to_dict(replace(report, directives=(result,)))))
    assert data["directives"][0]["matches"][0]["score"] == 0.75
    assert data["directives"][0]["confidence"] == 0.5


def test_render_json_file_is_utf8_with_chinese_as_is(tmp_path: Path):
    out = tmp_path / "report.json"
    assert render(demo_report(), out) == "json"
    raw = out.read_bytes().decode("utf-8")
    assert "德州市养老服务条例" in raw and raw.endswith("}\n")
    assert json.loads(raw) == to_dict(demo_report())
