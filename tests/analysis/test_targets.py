"""Target (指标) extraction on real corpus text, and 指标对标 on real chains.

Goldens: tests/data/analysis/targets-<name>.json. The awkward cases the issue names each have a
real example: ranges (35-40张 in the 2013 国务院 意见; 百分之四十至百分之五十 in the 浙江 条例),
Chinese numerals (百分之五十五 in the 德州 条例, 百分之一点五 in the 山东 办法), a target whose year is
stated one sentence (and one paragraph) earlier (the 2013 意见's 到2020年), and a 千分之 late fee
that is not a target (济南). The indicator-table case (主要指标表 with ‰, ranges, 约束性/预期性) uses
tests/data/analysis/constructed-municipal-plan.txt, a constructed text: the corpus holds no
indicator table (see tests/data/analysis/README.md).
"""
import pytest

from alignment.analysis.targets import compare_targets, extract_targets, indicator_similarity, target_dict

from .conftest import check_golden, parsed

CASES = {
    "2013-elderly-care-opinions": "corpus/central/2013-state-council-elderly-care-industry-opinions.txt",
    "2024-government-work-report": "corpus/central/2024-government-work-report.txt",
    "dezhou-elderly-care-2019": "corpus/municipal/dezhou-elderly-care-services-regulations-2019.txt",
    "zhejiang-social-assistance-2020": "corpus/provincial/zhejiang-social-assistance-regulations-2020.txt",
    "shandong-disabled-2017": "corpus/provincial/shandong-disabled-persons-law-implementing-measures-2017.txt",
    "guangzhou-dibao-standards-2025": "corpus/municipal/guangzhou-dibao-assistance-standards-2025.txt",
    "jinan-disabled-2013": "corpus/municipal/jinan-disabled-persons-rights-provisions-2013.txt",
    "constructed-plan": "tests/data/analysis/constructed-municipal-plan.txt",
}


def targets(rel):
    return extract_targets(parsed(rel))


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_targets(name):
    check_golden(f"targets-{name}", [target_dict(t) for t in targets(CASES[name])])


def test_offsets_locate_the_value_in_the_document():
    for rel in CASES.values():
        text = parsed(rel).document.text
        for t in targets(rel):
            assert t.source.text in text
            if t.origin == "text":
                assert text[t.source.char_start:t.source.char_end] in t.source.text


def _one(rel, indicator):
    found = [t for t in targets(rel) if indicator in t.indicator]
    assert len(found) == 1, [t.indicator for t in targets(rel)]
    return found[0]


def test_range_with_a_per_population_unit_and_a_year_from_an_earlier_paragraph():
    t = _one(CASES["2013-elderly-care-opinions"], "社会养老床位数")
    assert (t.value, t.value_high, t.unit, t.comparison, t.target_year) == (35, 40, "张/千人", "区间", 2020)


def test_chinese_numeral_percentages():
    t = _one(CASES["dezhou-elderly-care-2019"], "福利彩票公益金")
    assert (t.value, t.unit, t.comparison, t.wording) == (55, "%", "≥", "以上")
    t = _one(CASES["shandong-disabled-2017"], "在职职工总数")
    assert (t.value, t.comparison, t.wording) == (1.5, "≥", "不低于")


def test_chinese_numeral_range_and_a_floor_written_before_its_reference():
    zj = CASES["zhejiang-social-assistance-2020"]
    t = _one(zj, "城镇最低生活保障标准")
    assert (t.value, t.value_high, t.comparison) == (40, 50, "区间")
    t = _one(zj, "农村最低生活保障标准")
    assert (t.value, t.comparison) == (70, "≥")


def test_magnitudes_are_normalized():
    gwr = CASES["2024-government-work-report"]
    assert _one(gwr, "城镇新增就业").value == 12_000_000
    grain = _one(gwr, "粮食产量")
    assert (grain.value, grain.unit, grain.target_year) == (1.3e12, "斤", 2024)
    assert _one(gwr, "城镇调查失业率").comparison == "≈"


def test_money_per_month_standards():
    t = _one(CASES["guangzhou-dibao-standards-2025"], "城乡最低生活保障标准")
    assert (t.value, t.unit, t.comparison) == (1309, "元/月", "=")


def test_a_permille_late_fee_is_not_a_target():
    assert not any("千分之" in t.source.text[:t.source.char_end] for t in targets(CASES["jinan-disabled-2013"])
                   if t.value == 0.5)
    assert [t.value for t in targets(CASES["jinan-disabled-2013"])] == [15, 1.5]


