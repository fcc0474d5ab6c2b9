"""Directive and plan units cut from real corpus documents."""
from pathlib import Path

import pytest

from alignment.pipeline import parse_path
from alignment.units import directive_units, plan_units

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def shandong():
    return parse_path(CORPUS / "provincial/shandong-elderly-rights-regulations-2014.txt")


def test_a_regulation_yields_one_directive_per_article_without_its_label(shandong):
    ds = directive_units(shandong)
    assert len(ds) == 61  # 第一条 to 第六十一条; 第六十二条 (本条例自2015年1月1日起施行) is not a directive
    assert not any("起施行" in d.unit.text for d in ds)
    art26 = next(d for d in ds if "本省通过基本养老保险制度" in d.unit.text)
    assert art26.unit.text.startswith("本省通过基本养老保险制度，保障老年人的基本生活。")
    assert "鼓励用人单位为职工办理补充养老保险" in art26.unit.text  # the article's second 款
    assert any("第二十六条" in p for p in art26.unit.section_path)
    assert "社会保障与服务" in " ".join(art26.unit.section_path)
    text = shandong.document.text
    assert text[art26.unit.char_start:art26.unit.char_end] == art26.unit.text


def test_plan_units_are_paragraphs_that_quote_the_document_exactly(shandong):
    units = plan_units(shandong)
    assert all(shandong.document.text[u.char_start:u.char_end] == u.text for u in units)
    assert all(len(u.text) <= 200 or "。" not in u.text[:-1] for u in units)
    assert any(u.text == "鼓励用人单位为职工办理补充养老保险。" for u in units)


def test_a_report_yields_action_sentences_not_its_review():
    parsed = parse_path(CORPUS / "central/19th-congress-report.txt")
    ds = directive_units(parsed)
    texts = [d.unit.text for d in ds]
    assert any(t.startswith("坚持在经济增长的同时实现居民收入同步增长") for t in texts)
    assert all(d.strength or d.actions for d in ds)
    # The short lead "全面实施全民参保计划。" travels with the sentence it introduces.
    assert any(t.startswith("全面实施全民参保计划。完善城镇职工基本养老保险") for t in texts)
