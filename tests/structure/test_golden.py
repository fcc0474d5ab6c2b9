"""Golden section trees of real documents, extracted with ``alignment.ingest.extract``.

Each case has two committed files in tests/data/structure/: ``<name>.json`` (``to_dict`` output,
compared exactly) and ``<name>.tree.txt`` (``tree_text`` output, the one to read when reviewing a
change). ``pytest tests/structure --update-golden`` rewrites them from the current code.
"""
from __future__ import annotations

import json
from functools import lru_cache

import pytest

from alignment.ingest import extract
from alignment.schema import ParsedDocument
from alignment.structure import parse, to_dict, tree_text

from .helpers import GOLDEN, ROOT, check_tree, find, make_doc, raw_corpus_doc

#: Golden name -> source file, relative to the repository root.
CASES = {
    "law-elderly-rights-protection-2018": "corpus/central/law-elderly-rights-protection-2018.txt",
    "2020-social-assistance-reform-opinions":
        "corpus/central/2020-cpc-gov-offices-social-assistance-reform-opinions.txt",
    "dezhou-elderly-care-services-regulations-2019":
        "corpus/municipal/dezhou-elderly-care-services-regulations-2019.txt",
    "guangzhou-home-community-elderly-care-measures-2022":
        "corpus/municipal/guangzhou-home-community-elderly-care-measures-2022.txt",
    "constitution-2018": "corpus/pdf/constitution-2018.pdf",
    "covid-prevention-control-plan-v9-2022": "corpus/pdf/covid-prevention-control-plan-v9-2022.pdf",
    # Fixtures the ingest tests commit: one per source format.
    "ingest-dibao-standards-docx": "tests/data/ingest/dibao-standards.docx",
    "ingest-gbk-txt": "tests/data/ingest/gbk.txt",
    "ingest-wrapped-header-footer-pdf": "tests/data/ingest/wrapped-header-footer.pdf",
    "ingest-gov-page-html": "tests/data/ingest/gov-page.html",
    "ingest-charity-regulations-ofd": "tests/data/ingest/charity-regulations.ofd",
}


@lru_cache(maxsize=None)
def parsed_case(rel: str) -> ParsedDocument:
    """Parse a repository file, extracted by its path relative to the root (so the path recorded
    in the document, and in the golden, does not depend on where the checkout lives)."""
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return parse(extract(rel))
    finally:
        os.chdir(cwd)


#: Field order of a section record in the golden files.
FIELDS = ("id", "kind", "level", "label", "number", "heading", "path", "char_start", "char_end",
          "own_start", "own_end", "page_start", "page_end", "sentences", "children", "text")


def flatten(data: dict) -> dict:
    """``to_dict`` output with the nested sections listed in document order, one record each:
    a list of values in :data:`FIELDS` order, ``children`` given as ids. The same facts as the
    nested form, one line per section in the golden file."""
    sections: list[list] = []

    def visit(section: dict) -> None:
        assert set(section) == set(FIELDS), "to_dict fields changed: update FIELDS"
        record = dict(section, children=[c["id"] for c in section["children"]])
        sections.append([record[k] for k in FIELDS])
        for child in section["children"]:
            visit(child)

    for top in data["sections"]:
        visit(top)
    return {**data, "fields": list(FIELDS), "sections": sections}


def dump_golden(flat: dict) -> str:
    """The flattened golden as JSON: document facts first, then one line per section."""
    lines = ["{"]
    for key in (k for k in flat if k != "sections"):
        lines.append(f" {json.dumps(key)}: {json.dumps(flat[key], ensure_ascii=False)},")
    rows = [json.dumps(s, ensure_ascii=False) for s in flat["sections"]]
    lines.append(' "sections": [')
    lines.extend(f"  {row}," for row in rows[:-1])
    if rows:
        lines.append(f"  {rows[-1]}")
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def compare_or_update(name: str, parsed: ParsedDocument, update: bool) -> None:
    flat = json.loads(json.dumps(flatten(to_dict(parsed)), ensure_ascii=False))
    tree = tree_text(parsed) + "\n"
    json_path = GOLDEN / f"{name}.json"
    tree_path = GOLDEN / f"{name}.tree.txt"
    if update:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        json_path.write_text(dump_golden(flat), encoding="utf-8")
        tree_path.write_text(tree, encoding="utf-8")
    assert json_path.exists(), f"no golden {json_path}; run pytest tests/structure --update-golden"
    assert tree_path.read_text(encoding="utf-8") == tree
    assert json.loads(json_path.read_text(encoding="utf-8")) == flat


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_tree(name: str, update_golden: bool) -> None:
    parsed = parsed_case(CASES[name])
    check_tree(parsed)
    compare_or_update(name, parsed, update_golden)