def test_indicator_table_rows():
    rows = [t for t in targets(CASES["constructed-plan"]) if t.origin == "table"]
    by_name = {t.indicator: t for t in rows}
    assert set(by_name) == {"养老机构护理型床位占比", "每千名老年人拥有养老床位数", "婴儿死亡率",
                            "城乡居民养老保险参保人数", "经济困难失能老年人集中照护补贴"}
    infant = by_name["婴儿死亡率"]
    assert (infant.value, infant.unit, infant.comparison, infant.baseline, infant.baseline_year,
            infant.target_year, infant.nature) == (0.45, "%", "≤", 0.52, 2020, 2025, "预期性")
    assert by_name["城乡居民养老保险参保人数"].value == 4_500_000
    assert by_name["经济困难失能老年人集中照护补贴"].aspirational
    assert by_name["养老机构护理型床位占比"].nature == "约束性"


def test_aspiration_belongs_to_its_own_clause():
    text_targets = {t.indicator: t for t in targets(CASES["constructed-plan"]) if t.origin == "text"}
    assert text_targets["城市社区日间照料中心覆盖率"].aspirational
    assert not text_targets["农村幸福院覆盖率"].aspirational


def test_similarity_is_zero_across_dimensions():
    a = _one(CASES["2024-government-work-report"], "城镇新增就业")
    b = _one(CASES["2024-government-work-report"], "城镇调查失业率")
    assert indicator_similarity(a, b) == 0.0
    assert indicator_similarity(a, a) == 1.0


def test_weaker_target_between_two_real_work_reports():
    rows = compare_targets(targets("corpus/central/2021-government-work-report.txt"),
                           targets("corpus/central/2022-government-work-report.txt"))
    gdp = next(c for c in rows if c.directive and c.directive.indicator == "国内生产总值增长")
    assert gdp.plan.indicator == "国内生产总值增长"
    assert "weaker" in gdp.flags
    jobs = next(c for c in rows if c.directive and c.directive.indicator == "城镇新增就业")
    assert jobs.flags == ()
    energy = next(c for c in rows if c.directive and "能耗" in c.directive.indicator)
    assert energy.flags == ("no_plan_counterpart",)
    assert any(c.flags == ("no_basis",) for c in rows)


def test_lottery_fund_share_answers_the_central_opinion():
    """国发〔2013〕35号 asks 50%以上 of 彩票公益金 for elderly care; 德州 sets 百分之五十五以上 (stronger)."""
    rows = compare_targets(targets(CASES["2013-elderly-care-opinions"]), targets(CASES["dezhou-elderly-care-2019"]))
    pairs = {c.plan.unit: c for c in rows if c.plan is not None and c.directive is not None}
    assert (pairs["%"].directive.value, pairs["%"].plan.value) == (50, 55)
    assert pairs["%"].flags == ()
    # 人均用地不少于0.1平方米 (2013) and 德州's 人均用地不少于零点二平方米 (a Chinese numeral): stronger too.
    assert (pairs["平方米"].directive.value, pairs["平方米"].plan.value) == (0.1, 0.2)
    assert pairs["平方米"].flags == ()


def test_weaker_and_different_year_against_a_plan():
    """The constructed plan's 2025 bed ratio is the 2013 意见's 2020 target: same value, other year."""
    rows = compare_targets(targets(CASES["2013-elderly-care-opinions"]), targets(CASES["constructed-plan"]))
    beds = next(c for c in rows if c.directive and "床位数" in c.directive.indicator)
    assert beds.plan is not None and "床位数" in beds.plan.indicator
    assert "different_year" in beds.flags and "weaker" not in beds.flags
    golden = [{"directive": c.directive.indicator if c.directive else None,
               "plan": c.plan.indicator if c.plan else None, "flags": list(c.flags), "note": c.note} for c in rows]
    check_golden("compare-2013-opinions-vs-constructed-plan", golden)


def test_chinese_numeral_standard_per_hundred_households_pairs_across_levels():
    """山东省养老服务条例 (2020) 第十一条: 每一百户不低于二十平方米; 德州 (2019): 每百户不低于二十平方米."""
    province = extract_targets(parsed("corpus/provincial/shandong-elderly-care-services-regulations-2020.txt"))
    rows = compare_targets(province, targets(CASES["dezhou-elderly-care-2019"]))
    pair = next(c for c in rows if c.directive is not None and c.plan is not None and c.plan.unit == "平方米/百户")
    assert (pair.directive.value, pair.plan.value, pair.directive.comparison) == (20, 20, "≥")
    assert pair.flags == ()
