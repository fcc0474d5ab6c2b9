"""The heading-tree rules on small texts cut from real documents, one rule per test."""
from __future__ import annotations

import pytest

from alignment.schema import HeadingHint, PageSpan, Table
from alignment.structure import article_paragraphs, parse
from alignment.structure.parser import TITLE_MAX

from .helpers import check_tree, find, make_doc, own_text, sentence_texts

LAW = """中华人民共和国老年人权益保障法

目　　录
第一章　总　　则
第二章　家庭赡养与扶养
第三章　社会保障

第一章　总　　则

第一条　为了保障老年人合法权益，发展老龄事业，根据宪法，制定本法。
第二条　本法所称老年人是指六十周岁以上的公民。
第三条　国家保障老年人依法享有的权益。
老年人有从国家和社会获得物质帮助的权利。
禁止歧视、侮辱、虐待或者遗弃老年人。

第二章　家庭赡养与扶养

第四条　县级以上人民政府民政部门依法履行监督检查职责，可以采取下列措施：
（一）向养老机构和个人了解情况；
（二）进入涉嫌违法的养老机构进行现场检查；
（三）查阅或者复制有关合同、票据、账簿及其他有关资料。
县级以上人民政府民政部门调查养老机构涉嫌违法的行为，应当遵守有关法律。

第三章　社会保障

第五条　国家通过基本养老保险制度，保障老年人的基本生活。
"""


def parsed_law():
    parsed = parse(make_doc(LAW, doc_id="law"))
    check_tree(parsed)
    return parsed


def test_law_toc_is_one_section_and_creates_no_chapters():
    parsed = parsed_law()
    tops = [(s.kind, s.label) for s in parsed.root.children]
    assert tops == [("preamble", ""), ("toc", "目录"), ("chapter", "第一章"), ("chapter", "第二章"),
                    ("chapter", "第三章")]
    toc = parsed.root.children[1]
    assert "第三章　社会保障" in own_text(parsed, toc) and toc.sentences == ()


def test_chapter_heading_is_squeezed_and_articles_nest_under_chapters():
    parsed = parsed_law()
    ch1 = find(parsed, kind="chapter", number=1)[0]
    assert ch1.heading == "总则"
    assert [a.label for a in ch1.children] == ["第一条", "第二条", "第三条"]
    assert ch1.children[2].path == ("第一章", "第三条")
    assert ch1.children[2].id == "law/c1.a3"


def test_article_heading_is_empty_and_body_follows_the_label():
    parsed = parsed_law()
    a2 = find(parsed, kind="article", number=2)[0]
    assert a2.label == "第二条" and a2.heading == ""
    assert sentence_texts(parsed, a2) == ["本法所称老年人是指六十周岁以上的公民。"]


def test_article_paragraphs_are_its_lines():
    parsed = parsed_law()
    a3 = find(parsed, kind="article", number=3)[0]
    paras = [LAW[s.char_start:s.char_end] for s in article_paragraphs(a3, LAW)]
    assert paras == ["国家保障老年人依法享有的权益。", "老年人有从国家和社会获得物质帮助的权利。",
                     "禁止歧视、侮辱、虐待或者遗弃老年人。"]


def test_enumeration_in_article_is_children_and_the_next_paragraph_resumes_the_article():
    parsed = parsed_law()
    a4 = find(parsed, kind="article", number=4)[0]
    assert [(c.kind, c.label) for c in a4.children] == [
        ("item2", "（一）"), ("item2", "（二）"), ("item2", "（三）"), ("paragraph", "")]
    assert all(c.heading == "" for c in a4.children)  # list items of a law are running text
    assert sentence_texts(parsed, a4.children[0]) == ["向养老机构和个人了解情况；"]
    paras = [LAW[s.char_start:s.char_end] for s in article_paragraphs(a4, LAW)]
    assert paras == ["县级以上人民政府民政部门依法履行监督检查职责，可以采取下列措施：",
                     "县级以上人民政府民政部门调查养老机构涉嫌违法的行为，应当遵守有关法律。"]


