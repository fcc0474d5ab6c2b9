"""Compiled regexes for the heading labels of Chinese official documents.

Every pattern is matched against one line of ``Document.text`` *after* its leading blanks (ASCII
spaces, ideographic spaces, no-break and en spaces, zero-width spaces) have been skipped and
full-width digits have been mapped to ASCII ones (a length-preserving change), so offsets found on
the matched string are offsets into the line. Group ``num`` holds the label's number as written.

The label hierarchy follows GB/T 9704-2012 (党政机关公文格式) and legislative drafting practice:

    第X篇 > 第X章 > 第X节 > 第X条        (laws, regulations, long plans)
    一、 > （一） > 1. > （1） > ①        (opinions, notices, reports, plans)

The parser decides what is really a heading; these patterns only say what *looks* like one.
"""
from __future__ import annotations

import re

from alignment.structure.numerals import CIRCLED

#: Characters treated as blank around labels and at line starts. ``str.isspace`` misses the last
#: two (U+200B zero-width space, U+FEFF BOM), which web-scraped texts leave on otherwise empty lines.
BLANK_CHARS = " \t\r\f\v\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_BLANK = "[" + re.escape(BLANK_CHARS) + "]"

#: A Chinese numeral as labels use it (第二十五条, 一百零三, 二〇二一).
_CN = "[零〇○一二两三四五六七八九十百千]+"
#: Arabic or Chinese number in a 第X… label.
_NUM = rf"(?P<num>{_CN}|\d+)"

#: Leading blanks of a line (to be skipped before matching the patterns below).
LEADING_BLANKS = re.compile(_BLANK + "*")
#: Runs of blanks, for squeezing headings like ``总　　则`` into ``总则``.
BLANK_RUN = re.compile(_BLANK + "+")

#: 第一篇 — a part of a long plan (十四五 规划纲要 style).
PART = re.compile(rf"第{_BLANK}*{_NUM}{_BLANK}*篇")
#: 第三章 — a chapter.
CHAPTER = re.compile(rf"第{_BLANK}*{_NUM}{_BLANK}*章")
#: 第二节 — a section of a chapter.
SECTION = re.compile(rf"第{_BLANK}*{_NUM}{_BLANK}*节")
#: 第二十五条 — an article. The body usually follows on the same line after a blank.
ARTICLE = re.compile(rf"第{_NUM}条")
#: 【立法目的】 — an article title some regulations put right after the label.
ARTICLE_TITLE = re.compile(r"【[^】\n]{1,24}】")

#: 一、 — first list level. Not "一、二级…", which is a range of grades, not a label.
ITEM1 = re.compile(rf"(?P<num>{_CN})[、．.](?![一二三四五六七八九十]+[级类档等])")
#: （一） — second list level, full- or half-width brackets.
ITEM2 = re.compile(rf"[（(]{_BLANK}*(?P<num>{_CN}){_BLANK}*[）)]")
#: 1. / 1． / 1、 — third list level. A digit right after the dot reads as a decimal (1.5倍),
#: so the parser accepts that only when the number continues an open list (``1.80周岁`` as item 1).
ITEM3 = re.compile(r"(?P<num>\d{1,3})(?P<sep>[.．、])(?P<digit>\d)?")
#: （1） — fourth list level.
ITEM4 = re.compile(rf"[（(]{_BLANK}*(?P<num>\d{{1,3}}){_BLANK}*[）)]")
#: ① — fifth list level (circled numbers 1..50).
ITEM5 = re.compile(rf"(?P<num>[{CIRCLED}])")

#: 专栏3　养老服务重点工程 / 专栏 1：… / 专栏：… — a sidebar box (project lists in plans).
BOX = re.compile(rf"专栏{_BLANK}*(?P<num>\d+|{_CN})?{_BLANK}*(?P<colon>[：:])?")
#: 附件 / 附件1 / 附件一：… / 附件4-1 — an attachment; numbering restarts below it.
ANNEX = re.compile(
    rf"附{_BLANK}*件{_BLANK}*(?P<num>\d+(?:{_BLANK}*[-－—–]{_BLANK}*\d+)?|{_CN})?{_BLANK}*(?P<colon>[：:])?")
#: 目录 / 目　　录 on a line of its own — a table of contents follows.
TOC_MARKER = re.compile(rf"目{_BLANK}*录{_BLANK}*$")
#: The leader dots and page number that end a table-of-contents entry: "第一章 总纲……4".
TOC_LEADER = re.compile(rf"(?:[.．·_]{{3,}}|…+){_BLANK}*\d{{1,4}}{_BLANK}*$")
#: A line of the 版记 (colophon) that closes a notice: 公开方式：主动公开, 抄送：…, "…秘书处
#: 2022年9月13日印发", and the links a web page adds (政策解读：…, 一图读懂：…, 相关附件).
COLOPHON = re.compile(
    rf"(?:(?:公开方式|信息公开选项|抄送|抄报|政策解读|一图读懂|图解){_BLANK}*[：:]"
    rf"|[（(]此件[^）)\n]{{1,12}}[）)]{_BLANK}*$"
    rf"|相关附件{_BLANK}*$"
    rf"|[^。；\n]{{0,30}}\d{{4}}{_BLANK}*年{_BLANK}*\d{{1,2}}{_BLANK}*月{_BLANK}*\d{{1,2}}{_BLANK}*日"
    rf"{_BLANK}*印发{_BLANK}*$)")
#: A date alone on its line, as under the signature of a notice: 2021年4月13日 / 二〇二一年四月十三日.
DATE_LINE = re.compile(
    rf"(?:\d{{4}}|[〇○零一二三四五六七八九]{{4}}){_BLANK}*年{_BLANK}*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})"
    rf"{_BLANK}*月{_BLANK}*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){_BLANK}*日{_BLANK}*$")
#: “十四五”养老服务体系主要指标 / 表1　主要指标 — the title line of an indicator table.
TABLE_TITLE = re.compile(rf"(?:表{_BLANK}*\d+{_BLANK}*)?[^。；！？\n]{{0,40}}主要指标[^。；！？\n]{{0,10}}$")

#: Where a bold lead sentence ends: the first full stop, exclamation or question mark.
LEAD_END = re.compile(r"[。！？!?]")
#: Closing quotes and brackets that stay with the sentence before them.
CLOSERS = "”’」』）)】》〉\"'"
#: A sentence ends after one of these plus any closers: 。！？； and their ASCII forms.
SENTENCE_END = re.compile(rf"[。！？；!?;…]+[{re.escape(CLOSERS)}]*")
#: Punctuation that ends a clause of running text rather than a title.
CLAUSE_END_CHARS = "；;：:，,、"
#: Punctuation that a short unnumbered heading line (预防、康复和医疗) never contains.
SENTENCE_PUNCT = re.compile(r"[。；;：:，,！？!?“”\"《》]")
