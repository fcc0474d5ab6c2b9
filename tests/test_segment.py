"""Segmentation with the policy dictionary: golden tokens on real sentences from corpus/."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from alignment.errors import ConfigError
from alignment.segment import (
    Segmenter,
    Token,
    cjk_bigrams,
    default_segmenter,
    is_policy_term,
    load_synonyms,
    models_dir,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
MODELS = ROOT / "models"

# (corpus file, sentence, golden tokens, golden terms)
GOLDEN = [
    (
        "provincial/shandong-elderly-rights-regulations-2014.txt",
        "第六条 本省建立健全老年人多层次社会保障体系和以居家为基础、社区为依托、机构为支撑的社会养老服务体系。",
        ["第六条", " ", "本省", "建立健全", "老年人", "多层次社会保障体系", "和", "以", "居家", "为", "基础",
         "、", "社区", "为", "依托", "、", "机构", "为", "支撑", "的", "社会养老服务体系", "。"],
        ["建立健全", "老年人", "多层次社会保障体系", "社会保障体系", "社会保障", "居家", "基础", "社区",
         "依托", "机构", "支撑", "社会养老服务体系", "养老服务体系", "养老服务", "养老"],
    ),
    (
        "provincial/shandong-elderly-rights-regulations-2014.txt",
        "第三条 本条例所称老年人是指六十周岁以上的公民。",
        ["第三条", " ", "本", "条例", "所", "称", "老年人", "是", "指", "六十", "周岁", "以上", "的", "公民", "。"],
        ["老年人", "六十", "周岁", "公民"],
    ),
    (
        "central/20th-congress-report.txt",
        "完善残疾人社会保障制度和关爱服务体系，促进残疾人事业全面发展。",
        ["完善", "残疾人社会保障制度", "和", "关爱服务体系", "，", "促进", "残疾人事业", "全面", "发展", "。"],
        ["完善", "残疾人社会保障制度", "残疾人社会保障", "残疾人", "社会保障", "关爱服务体系", "关爱服务",
         "促进", "残疾人事业", "残疾人", "发展"],
    ),
    (
        "central/2021-government-work-report.txt",
        "实施积极应对人口老龄化国家战略，以“一老一小”为重点完善人口服务体系，优化生育政策，推动实现适度生育水平，"
        "发展普惠托育和基本养老服务体系，逐步延迟法定退休年龄。",
        ["实施", "积极应对人口老龄化国家战略", "，", "以", "“", "一老一小", "”", "为", "重点", "完善", "人口",
         "服务体系", "，", "优化", "生育政策", "，", "推动", "实现", "适度", "生育", "水平", "，", "发展",
         "普惠托育", "和", "基本", "养老服务体系", "，", "逐步", "延迟", "法定", "退休年龄", "。"],
        ["积极应对人口老龄化国家战略", "积极应对人口老龄化", "人口老龄化", "老龄化", "国家战略", "一老一小",
         "完善", "人口", "服务体系", "优化", "生育政策", "推动", "实现", "适度", "生育", "水平", "发展",
         "普惠托育", "托育", "基本", "养老服务体系", "养老服务", "养老", "延迟", "法定", "退休年龄"],
    ),
    (
        "central/state-council-social-assistance-interim-measures-2019.txt",
        "第九条 国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，"
        "给予最低生活保障。",
        ["第九条", " ", "国家", "对", "共同", "生活", "的", "家庭成员", "人均收入", "低于", "当地",
         "最低生活保障标准", "，", "且", "符合", "当地", "最低生活保障家庭", "财产状况", "规定", "的", "家庭",
         "，", "给予", "最低生活保障", "。"],
        ["共同", "生活", "家庭成员", "人均收入", "低于", "最低生活保障标准", "最低生活保障", "符合",
         "最低生活保障家庭", "最低生活保障", "财产状况", "家庭", "给予", "最低生活保障"],
    ),
    (
        "provincial/shandong-elderly-care-services-regulations-2020.txt",
        "第四十二条 县级以上人民政府卫生健康、民政、医疗保障等部门应当建立健全医养结合工作机制，根据老年人口数量和分布等情况，"
        "统筹医疗卫生和养老服务设施、资源，发挥互补优势，促进医疗卫生与养老服务融合发展。",
        ["第四十二条", " ", "县级以上人民政府", "卫生健康", "、", "民政", "、", "医疗保障", "等", "部门", "应当",
         "建立健全", "医养结合", "工作机制", "，", "根据", "老年人口", "数量", "和", "分布", "等", "情况", "，",
         "统筹", "医疗卫生", "和", "养老服务设施", "、", "资源", "，", "发挥", "互补", "优势", "，", "促进",
         "医疗卫生", "与", "养老服务", "融合发展", "。"],
        ["县级以上人民政府", "卫生健康", "民政", "医疗保障", "部门", "建立健全", "医养结合", "工作机制",
         "老年人口", "老年人", "数量", "分布", "统筹", "医疗卫生", "养老服务设施", "养老服务", "养老", "资源",
         "发挥", "互补", "优势", "促进", "医疗卫生", "养老服务", "养老", "融合发展"],
    ),
]


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter().warm_up()


def _corpus_text(rel: str) -> str:
    return (CORPUS / rel).read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("rel, sentence, tokens, terms", GOLDEN, ids=[g[1][:8] for g in GOLDEN])
def test_golden_tokens_and_terms(seg, rel, sentence, tokens, terms):
    assert sentence in _corpus_text(rel)
    got = seg.tokens(sentence)
    assert [t.text for t in got] == tokens
    assert all(sentence[t.start:t.end] == t.text for t in got)
    assert [t.start for t in got[1:]] == [t.end for t in got[:-1]] and got[-1].end == len(sentence)
    assert seg.terms(sentence) == terms


def test_offsets_are_exact(seg):
    sentence = "健全分层分类的社会救助体系。"
    assert sentence in _corpus_text("central/20th-congress-report.txt")
    assert seg.tokens(sentence) == [
        Token("健全", 0, 2), Token("分层分类", 2, 6), Token("的", 6, 7), Token("社会救助体系", 7, 13), Token("。", 13, 14),
    ]


def test_whole_document_round_trips_and_equals_jieba(seg):
    """The fast path returns exactly ``jieba.Tokenizer.tokenize(text, HMM=False)``, offsets included."""
    text = _corpus_text("provincial/zhejiang-social-assistance-regulations-2020.txt")
    text += "\n2025年GDP增长5%左右，C++与AI。"
    got = seg.tokens(text)
    assert "".join(t.text for t in got) == text
    assert [(t.text, t.start, t.end) for t in got] == list(seg.tokenizer.tokenize(text, HMM=False))


@pytest.mark.parametrize("term", ["社会救助", "最低生活保障", "医养结合", "一老一小", "特困人员", "两项补贴", "五社联动", "应保尽保"])
def test_dictionary_terms_are_single_tokens(seg, term):
    assert [t.text for t in seg.tokens(f"各地要加强{term}。")] == ["各地", "要", "加强", term, "。"]
    assert seg.is_policy_term(term) and is_policy_term(term)


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("低保", "最低生活保障"),
        ("特困", "特困人员"),
        ("残联", "残疾人联合会"),
        ("一老一幼", "一老一小"),
        ("困难残疾人生活补贴和重度残疾人护理补贴", "两项补贴"),
        ("医养融合", "医养结合"),
        ("三社联动", "五社联动"),
        ("长护险", "长期护理保险"),
    ],
)
def test_synonyms_map_to_the_canonical_form(seg, text, canonical):
    assert seg.terms(text, expand=False) == [canonical]
    assert seg.canonical(text) == canonical


def test_stopwords_punctuation_and_labels_are_dropped_numbers_kept(seg):
    text = "第十二条 本办法所称的低收入家庭，按照有关规定，应当于2025年12月31日前认定。"
    assert seg.terms(text) == ["低收入家庭", "2025", "年", "12", "月", "31", "日前", "认定"]


def test_expansion_adds_inner_policy_terms_only_at_word_boundaries(seg):
    assert seg.terms("健全社会救助体系", expand=False) == ["健全", "社会救助体系"]
    assert seg.terms("健全社会救助体系") == ["健全", "社会救助体系", "社会救助"]
    assert "民政" not in seg.terms("县级以上人民政府")  # 人民政府 holds 民政 only across a word boundary


def test_bigrams_stay_inside_cjk_runs(seg):
    assert seg.bigrams("社会救助，低保2025年") == ["社会", "会救", "救助", "低保"]
    assert cjk_bigrams("A") == [] and cjk_bigrams("〇一二") == ["〇一", "一二"]


def test_userdict_is_large_sorted_and_well_formed():
    lines = (MODELS / "userdict.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 2000
    words = [line.split(" ")[0] for line in lines]
    assert words == sorted(set(words))
    assert all(re.fullmatch(r"\S+ [1-9][0-9]* [a-z]+", line) for line in lines)


def test_every_synonym_and_curated_term_is_in_the_dictionary(seg):
    table = load_synonyms(MODELS / "synonyms.tsv")
    for variant, canonical in table.items():
        assert seg.is_policy_term(variant) and seg.is_policy_term(canonical), (variant, canonical)
        assert len(seg.tokens(variant)) == 1, variant
    curated = ROOT / "scripts" / "curated_terms.txt"
    for line in curated.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert seg.is_policy_term(line.split()[0]), line


def test_stopwords_are_not_policy_terms(seg):
    assert not seg.is_policy_term("的") and seg.is_stopword("的") and seg.is_stopword("本条例")
    assert not seg.is_stopword("社会救助")


def test_own_tokenizer_quiet_logger_and_project_cache(tmp_path, capfd):
    import jieba

    fresh = Segmenter(cache_dir=tmp_path / "cache")
    assert fresh._tokenizer is None  # nothing loads before first use
    fresh.tokens("社会救助")
    assert fresh.tokenizer is not jieba.dt
    assert (tmp_path / "cache" / "jieba.cache").is_file()
    assert logging.getLogger("jieba").getEffectiveLevel() >= logging.WARNING
    assert capfd.readouterr().err == ""


def test_models_dir_follows_the_environment(tmp_path, monkeypatch):
    assert models_dir() == MODELS
    monkeypatch.setenv("POLICY_ALIGN_MODELS", str(tmp_path))
    assert models_dir() == tmp_path
    with pytest.raises(ConfigError, match=r"^找不到用户词典 .*userdict\.txt：请运行 scripts/build_dictionary\.py"):
        Segmenter().warm_up()


def test_a_synonym_chain_is_refused(tmp_path):
    path = tmp_path / "synonyms.tsv"
    path.write_text("# chain\n低保\t最低生活保障\n最低生活保障\t社会救助\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="中的规范词 '最低生活保障'（'低保' 的规范词）本身又是变体"):
        load_synonyms(path)
    path.write_text("低保 最低生活保障\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="不是“变体<TAB>规范词”格式（variant<TAB>canonical）"):
        load_synonyms(path)


def test_default_segmenter_is_shared():
    assert default_segmenter() is default_segmenter()


@pytest.mark.slow
def test_build_dictionary_reproduces_the_committed_file(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "userdict.txt"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_dictionary.py"), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == (MODELS / "userdict.txt").read_bytes()