def test_golden_format_round_trips() -> None:
    parsed = parse(make_doc("一、总体要求\n（一）指导思想。坚持人民至上。\n二、主要任务\n", doc_id="tiny"))
    flat = json.loads(json.dumps(flatten(to_dict(parsed)), ensure_ascii=False))
    assert json.loads(dump_golden(flat)) == flat
    assert [s[0] for s in flat["sections"]] == ["tiny/i1", "tiny/i1.ii1", "tiny/i2"]
    assert flat["sections"][0][FIELDS.index("children")] == ["tiny/i1.ii1"]


def test_constitution_pages_match_its_table_of_contents() -> None:
    """The printed 目录 of the 2018 Constitution gives the page each chapter and 节 starts on."""
    parsed = parsed_case(CASES["constitution-2018"])
    toc_pages = {("chapter", 1): 4, ("chapter", 2): 8, ("chapter", 3): 11, ("chapter", 4): 24,
                 ("section", 1): 11, ("section", 2): 15, ("section", 3): 16, ("section", 4): 17,
                 ("section", 5): 18, ("section", 6): 20, ("section", 7): 21, ("section", 8): 22}
    for (kind, number), page in toc_pages.items():
        section = find(parsed, kind=kind, number=number)
        assert len(section) == 1, (kind, number)
        assert section[0].page_start == page, (kind, number)
    assert [s.kind for s in parsed.root.children][:3] == ["preamble", "toc", "heading"]
    assert len(find(parsed, kind="article")) == 143


def test_covid_plan_pages_and_annexes() -> None:
    """Pages checked against the PDF by hand: where each heading's text is printed."""
    parsed = parsed_case(CASES["covid-prevention-control-plan-v9-2022"])
    expected = {
        ("item1", "总体要求"): 2,
        ("annex", "公民防疫基本行为准则"): 25,
        ("annex", "密切接触者判定与管理指南"): 53,
        ("item1", "省会城市和千万级人口以上城市"): 77,
        ("item1", "术语和定义"): 150,
    }
    for (kind, heading), page in expected.items():
        section = find(parsed, kind=kind, heading=heading)
        assert len(section) == 1, heading
        assert section[0].page_start == page, heading
    plan = parsed.root.children[1]
    assert (plan.kind, plan.label, plan.heading) == ("annex", "", "新型冠状病毒肺炎防控方案")
    assert [c.label for c in plan.children][:3] == ["一、", "二、", "三、"]
    annexes = [s.label for s in parsed.root.children if s.kind == "annex" and s.label]
    assert {"附件1", "附件14", "附件4-1", "附件12-3"} <= set(annexes)


@pytest.mark.parametrize("rel", [
    "corpus/central/law-elderly-rights-protection-2018.txt",
    "corpus/provincial/shandong-disabled-persons-law-implementing-measures-2017.txt",
    "corpus/municipal/guangzhou-home-community-elderly-care-measures-2022.txt",
])
def test_section_paths_read_like_citations(rel: str) -> None:
    parsed = parsed_case(rel)
    paths = {s.path for s in parsed.root.walk() if s.kind == "article"}
    if "law-elderly" in rel:
        assert ("第三章", "第二十八条") in paths
    elif "shandong" in rel:
        assert ("预防、康复和医疗", "第十五条") in paths
    else:
        assert ("广州市居家社区养老服务管理办法", "第四章", "第二十四条") in paths


def test_every_corpus_text_keeps_the_invariants() -> None:
    for path in sorted((ROOT / "corpus").glob("*/*.txt")):
        parsed = parsed_case(str(path.relative_to(ROOT)))
        check_tree(parsed)
        kinds = {s.kind for s in parsed.root.walk()}
        assert kinds & {"chapter", "article", "item1", "item2"}, path.name


def test_raw_text_gives_the_same_tree_shape_as_extracted_text() -> None:
    """Indentation (　　), no-break and en spaces, CRLF and BOMs of the raw files change nothing."""
    for path in sorted((ROOT / "corpus").glob("*/*.txt")):
        rel = str(path.relative_to(ROOT))
        raw = parse(raw_corpus_doc(rel.removeprefix("corpus/")))
        check_tree(raw)
        extracted = parsed_case(rel)
        shape = [(s.kind, s.label, s.heading, s.level) for s in raw.root.walk()]
        assert shape == [(s.kind, s.label, s.heading, s.level) for s in extracted.root.walk()], path.name
