"""Task extraction: owners from annotations, table columns and running text; time nodes; flags.

Real text: the 广州市老年人助餐配餐服务管理办法 (owners named inline: 市、区民政部门负责…) and
国发〔2016〕36号 (民政部门、妇儿工委办公室要发挥牵头作用，会同教育、卫生计生…). Annotations
（责任单位：…） and a 任务分工 table with 牵头单位/配合单位/完成时限 columns do not occur in the
corpus; they are tested on the constructed plan (tests/data/analysis/README.md).
"""
from alignment.analysis.tasks import (
    annotations_in,
    deadlines_in,
    extract_tasks,
    inline_owners,
    parse_annotation,
    task_dict,
    tasks_by_owner,
)

from .conftest import check_golden, parsed

PLAN = "tests/data/analysis/constructed-municipal-plan.txt"
GUANGZHOU = "corpus/municipal/guangzhou-elderly-meal-service-measures-2024.txt"
CHILDREN = "corpus/central/2016-state-council-children-in-difficulty-opinions.txt"


def test_golden_tasks_constructed_plan():
    check_golden("tasks-constructed-plan", [task_dict(t) for t in extract_tasks(parsed(PLAN))])


def test_golden_tasks_guangzhou_measures():
    check_golden("tasks-guangzhou-elderly-meal-service-2024", [task_dict(t) for t in extract_tasks(parsed(GUANGZHOU))])


def test_golden_tasks_children_opinions():
    check_golden("tasks-children-in-difficulty-2016", [task_dict(t) for t in extract_tasks(parsed(CHILDREN))])


def test_annotation_with_two_roles():
    assert parse_annotation("牵头单位：市民政局；配合单位：市卫生健康委、市医保局") == {
        "lead": ("市民政局",), "cooperating": ("市卫生健康委", "市医保局")}
    roles, spans = annotations_in("完成新建小区配套设施移交。（责任单位：市民政局、市人力资源和社会保障局）")
    assert roles == {"responsible": ("市民政局", "市人力资源和社会保障局")}  # 和 inside a name is kept
    assert len(spans) == 1


def test_vague_owners_do_not_count():
    assert parse_annotation("责任单位：有关部门、各区政府") == {"responsible": ("各区政府",)}
    assert inline_owners("有关部门负责做好相关工作。") == {}


def test_inline_owners_from_real_text():
    text = parsed(GUANGZHOU).document.text
    article4 = text[text.index("第四条"):text.index("第五条")]
    owners = inline_owners(article4)["responsible"]
    assert "市、区民政部门" in owners and "各级市场监督管理部门" not in owners  # 各级… is too vague to count
    text = parsed(CHILDREN).document.text
    s = text.index("民政部门、妇儿工委办公室要发挥牵头作用")
    roles = inline_owners(text[s:text.index("。", s) + 1])
    assert roles["lead"] == ("民政部门", "妇儿工委办公室")
    assert {"教育", "卫生计生", "人力资源社会保障"} <= set(roles["cooperating"])


def test_deadlines():
    assert deadlines_in("2023年底前完成移交") == (("2023年底前",), 2023, False)
    assert deadlines_in("每年开展一次评估") == (("每年",), None, True)
    nodes, year, _ = deadlines_in("到2025年培育一批品牌，“十四五”期间持续推进")
    assert year == 2025 and "到2025年" in nodes


def test_owner_in_a_table_column_and_flags():
    tasks = extract_tasks(parsed(PLAN))
    table = [t for t in tasks if t.owner_origin == "table" or t.source.section_path[-1:] == ("三、 重点任务分工",)]
    first = next(t for t in tasks if t.source.text.startswith("推进医养结合"))
    assert (first.lead, first.cooperating, first.deadlines, first.owner_origin) == (
        ("市卫生健康委",), ("市民政局",), ("2024年底前",), "table")
    last = next(t for t in tasks if t.source.text == "完善养老服务人才培训体系")
    assert last.flags == ("no_owner",)
    rural = next(t for t in tasks if "切实加强农村养老服务" in t.source.text)
    assert rural.flags == ("no_owner", "no_deadline")
    assert len(table) >= 3


def test_tasks_by_owner_gives_each_unit_its_list_and_keeps_the_unowned():
    tasks = extract_tasks(parsed(PLAN))
    groups = tasks_by_owner(tasks)
    assert [role for role, _ in groups["市民政局"]] == ["负责", "牵头", "配合", "牵头"]
    assert len(groups["（未明确责任单位）"]) == sum(1 for t in tasks if not t.owners)


def test_owners_of_regulation_articles_with_bracketed_levels():
    # 德州市养老服务条例 第七条 and 第三十二条, as written: duties assigned as "X应当…".
    assert inline_owners("第七条 市、县（市、区）人民政府应当建立健全养老服务体系")["responsible"] == ("市、县（市、区）人民政府",)
    assert inline_owners("第三十二条 县（市、区）人民政府及乡镇人民政府、街道办事处应当统筹加强农村养老服务设施建设")[
        "responsible"] == ("县（市、区）人民政府", "乡镇人民政府", "街道办事处")
