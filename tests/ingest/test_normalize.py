"""Each normalization rule on its own, with the exact expected string."""

from __future__ import annotations

import pytest

from alignment.ingest.base import Line
from alignment.ingest.normalize import (
    assemble,
    clean_cell,
    clean_line,
    collapse_spaces,
    display_width,
    ends_sentence,
    fix_lookalikes,
    fold_width,
    is_page_number,
    normalize_newlines,
    normalize_text,
    running_lines,
    should_join,
    starts_heading,
    strip_invisible,
    strip_running_lines,
    wrap_width,
)
from alignment.schema import HeadingHint, PageSpan


def test_newlines_crlf_cr_and_unicode_separators():
    assert (
        normalize_newlines("第一条\r\n第二条\r第三条\u2028第四条\u2029第五条")
        == "第一条\n第二条\n第三条\n第四条\n第五条"
    )


def test_invisible_characters_are_dropped_tab_and_newline_kept():
    # The 2021 government work report starts with a zero-width space.
    assert strip_invisible("\u200b政府工作报告\ufeff") == "政府工作报告"
    assert strip_invisible("序号\t人群类别\n1\x07") == "序号\t人群类别\n1"
    assert strip_invisible("养老\u00ad服务\u200d") == "养老服务"


def test_full_width_digits_letters_and_percent_fold_chinese_punctuation_stays():
    assert fold_width("２０２１年增长５．２％，ＧＤＰ（初步核算）") == "2021年增长5.2%，GDP（初步核算）"
    assert fold_width("１．加强组织领导。") == "1.加强组织领导。"
    assert fold_width("（一）坚持党的领导；") == "（一）坚持党的领导；"


def test_radical_lookalikes_become_ordinary_ideographs():
    assert fix_lookalikes("⼀、⼯作⽬标") == "一、工作目标"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1982 年 12 月 4 日", "1982年12月4日"),  # Chinese and digits
        ("发病后 3 天内", "发病后3天内"),
        ("主要依靠其表面的 S 蛋白", "主要依靠其表面的S蛋白"),  # Chinese and Latin
        ("第一章\u3000总\u3000\u3000则", "第一章 总则"),  # letter-spaced word, label kept apart
        ("目\u3000录", "目录"),
        ("中 华 人 民 共 和 国", "中华人民共和国"),
        ("中共中央 国务院关于实施乡村振兴战略的意见", "中共中央 国务院关于实施乡村振兴战略的意见"),
        ("全面落实 “外防输入、内防反弹” 总策略", "全面落实“外防输入、内防反弹”总策略"),
        ("附件 1 《公民防疫基本行为准则》 。", "附件1《公民防疫基本行为准则》。"),
        ("variant of concern, VOC", "variant of concern, VOC"),  # English keeps its spaces
    ],
)
def test_spaces_inside_chinese_text(raw, expected):
    assert collapse_spaces(raw) == expected


def test_clean_line_applies_every_rule_and_keeps_table_tabs():
    assert (
        clean_line("\u3000\u3000第十四条\u3000本标准自２０２５年起\u200b执行 ")
        == "第十四条 本标准自2025年起执行"
    )
    assert clean_line("序 号\t人群类别\t每天 1 次") == "序号\t人群类别\t每天1次"
    assert clean_line("\ue000\uf0a8初筛阳性") == "初筛阳性"  # symbol-font check box


def test_clean_cell_rejoins_wrapped_cell_text():
    assert clean_cell("医疗机构就诊\n人员监测") == "医疗机构就诊人员监测"
    assert clean_cell("Omicron\nvariant") == "Omicron variant"
    assert clean_cell("每天\t1 检") == "每天1检"


@pytest.mark.parametrize(
    "line",
    [
        "— 3 —",
        "- 3 -",
        "—3—",
        "－ 12 －",
        "·5·",
        "第 3 页",
        "第3页 共10页",
        "第3页，共10页",
        "共10页 第3页",
        "3/10",
        "Page 3 of 10",
    ],
)
def test_page_number_forms(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["3", "第三条", "2021年", "一、总体要求", "第3页的表格", "1-14天"])
def test_not_page_numbers(line):
    assert not is_page_number(line)


def test_running_header_footer_and_page_numbers_are_dropped():
    pages = [
        ["广州市人民政府公报", "第一条 为了规范临时救助工作，", "制定本细则。", "— 1 —"],
        ["广州市人民政府公报", "第二条 本细则适用于本市。", "第三条 临时救助坚持应救尽救。", "— 2 —"],
        ["广州市人民政府公报", "第四条 市民政局主管全市临时救助工作。", "— 3 —"],
    ]
    assert strip_running_lines(pages) == [
        ["第一条 为了规范临时救助工作，", "制定本细则。"],
        ["第二条 本细则适用于本市。", "第三条 临时救助坚持应救尽救。"],
        ["第四条 市民政局主管全市临时救助工作。"],
    ]


def test_bare_page_numbers_are_dropped_only_when_they_follow_the_pages():
    pages = [["1", "联防联控机制综发〔2022〕71号"], ["2", "新型冠状病毒肺炎防控方案"], ["3", "一、总体要求"]]
    assert running_lines(pages) == {(0, 0), (1, 0), (2, 0)}
    table_cells = [["序号", "7"], ["序号", "2"], ["序号", "19"]]  # numbers that do not count pages
    assert (0, 1) not in running_lines(table_cells) and (2, 1) not in running_lines(table_cells)