OPINIONS = """关于改革完善社会救助制度的意见

一、总体要求

（一）指导思想。以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大精神。

（二）基本原则。坚持党对社会救助工作的全面领导。坚持以人民为中心。

二、重点任务

（一）建立健全分层分类的社会救助体系

1.构建综合救助格局。以增强社会救助及时性、有效性为目标，加快构建综合救助格局。

2.打造多层次救助体系。完善低保、特困和低收入家庭认定办法。

四、保障措施

（一）加强组织领导。强化党委领导、政府负责的工作机制。
"""


def test_bold_lead_sentence_is_the_heading_and_stays_a_sentence():
    parsed = parse(make_doc(OPINIONS, doc_id="op"))
    check_tree(parsed)
    item = find(parsed, kind="item2", label="（二）")[0]
    assert item.heading == "基本原则。"
    assert sentence_texts(parsed, item) == ["基本原则。", "坚持党对社会救助工作的全面领导。", "坚持以人民为中心。"]


def test_title_lines_are_headings_without_sentences():
    parsed = parse(make_doc(OPINIONS, doc_id="op"))
    first = parsed.root.children[1]
    assert (first.kind, first.label, first.heading, first.sentences) == ("item1", "一、", "总体要求", ())
    sub = find(parsed, kind="item2", heading="建立健全分层分类的社会救助体系")[0]
    assert sub.sentences == ()
    assert [c.heading for c in sub.children] == ["构建综合救助格局。", "打造多层次救助体系。"]
    assert sub.children[1].id == "op/i2.ii1.j2"
    assert sub.children[1].path == ("二、", "（一）", "2.")


def test_skipped_numbering_gives_siblings():
    parsed = parse(make_doc(OPINIONS, doc_id="op"))
    assert [(s.label, s.number) for s in parsed.root.children[1:]] == [("一、", 1), ("二、", 2), ("四、", 4)]


def test_preamble_holds_the_title_block():
    parsed = parse(make_doc(OPINIONS, doc_id="op"))
    pre = parsed.root.children[0]
    assert pre.kind == "preamble" and pre.id == "op/pre" and pre.path == ()
    assert sentence_texts(parsed, pre) == ["关于改革完善社会救助制度的意见"]


