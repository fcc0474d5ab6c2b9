#!/usr/bin/env python3
"""Check this project's label files with the shared dev-set checkers, unchanged.

The shared checkers know only the shared cases by name. This script adds this project's cases to
their tables (without editing the shared files) and runs the checker that fits each file, chosen
by the case names in it:

* article-level cases: ``../shared/devset/check_dev.py`` (dev_gold_5.json, 慈善法 → 浙江办法);
* sentence-level report cases: ``../shared/devset/check_dev_2.py`` (dev_gold_6.json, 十九大报告
  part 五 → 2018 中央一号文件). That checker is written for part 八 → 2021 政府工作报告 part 三;
  its part, section, label, skip-list and plan-span constants are set here for part 五 and the
  一号文件, and its case table holds only this case (it requires the file's cases to match it).

Usage: ``python scripts/check_labels.py [FILE ...]`` (default: dev_gold_5.json and dev_gold_6.json).
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "corpus" / "labels"
sys.path.insert(0, str(ROOT.parent / "shared" / "devset"))
import check_dev  # noqa: E402
import check_dev_2  # noqa: E402

# --- article level (check_dev): 慈善法 (2023) -> 浙江省实施《慈善法》办法 (dev_gold_5.json)
LAW = "shared/corpus/central/law-charity-2023.txt"
ZJ = "shared/corpus/provincial/zhejiang-charity-law-implementing-measures-2018.txt"
#: 立法目的, 适用范围, definitions, 慈善日, delegation to 国务院, applicable law (see the case's scope)
SKIP = {1, 2, 3, 7, 8, 20, 21, 34, 44, 51, 52}
ARTICLE_CASES = {
    "dev-charity-law-to-zhejiang-measures": {
        "directive_files": [LAW],
        "plan_files": [ZJ],
        # no chapter span: the law's 目录 repeats every chapter heading
        "scope": {LAW: ((set(range(4, 109)) - SKIP) | {122, 123, 124}, None)},
    },
}

# --- sentence level (check_dev_2): 十九大报告 part 五 -> 2018 中央一号文件 (dev_gold_6.json)
CONGRESS19 = "shared/corpus/central/19th-congress-report.txt"
NO1_2018 = "shared/corpus/central/2018-cpc-state-council-rural-revitalization-opinions.txt"
CASE_PART5 = "dev-19th-congress-part5-to-2018-no1-document"
PART5_START = "五、贯彻新发展理念，建设现代化经济体系"
SENTENCE_CASES = {
    CASE_PART5: {
        "directive_files": [CONGRESS19],
        "plan_files": [NO1_2018],
        "part": (PART5_START, "六、健全人民当家作主制度体系"),
        "sections": [  # label prefix, whitespace-free start marker (searched in this order)
            ("五-引言", PART5_START),
            ("五（一）", "（一）深化供给侧结构性改革。"),
            ("五（二）", "（二）加快建设创新型国家。"),
            ("五（三）", "（三）实施乡村振兴战略。"),
            ("五（四）", "（四）实施区域协调发展战略。"),
            ("五（五）", "（五）加快完善社会主义市场经济体制。"),
            ("五（六）", "（六）推动形成全面开放新格局。"),
            ("五-结语", "同志们！解放和发展社会生产力"),
        ],
        "label": r"^(五-引言|五（[一二三四五六]）|五-结语)-([1-9][0-9]*)$",
        # purely descriptive sentences (prefixes of the whitespace-free sentence); the title runs
        # into an action sentence (必须坚定不移把发展…), which is judged, so it is not listed
        "skip": [
            "我国经济已由高速增长阶段转向高质量发展阶段",
            "创新是引领发展的第一动力",
            "开放带来进步，封闭必然落后。",
            "中国开放的大门不会关闭",
            "同志们！",
            "解放和发展社会生产力，是社会主义的本质要求",
        ],
        # plan: the whole 一号文件 from its title; the span ends where the closing call
        # (让我们…作出新的贡献！) begins, since the checker needs an end marker
        "plan_span": ("中共中央国务院关于实施乡村振兴战略的意见", "让我们更加紧密地团结在以习近平同志为核心的党中央周围"),
    },
}


def use_sentence_case(name):
    """Point check_dev_2's part-八 constants at this case and make it the only known case."""
    spec = SENTENCE_CASES[name]
    m = check_dev_2
    m.CASES = {name: {"directive_files": spec["directive_files"], "plan_files": spec["plan_files"]}}
    m.CASE_19TH = name
    m.CONGRESS19, m.GWR2021 = spec["directive_files"][0], spec["plan_files"][0]
    m.PART8_START, m.PART8_END = spec["part"]
    m.SECTIONS = spec["sections"]
    m.LABEL_19 = m.re.compile(spec["label"])
    m.SKIP_PREFIXES = spec["skip"]
    m.PART3_START, m.PART3_END = spec["plan_span"]


def check(path):
    names = [c.get("name") for c in json.loads(Path(path).read_text(encoding="utf-8"))["cases"]]
    if names and all(n in ARTICLE_CASES for n in names):
        check_dev.CASES.update(ARTICLE_CASES)
        check_dev.errors.clear()  # one run per file
        return check_dev.main([str(path)])
    if len(names) == 1 and names[0] in SENTENCE_CASES:
        use_sentence_case(names[0])
        check_dev_2._errors.clear()
        return check_dev_2.main([str(path)])
    print(f"{path}: no checker set up here for cases {names}")
    return 1


if __name__ == "__main__":
    files = sys.argv[1:] or [str(LABELS / "dev_gold_5.json"), str(LABELS / "dev_gold_6.json")]
    sys.exit(max(check(f) for f in files))