def test_numbered_running_header_counts_as_repeated():
    body = ["第一条 为了规范临时救助工作。", "第二条 本细则适用于本市。", "第三条 临时救助坚持应救尽救。"]
    pages = [[f"第{i}页 共3页", body[i - 1], f"2021年第{i + 4}期 广州市人民政府公报"] for i in range(1, 4)]
    assert strip_running_lines(pages) == [[line] for line in body]


def test_sentence_ends_and_heading_starts():
    assert (
        ends_sentence("制定本条例。")
        and ends_sentence("现就有关事项通知如下：")
        and ends_sentence("“动态清零”。”")
    )
    assert ends_sentence("（一）宣传教育；") and not ends_sentence("完善养老服务体系，规")
    for line in [
        "第一章 总则",
        "第十二条 市、县",
        "一、总体要求",
        "（三）爱国卫生运动",
        "1.病例发现报告",
        "2、加强",
        "（2）抗原检测",
        "专栏1 重大工程",
        "附件",
        "附件2：",
        "附表1",
        "①同住",
    ]:
        assert starts_heading(line), line
    for line in ["1.5万人", "第一次会议通过", "附件1《公民防疫基本行为准则》", "一是加强", "专门"]:
        assert not starts_heading(line), line


def test_should_join_only_full_lines_that_do_not_end_a_sentence():
    assert should_join(
        "第一条 为了积极应对人口老龄化，完善养老服务体系，规",
        "范养老服务工作。",
        prev_full=True,
        indent=False,
    )
    assert not should_join(
        "第一条 为了积极应对人口老龄化，完善养老服务体系，规",
        "范养老服务工作。",
        prev_full=False,
        indent=False,
    )
    assert not should_join("制定本条例。", "第二条 本条例适用于本市。", prev_full=True, indent=False)
    assert not should_join("坚持“预防为主、防治结合", "一、总体要求", prev_full=True, indent=False)
    assert not should_join("坚持“预防为主、防治结合", "新的段落", prev_full=True, indent=True)


def test_wrap_width_recognises_hard_wrapped_text_only():
    assert display_width("第一条 abc") == 10
    assert wrap_width([56, 56, 54, 56, 30, 56, 56, 20]) == 56
    assert wrap_width([40, 300, 120, 88, 500, 60, 240, 70]) is None  # one paragraph per line
    assert wrap_width([40, 300, 120], force=True) == 120


def test_rejoin_keeps_breaks_after_sentences_and_before_headings():
    text = (
        "为指导各地做好新型冠状病毒肺炎（以下简称新冠肺炎，\n"
        "COVID-19）疫情防控工作，全面落实“外防输入、内防反弹”\n"
        "总策略和“动态清零”总方针，制定本方案。\n"
        "一、总体要求\n"
        "坚持“预防为主、防治结合、依法科学、分级分类”的原\n"
        "则，坚持常态化精准防控和局部应急处置相结合。"
    )
    assert (
        normalize_text(text, rejoin=True)
        == "为指导各地做好新型冠状病毒肺炎（以下简称新冠肺炎，COVID-19）疫情防控工作，全面落实“外防输入、"
        "内防反弹”总策略和“动态清零”总方针，制定本方案。\n"
        "一、总体要求\n"
        "坚持“预防为主、防治结合、依法科学、分级分类”的原则，坚持常态化精准防控和局部应急处置相结合。"
    )
    assert normalize_text(text, rejoin=False) == text.replace(" ", "")


def test_latin_words_split_by_a_wrap_keep_a_space():
    text = "截至2022年底，世界卫生组织提出的“关切的变异株”（variant\nof concern, VOC）有5个。"
    assert (
        normalize_text(text, rejoin=True)
        == "截至2022年底，世界卫生组织提出的“关切的变异株”（variant of concern, VOC）有5个。"
    )


def test_blank_line_runs_become_one():
    assert (
        normalize_text("\n\n决胜全面建成小康社会\n\n\n\n夺取新时代中国特色社会主义伟大胜利\n\n")
        == "决胜全面建成小康社会\n\n夺取新时代中国特色社会主义伟大胜利"
    )


def test_assemble_page_spans_follow_joins_across_pages():
    pages = [
        [Line("— 1 —", full=False), Line("第一条 为了促进慈善事业健康发展，弘扬", full=True)],
        [Line("慈善文化，制定本条例。", full=False), Line("— 2 —", full=False)],
        [],
        [Line("第二条 本条例适用于本市。", full=False)],
    ]
    built = assemble(pages, rejoin=True, paged=True)
    assert (
        built.text == "第一条 为了促进慈善事业健康发展，弘扬慈善文化，制定本条例。\n第二条 本条例适用于本市。"
    )
    assert built.pages == (
        PageSpan(1, 0, 19),
        PageSpan(2, 19, 31),  # the line break after a page's last line belongs to it
        PageSpan(3, 31, 31),  # an empty page gets an empty span
        PageSpan(4, 31, 44),
    )
    assert built.text[19:30] == "慈善文化，制定本条例。"


def test_assemble_hints_and_table_groups_point_into_the_text():
    pages = [
        [
            Line("第一章 总则", heading=1, keep=True),
            Line("项目\t标准（元/人·月）", keep=True, group=0),
            Line("城乡最低生活保障\t1309", keep=True, group=0),
            Line("第一条 本办法所称"),
        ]
    ]
    built = assemble(pages, rejoin=True)
    assert built.hints == (HeadingHint(0, 6, 1),)
    start, end = built.groups[0]
    assert built.text[start:end] == "项目\t标准（元/人·月）\n城乡最低生活保障\t1309"
    assert built.text.endswith("\n第一条 本办法所称")
