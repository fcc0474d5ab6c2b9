"""Small closed word lists the aligner reads: action verbs, modal markers and target groups.

These are facts about the register of Chinese official documents, not tuned weights: the scorer
learns how much each signal counts.
"""
from __future__ import annotations

import re

#: Modal markers by strength: 3 mandate, 2 push forward, 1 encourage. Longest first within a level.
MODALS: dict[int, tuple[str, ...]] = {
    3: ("必须", "应当", "应该", "不得", "严禁", "禁止", "务必", "要", "须"),
    2: ("加快", "推进", "推动", "加强", "强化", "完善", "健全", "落实", "深化", "实施", "建立", "提高",
        "坚持", "保障", "促进", "扩大", "优化", "规范", "做好", "全面", "持续", "巩固", "统筹", "构建"),
    1: ("鼓励", "支持", "引导", "探索", "力争", "倡导", "提倡", "可以", "逐步", "有条件的", "适时"),
}

#: Verbs that ask for an action; a directive clause carries at least one.
ACTION_VERBS: tuple[str, ...] = (
    "健全", "完善", "加强", "推进", "落实", "建立", "实施", "发展", "坚持", "推动", "加快", "强化", "深化",
    "提高", "提升", "促进", "保障", "构建", "优化", "规范", "扩大", "支持", "鼓励", "引导", "探索", "建设",
    "开展", "提供", "给予", "纳入", "制定", "组织", "落实", "保护", "维护", "培育", "增加", "改善", "统筹",
    "整合", "设立", "配备", "配置", "予以", "安排", "监督", "管理", "指导", "协调", "宣传", "培训", "资助",
    "补贴", "救助", "帮扶", "扶持", "减免", "优先", "免费", "评估", "登记", "备案", "审核", "审批", "核查",
    "公开", "公示", "稳定", "巩固", "防范", "打击", "严厉", "整治", "全面", "深入", "创新", "拓宽", "增强",
    "兜住", "兜牢", "织密", "筑牢", "守住", "确保", "实行", "执行", "依法", "加大", "减少", "降低", "控制",
    "培养", "造就", "营造", "推行",
)

#: Target groups: canonical name -> the surface forms that name it.
TARGET_GROUPS: dict[str, tuple[str, ...]] = {
    "老年人": ("老年人", "老人", "高龄", "失能", "失智", "空巢", "养老", "老龄", "长者"),
    "残疾人": ("残疾人", "残疾", "残障", "盲人", "聋人", "肢体残疾", "精神残疾", "智力残疾"),
    "儿童": ("儿童", "未成年人", "孤儿", "婴幼儿", "少年", "学生", "托育"),
    "特困人员": ("特困人员", "特困", "五保", "供养"),
    "低保": ("最低生活保障", "低保"),
    "低收入": ("低收入", "困难群众", "困难家庭", "生活困难", "经济困难", "贫困", "低收入人口"),
    "临时救助": ("临时救助", "急难", "突发"),
    "受灾人员": ("受灾", "灾害", "灾民", "自然灾害"),
    "医疗救助": ("医疗救助", "医疗费用", "医疗保险", "医保"),
    "教育救助": ("教育救助", "就学", "入学", "教育"),
    "住房救助": ("住房救助", "住房", "公租房", "危房"),
    "就业": ("就业", "失业", "职业培训", "创业", "岗位"),
    "妇女": ("妇女", "女性", "孕产妇"),
    "流浪乞讨": ("流浪", "乞讨"),
    "退役军人": ("退役军人", "军人", "优抚"),
    "农村": ("农村", "农民", "乡村", "村民"),
    "慈善": ("慈善", "捐赠", "募捐", "志愿"),
    "社会组织": ("社会组织", "社会工作", "社工"),
    "养老机构": ("养老机构", "敬老院", "福利院", "养老院"),
}

#: Arabic or Chinese numbers with their unit, e.g. 60周岁, 百分之十五, 15%.
NUMBER_RE = re.compile(r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)(?:%|‰|周岁|岁|年|个月|日|元|万|张|人|倍|小时)")


def strength_of(text: str) -> int:
    """3, 2 or 1 for the strongest modal marker in ``text``; 0 when none."""
    for level in (3, 2, 1):
        if any(m in text for m in MODALS[level]):
            return level
    return 0


def actions_in(text: str) -> tuple[str, ...]:
    """The action verbs of ``text``, in first-occurrence order, without repeats."""
    found = [(text.find(v), v) for v in set(ACTION_VERBS) if v in text]
    return tuple(v for _, v in sorted(found))


def groups_in(text: str) -> frozenset[str]:
    """Canonical target groups named in ``text``."""
    return frozenset(g for g, forms in TARGET_GROUPS.items() if any(f in text for f in forms))


def numbers_in(text: str) -> frozenset[str]:
    """Numbers with units in ``text`` (as written), e.g. {'60周岁', '15%'}."""
    return frozenset(NUMBER_RE.findall(text))
