"""Official formulations: mined from real directives, checked in real plans.

The real case of an older and a newer wording of one idea: 国发〔2013〕35号 and the 2018 老年人权益
保障法 say “以居家为基础、社区为依托、机构为支撑的养老服务体系”; the 2020 山东省养老服务条例 says
“居家社区机构相协调、医养康养相结合的养老服务体系”. The 2018 青岛 条例 still uses the older one.
"""
from alignment.analysis.formulations import (
    check_formulations,
    edit_distance,
    formulation_dict,
    mine_formulations,
    near_misses,
)

from .conftest import check_golden, parsed

OPINIONS = "corpus/central/2013-state-council-elderly-care-industry-opinions.txt"
LAW = "corpus/central/law-elderly-rights-protection-2018.txt"
SHANDONG = "corpus/provincial/shandong-elderly-care-services-regulations-2020.txt"
QINGDAO = "corpus/municipal/qingdao-elderly-care-promotion-regulations-2018.txt"
OLD = "居家为基础、社区为依托、机构为支撑"
NEW = "居家社区机构相协调、医养康养相结合"


def directives():
    return [parsed(OPINIONS), parsed(LAW), parsed(SHANDONG)]


def test_golden_mined_formulations():
    check_golden("formulations-mined", [
        {"phrase": f.phrase, "how": f.how, "documents": list(f.documents), "year": f.year, "replaced_by": f.replaced_by}
        for f in mine_formulations(directives())])


def test_newer_wording_replaces_the_older_one():
    mined = {f.phrase: f for f in mine_formulations(directives())}
    assert mined[OLD].replaced_by == NEW
    assert mined[NEW].replaced_by == ""
    assert mined[NEW].year == 2020


def test_plan_using_the_older_wording_is_flagged():
    checks = {c.formulation.phrase: c for c in check_formulations(mine_formulations(directives()), [parsed(QINGDAO)])}
    old = checks[OLD]
    assert old.status == "outdated"
    assert NEW in old.note
    text = parsed(QINGDAO).document.text
    assert all(text[w.char_start:w.char_end] == OLD for w in old.where)
    check_golden("formulations-qingdao-2018", [formulation_dict(c) for c in checks.values() if c.status != "absent"])


def test_quoted_and_listed_phrases_are_found():
    mined = {f.phrase: f for f in mine_formulations([parsed("corpus/central/2024-government-work-report.txt")])}
    assert mined["高效办成一件事"].how == "quoted"
    assert mined["高质量发展"].how == "listed"
    assert "中国式现代化" in mined


def test_near_miss_by_one_character_and_by_word_order():
    # A real sentence of the 2013 意见 with one character changed (支撑 -> 支持), and one with two
    # characters swapped: both read as near misses of the official wording, not as uses of it.
    changed = "建立和完善以居家为基础、社区为依托、机构为支持的养老服务体系。"
    assert [changed[s:e] for s, e in near_misses(changed, OLD)] == ["居家为基础、社区为依托、机构为支持"]
    swapped = "加快构建居家社区机构相协调、医康养养相结合的养老服务体系。"
    assert [swapped[s:e] for s, e in near_misses(swapped, NEW)] == ["居家社区机构相协调、医康养养相结合"]
    assert near_misses("以" + OLD + "的养老服务体系", OLD) == []


def test_edit_distance():
    assert edit_distance("高质量发展", "高质量发展") == 0
    assert edit_distance("高质量发展", "高质量的发展") == 1
    assert edit_distance("高质量发展", "高速度发展", limit=1) == 2