def test_new_chapter_restarts_item_numbering_below_it():
    text = ("第一章 总体要求\n一、指导思想\n（一）坚持党的领导。\n二、基本原则\n"
            "第二章 主要任务\n一、完善体系\n（一）健全制度。\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    ch1, ch2 = parsed.root.children
    assert [c.label for c in ch1.children] == ["一、", "二、"]
    assert [c.label for c in ch2.children] == ["一、"]
    assert ch2.children[0].children[0].id == "doc/c2.i1.ii1"


def test_label_without_its_list_becomes_a_child_of_the_open_section():
    text = "一、总体要求\n说明文字。\n2.第二项内容，没有第一项。\n3.第三项内容。\n二、主要任务\n"
    parsed = parse(make_doc(text))
    check_tree(parsed)
    first = parsed.root.children[0]
    assert [(c.kind, c.number) for c in first.children] == [("item3", 2), ("item3", 3)]
    assert parsed.root.children[1].label == "二、"


def test_numbered_list_inside_an_article_is_its_children():
    text = "第一条 下列人员可以申请补贴：\n1.分散供养特困人员；\n2.低保家庭中失能的老年人。\n第二条 本办法自印发之日起施行。\n"
    parsed = parse(make_doc(text))
    check_tree(parsed)
    a1 = find(parsed, kind="article", number=1)[0]
    assert [(c.kind, c.label) for c in a1.children] == [("item3", "1."), ("item3", "2.")]
    assert find(parsed, kind="article", number=2)[0].children == ()


def test_decimal_after_list_number_is_an_item_only_when_the_list_continues():
    text = ("（二）第二类资助对象。\n符合以下条件之一的老年人：\n1.80周岁及以上的；\n2.纯老家庭人员。\n"
            "（三）补充说明。\n1.5倍以下的家庭按规定执行。\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    second, third = parsed.root.children
    assert [(c.label, sentence_texts(parsed, c)) for c in second.children] == [
        ("1.", ["80周岁及以上的；"]), ("2.", ["纯老家庭人员。"])]
    assert third.children == ()  # "1.5倍" is a decimal, not item 1
    assert "1.5倍以下的家庭按规定执行。" in sentence_texts(parsed, third)


def test_article_label_glued_to_text_counts_only_as_the_next_article():
    text = "第一条为了规范管理，制定本办法。\n第二条本办法适用于本市。\n第十条规定的情形除外。\n第三条 本办法自公布之日起施行。\n"
    parsed = parse(make_doc(text))
    check_tree(parsed)
    assert [a.number for a in find(parsed, kind="article")] == [1, 2, 3]
    a2 = find(parsed, kind="article", number=2)[0]
    assert sentence_texts(parsed, a2) == ["本办法适用于本市。", "第十条规定的情形除外。"]


def test_unnumbered_line_between_articles_heads_them():
    text = ("山东省实施办法\n\n第一条 为了维护残疾人的合法权益，制定本办法。\n第二条 本办法适用于本省。\n\n"
            "预防、康复和医疗\n\n第三条 各级人民政府应当制定残疾预防行动计划。\n\n"
            "教 育\n\n第四条 县级以上人民政府应当保障残疾人平等接受教育的权利。\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    tops = [(s.kind, s.label or s.heading) for s in parsed.root.children]
    assert tops == [("preamble", ""), ("article", "第一条"), ("article", "第二条"),
                    ("heading", "预防、康复和医疗"), ("heading", "教育")]
    assert [a.label for a in parsed.root.children[3].children] == ["第三条"]
    assert parsed.root.children[4].children[0].path == ("教育", "第四条")
    assert parsed.root.children[3].id == "doc/h1"


def test_unnumbered_heading_after_chapters_takes_a_chapter_place():
    text = ("第一章 总则\n第一条 为了规范养老服务，制定本条例。\n第二章 养老服务保障\n第一节 居家养老\n"
            "第二条 应当发展居家养老服务。\n法律责任\n第三条 违反本条例规定的，依法处理。\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    assert [(s.kind, s.label or s.heading) for s in parsed.root.children] == [
        ("chapter", "第一章"), ("chapter", "第二章"), ("heading", "法律责任")]


def test_notice_issuing_a_document_puts_it_in_a_labelless_annex():
    text = ("穗府办规〔2022〕13号\n\n广州市人民政府办公厅关于印发广州市居家社区养老服务管理办法的通知\n\n"
            "各区人民政府：\n\n《广州市居家社区养老服务管理办法》已经市政府同意，现印发给你们。\n\n"
            "广州市人民政府办公厅\n\n2022年9月6日\n\n广州市居家社区养老服务管理办法\n\n第一章 总则\n\n"
            "第一条 为了规范本市居家社区养老服务工作，制定本办法。\n")
    parsed = parse(make_doc(text, doc_id="gz"))
    check_tree(parsed)
    pre, annex = parsed.root.children
    assert pre.kind == "preamble" and "现印发给你们" in own_text(parsed, pre)
    assert (annex.kind, annex.label, annex.heading) == ("annex", "", "广州市居家社区养老服务管理办法")
    article = annex.children[0].children[0]
    assert article.path == ("广州市居家社区养老服务管理办法", "第一章", "第一条")
    assert article.id == "gz/ax1.c1.a1"


def test_annex_restarts_numbering_and_takes_its_title_from_the_next_line():
    text = "一、主要任务\n（一）发展居家养老。\n附件1\n重点任务分工表\n一、民政部门\n（一）牵头推进。\n附件2：指标解释\n"
    parsed = parse(make_doc(text))
    check_tree(parsed)
    tops = [(s.kind, s.label, s.heading) for s in parsed.root.children]
    assert tops == [("item1", "一、", "主要任务"), ("annex", "附件1", "重点任务分工表"), ("annex", "附件2", "指标解释")]
    annex1 = parsed.root.children[1]
    assert annex1.children[0].path == ("附件1", "一、")
    assert annex1.sentences == ()  # the title line is the heading, not body


def test_box_holds_its_project_list_and_closes_at_the_next_item_of_its_parents_kind():
    text = ("（二）发展社区养老服务。推进社区养老设施建设。\n专栏1　社区养老服务重点工程\n"
            "1.社区嵌入式养老服务设施。每个街道建设一处。\n2.老年助餐服务。发展老年食堂。\n"
            "（三）提升机构养老服务。加强护理型床位建设。\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    second, third = parsed.root.children
    box = second.children[0]
    assert (box.kind, box.label, box.number, box.heading) == ("box", "专栏1", 1, "社区养老服务重点工程")
    assert [c.label for c in box.children] == ["1.", "2."]
    assert box.children[0].path == ("（二）", "专栏1", "1.")
    assert third.label == "（三）" and third.children == ()


def test_box_under_a_chapter_ends_at_body_numbering():
    text = "第三章 主要任务\n专栏2 重点工程\n① 养老服务设施建设工程\n② 人才队伍建设工程\n一、完善服务体系\n"
    parsed = parse(make_doc(text))
    check_tree(parsed)
    chapter = parsed.root.children[0]
    assert [(c.kind, c.label) for c in chapter.children] == [("box", "专栏2"), ("item1", "一、")]
    assert [c.label for c in chapter.children[0].children] == ["①", "②"]


INDICATORS = ("一、发展目标\n“十四五”养老服务主要指标\n指标\t2025年\t属性\n养老机构护理型床位占比\t55%\t约束性\n"
              "特殊困难老年人月探访率\t100%\t预期性\n到2025年，养老服务体系更加健全。\n二、主要任务\n")


def test_tab_separated_indicator_block_is_a_table_with_named_cells():
    parsed = parse(make_doc(INDICATORS))
    check_tree(parsed)
    goal = parsed.root.children[0]
    table, para = goal.children
    assert (table.kind, table.heading) == ("table", "“十四五”养老服务主要指标")
    assert [r.heading for r in table.children] == [
        "指标: 养老机构护理型床位占比 | 2025年: 55% | 属性: 约束性",
        "指标: 特殊困难老年人月探访率 | 2025年: 100% | 属性: 预期性"]
    assert [r.kind for r in table.children] == ["table_row", "table_row"]
    assert table.children[0].id == "doc/i1.t1.r1"
    assert (para.kind, sentence_texts(parsed, para)) == ("paragraph", ["到2025年，养老服务体系更加健全。"])


def test_document_table_is_used_for_cells():
    start = INDICATORS.index("指标\t")
    end = INDICATORS.index("\n到2025年")
    table = Table(page=1, header=("指标", "2025年", "属性"),
                  rows=(("养老机构护理型床位占比", "55%", "约束性"), ("特殊困难老年人月探访率", "100%", "预期性")),
                  char_start=start, char_end=end)
    parsed = parse(make_doc(INDICATORS, tables=(table,)))
    check_tree(parsed)
    rows = find(parsed, kind="table_row")
    assert rows[1].heading == "指标: 特殊困难老年人月探访率 | 2025年: 100% | 属性: 预期性"
    assert rows[1].number == 2


def test_heading_hints_turn_styled_lines_into_headings():
    text = "总体要求\n坚持人民至上。\n重点任务\n加强养老服务。\n具体措施\n1.做好一件事。\n2.做好两件事。\n"
    hints = tuple(HeadingHint(text.index(h), text.index(h) + 4, lvl)
                  for h, lvl in (("总体要求", 1), ("重点任务", 1), ("具体措施", 2)))
    parsed = parse(make_doc(text, fmt="docx", hints=hints))
    check_tree(parsed)
    assert [(s.kind, s.heading) for s in parsed.root.children] == [("heading", "总体要求"), ("heading", "重点任务")]
    measures = parsed.root.children[1].children[0]
    assert measures.heading == "具体措施" and [c.label for c in measures.children] == ["1.", "2."]


def test_styled_title_line_stays_in_the_preamble():
    text = "关于加快发展养老服务业的意见\n近年来养老服务业快速发展。\n一、总体要求\n"
    parsed = parse(make_doc(text, fmt="docx", hints=(HeadingHint(0, 14, 1),)))
    assert [s.kind for s in parsed.root.children] == ["preamble", "item1"]


def test_text_without_headings_is_split_into_paragraphs():
    blocks = parse(make_doc("第一段第一行。\n第一段第二行。\n\n第二段。\n"))
    check_tree(blocks)
    assert [(s.kind, s.number) for s in blocks.root.children] == [("paragraph", 1), ("paragraph", 2)]
    lines = parse(make_doc("第一行。\n第二行。\n第三行。"))
    check_tree(lines)
    assert [s.id for s in lines.root.children] == ["doc/p1", "doc/p2", "doc/p3"]


def test_blank_text_is_just_the_root():
    for text in ("", "\n\n　\n"):
        parsed = parse(make_doc(text))
        check_tree(parsed)
        assert parsed.root.children == ()


def test_pages_come_from_document_page_spans():
    text = "一、第一部分\n内容在第一页。\n二、第二部分\n内容在第二页。\n（一）第二页的小节。\n"
    split = text.index("二、")
    pages = (PageSpan(1, 0, split), PageSpan(2, split, len(text)))
    parsed = parse(make_doc(text, pages=pages))
    first, second = parsed.root.children
    assert (first.page_start, first.page_end) == (1, 1)
    assert (second.page_start, second.page_end) == (2, 2)
    spanning = parse(make_doc("一、跨页\n第一页内容。\n" + "第二页内容。\n",
                              pages=(PageSpan(1, 0, 12), PageSpan(2, 12, 19))))
    assert (spanning.root.children[0].page_start, spanning.root.children[0].page_end) == (1, 2)


def test_wrapped_pdf_line_starting_with_a_label_is_not_a_heading():
    filler = "各级人民政府应当加强对养老服务工作的领导，建立健全工作机制，统筹推进"
    lines = ["一、总体要求"] + [filler + "。"] * 8 + [filler + "本条例第十条第", "（一）项规定的标准。", "二、主要任务"]
    text = "\n".join(lines) + "\n"
    pdf = parse(make_doc(text, fmt="pdf"))
    check_tree(pdf)
    assert [(s.label, len(s.children)) for s in pdf.root.children] == [("一、", 0), ("二、", 0)]
    # In paragraph-per-line text the same line is a heading: the check is for hard-wrapped pages.
    txt = parse(make_doc(text, fmt="txt"))
    assert [c.label for c in txt.root.children[0].children] == ["（一）"]


def test_ids_are_stable_and_duplicates_get_a_suffix():
    text = "一、总体要求\n二、主要任务\n二、保障措施\n"
    first = parse(make_doc(text))
    again = parse(make_doc(text))
    assert [s.id for s in first.root.walk()] == [s.id for s in again.root.walk()]
    assert [s.id for s in first.root.children] == ["doc/i1", "doc/i2", "doc/i2_2"]


def test_long_item_line_is_running_text_and_short_title_is_a_heading():
    long_rest = "对" + "经济困难的高龄、失能老年人给予养老服务补贴" * 3 + "，逐步提高补贴标准"
    assert len(long_rest) > TITLE_MAX
    parsed = parse(make_doc(f"（一）{long_rest}\n（二）贯彻新发展理念，建设现代化经济体系\n"))
    first, second = parsed.root.children
    assert first.heading == "" and sentence_texts(parsed, first) == [long_rest]
    assert second.heading == "贯彻新发展理念，建设现代化经济体系" and second.sentences == ()


@pytest.mark.parametrize("line", ["一、二级残疾人按规定享受补贴。", "（1996年8月29日通过）", "2025年目标值。"])
def test_label_look_alikes_are_body_text(line):
    parsed = parse(make_doc(f"一、总体要求\n{line}\n"))
    assert parsed.root.children[0].children == ()


def test_signature_and_colophon_close_the_document_outside_the_last_section():
    text = ("一、认定范围\n本市特困人员认定条件按国家、省有关规定实施。\n八、其他事宜\n本通知自印发之日起施行，有效期5年。\n\n"
            "广州市人民政府办公厅\n\n2021年4月13日\n\n公开方式：主动公开\n\n广州市人民政府办公厅 2021年4月16日印发\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    last = parsed.root.children[-1]
    assert (last.kind, last.id, last.sentences) == ("colophon", "doc/end", ())
    assert own_text(parsed, last).startswith("广州市人民政府办公厅\n\n2021年4月13日")
    assert sentence_texts(parsed, parsed.root.children[1]) == ["本通知自印发之日起施行，有效期5年。"]


def test_a_date_inside_the_text_is_not_a_signature():
    text = "第一条 本条例自下列日期起施行：\n2020年1月1日\n"
    parsed = parse(make_doc(text))
    assert [s.kind for s in parsed.root.children] == ["article"]  # nothing above the date to sign


def test_toc_with_leader_dots_ends_where_the_document_starts():
    text = ("中华人民共和国宪法\n目录\n序 言......................2\n第一章 总 纲................4\n"
            "第二章 公民的基本权利和义务....8\n序言\n中国是世界上历史最悠久的国家之一。\n第一章 总纲\n"
            "第一条 中华人民共和国是社会主义国家。\n第二章 公民的基本权利和义务\n第二条 公民在法律面前一律平等。\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    assert [(s.kind, s.label or s.heading) for s in parsed.root.children] == [
        ("preamble", ""), ("toc", "目录"), ("heading", "序言"), ("chapter", "第一章"), ("chapter", "第二章")]
    preface = parsed.root.children[2]  # listed in the 目录, so a heading though unnumbered
    assert sentence_texts(parsed, preface) == ["中国是世界上历史最悠久的国家之一。"]
    bare = parse(make_doc("第一章 总纲......4\n第二章 国家机构......11\n第三章 附则......20\n第一章 总纲\n"))
    assert [s.kind for s in bare.root.children] == ["toc", "chapter"]


def test_compound_annex_numbers_keep_their_label():
    parsed = parse(make_doc("附件4-1\n新冠肺炎病例核心信息\n一、基本信息\n附件4-2\n流调报告模板\n"))
    check_tree(parsed)
    assert [(s.label, s.number, s.heading) for s in parsed.root.children] == [
        ("附件4-1", None, "新冠肺炎病例核心信息"), ("附件4-2", None, "流调报告模板")]


def test_styled_title_over_two_lines_is_one_heading():
    text = "一、总体要求\n坚持人民至上。\n新冠肺炎核酸检测初筛\n阳性人员管理指南\n（一）单管初筛阳性。\n"
    a = text.index("新冠")
    b = text.index("阳性人员")
    parsed = parse(make_doc(text, fmt="pdf", hints=(HeadingHint(a, a + 10, 2), HeadingHint(b, b + 8, 2))))
    check_tree(parsed)
    heading = find(parsed, kind="heading")
    assert [h.heading for h in heading] == ["新冠肺炎核酸检测初筛阳性人员管理指南"]
    assert heading[0].path == ("一、", "新冠肺炎核酸检测初筛阳性人员管理指南")  # a subheading of 一、
    assert [c.label for c in heading[0].children] == ["（一）"]


def test_issued_document_title_may_stand_above_a_version_line_and_an_introduction():
    text = ("联防联控机制综发〔2022〕71号\n关于印发新型冠状病毒肺炎防控方案\n（第九版）的通知\n各省、自治区、直辖市：\n"
            "现印发给你们，请认真组织实施。\n新型冠状病毒肺炎防控方案\n（第九版）\n为指导各地做好防控工作，制定本方案。\n"
            "一、总体要求\n坚持预防为主。\n")
    parsed = parse(make_doc(text))
    check_tree(parsed)
    pre, plan = parsed.root.children
    assert (plan.kind, plan.heading) == ("annex", "新型冠状病毒肺炎防控方案")
    assert [c.label for c in plan.children] == ["一、"]
    assert "为指导各地做好防控工作，制定本方案。" in sentence_texts(parsed, plan)


def test_table_with_a_lone_title_cell_names_no_columns():
    text = "一、基本信息\n姓名\t性别\n年龄\t职业\n"
    start = text.index("姓名")
    table = Table(page=1, header=("首次流调核心信息表", ""), rows=(("姓名", "性别"), ("年龄", "职业")),
                  char_start=start, char_end=len(text) - 1)
    parsed = parse(make_doc(text, tables=(table,)))
    assert [r.heading for r in find(parsed, kind="table_row")] == ["姓名 | 性别", "年龄 | 职业"]


def test_article_paragraphs_skip_a_fullwidth_label_and_an_article_title():
    text = "第１条【立法目的】为了保障老年人合法权益，制定本条例。\n本条例适用于本市。\n"
    parsed = parse(make_doc(text))
    article = parsed.root.children[0]
    assert (article.label, article.number, article.heading) == ("第1条", 1, "立法目的")
    assert [text[s.char_start:s.char_end] for s in article_paragraphs(article, text)] == [
        "为了保障老年人合法权益，制定本条例。", "本条例适用于本市。"]
    assert sentence_texts(parsed, article) == ["为了保障老年人合法权益，制定本条例。", "本条例适用于本市。"]
