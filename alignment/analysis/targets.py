"""Quantitative targets (指标): extraction from text and indicator tables, and 指标对标.

A target is a numeric level that an outcome, a coverage, a spending share or a service standard is
required or planned to reach, stay within or approximate: ``城镇新增就业1200万人以上``,
``福利彩票公益金百分之五十五以上应当用于支持发展养老服务``, an indicator-table row. Not targets:
past statistics (sections that review past work, ``比上年增长``), penalties (``处…罚款``),
procedural time limits (``15个工作日内``), ages, and calculation rules (``按75%的比例支付``,
``费率为0.15%``).

:func:`extract_targets` reads a parsed document; :func:`compare_targets` pairs plan targets with
directive targets and flags weaker values, other target years and targets missing on either side.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from alignment.analysis.quantities import (
    AR_VALUE,
    CN_VALUE,
    FIVE_YEAR_PLAN,
    MAGNITUDE,
    PER_POPULATION,
    UNIT_ALTERNATION,
    YEAR,
    format_amount,
    magnitude_factor,
    parse_value,
    per_population,
    plan_period_end,
    unit_of,
    year_value,
)
from alignment.analysis.records import TARGET_FLAGS_ZH, Source, Target, TargetComparison
from alignment.schema import ParsedDocument, Section
from alignment.structure import split_sentences

# One amount, possibly a range. Group r1/r2: 百分之/千分之 before the value (then no unit may follow
# the value); v1/v2: the values; mag: 万/亿 after the value; unit: the written unit. Chinese
# numerals are taken after 百分之/千分之, before 个百分点, and with a unit after a comparison word
# (c3/u3: 不低于二十平方米); elsewhere they are counts in prose (两项制度, 一个窗口), not targets.
#: Units a Chinese-numeral amount may carry (c3): those of facility and benefit standards
#: (每百户不少于二十平方米, 床位不少于二十张), not of counts in rules (至少一处, 二人以上).
_CN_STANDARD_UNITS = "平方米|平方公里|公顷|亩|张|元"
_AMOUNT = re.compile(
    rf"(?:(?P<r1>百分之|千分之)(?P<c1>{CN_VALUE}|{AR_VALUE})|(?P<v1>{AR_VALUE})(?:(?P<m1>{MAGNITUDE})?(?P<u1>{UNIT_ALTERNATION}))?"
    rf"|(?P<c3>{CN_VALUE})(?P<u3>{_CN_STANDARD_UNITS}))"
    rf"(?:\s*(?P<sep>至|到|-|－|—|–|～|~)\s*"
    rf"(?:(?P<r2>百分之|千分之)(?P<c2>{CN_VALUE}|{AR_VALUE})|(?P<v2>{AR_VALUE})(?P<m2>{MAGNITUDE})?(?P<u2>{UNIT_ALTERNATION})?))?"
    rf"(?P<pp>个百分点)?"
)
# Chinese numerals before 个百分点 (提高两个百分点) are a points target of their own.
_CN_POINTS = re.compile(rf"(?P<c1>{CN_VALUE})个百分点")
# What a unit must not be followed by for the amount to be a target: 15个工作日, 6个月, 3个以上窗口
# is still fine. 人民币 is a currency word, not 人.
_UNIT_STOP = re.compile(r"工作日|月|小时|星期|季度|周|民币|次以上|份")
# Comparison words before the amount in its clause (不低于当地城镇标准的百分之七十): the last one
# wins. The longer words come first so that 不低于 is not read as 低于.
_BEFORE = re.compile(
    r"(?P<w>不低于|不少于|不得低于|不得少于|不小于|至少|达到|提高到|提升到|增加到|增长到|超过|高于|"
    r"不高于|不超过|不得超过|不得高于|不大于|控制在|降低到|下降到|降至|减少到|压减到|低于|"
    r"稳定在|保持在)"
)
# Short comparison words that count only right before the amount (为 and 达 occur inside words).
_BEFORE_ADJACENT = re.compile(r"(?P<w>达|为|是|保持|稳定)(?:每人每月|每人每年|每人每天|每月|每年|每天)?$")
# 每人每月1309元 -> 元/月: a per-period phrase in the clause before a money amount.
_PER_PERIOD = re.compile(r"每(?:人|户)?每?(?P<p>月|年|天|日)")
_GE_WORDS = {"不低于", "不少于", "不得低于", "不得少于", "不小于", "至少", "达到", "达", "提高到", "提升到",
             "增加到", "增长到", "超过", "高于"}
_LE_WORDS = {"不高于", "不超过", "不得超过", "不得高于", "不大于", "控制在", "降低到", "下降到", "降至", "减少到",
             "压减到", "低于"}
_EQ_WORDS = {"稳定在", "保持在", "保持", "稳定", "为", "是"}
# Qualifiers right after the amount.
_AFTER = re.compile(r"(?P<w>以上|以下|以内|左右|之间|上下)")
# 力争 / 争取 / 努力 in the clause before the amount: an aspiration, not a commitment.
_ASPIRATION = re.compile(r"力争|争取|努力|力求")
# Clause boundaries inside a sentence.
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?\n]")
# Sentences that are not targets: penalties, procedural rules, calculation rules, past facts.
_NOT_TARGET = re.compile(
    r"罚款|罚金|处以|没收|违法所得|"
    r"按(?:照)?[^，。；]{0,24}的?(?:比例|标准)(?:支付|计算|收取|承担|缴纳|报销|给予|发放|核定)|"
    r"按(?:照)?[^，。；]{0,24}的[\d.]+倍|"
    r"周岁|年满|工作日|个月内|日内"
)
# Sentences (or the headings above them) about contributions, past facts or forecasts.
_NOT_TARGET_SENTENCE = re.compile(r"罚款|罚金|处以|费率|缴费基数|缴费比例|比上年|同比|较上年|上年度|预计|累计")
# Headings of parts that review past work rather than set targets (as alignment.units does).
_REVIEW_HEADING = re.compile(r"回顾|成就|过去|取得的|工作总结|十年来|五年来")
# A time node that sets a target year: 到2025年 / 2025年底前 / 2025年前 / 至2025年.
_YEAR_CUE = re.compile(rf"(?:到|至|截至|在)?{YEAR.pattern}(?:底|末)?(?:前|，|,|以前|之前|全面|基本|实现|要|力争|确保)")
# 2020年的1.8个 / 2020年为 — a year that dates a baseline, not a target.
_BASELINE_YEAR = re.compile(rf"{YEAR.pattern}(?:的|底的|末的|为)$")
# 从1.8个提高到4.5个 — the baseline before a target, read backwards from the target's start.
_FROM = re.compile(rf"(?:从|由)(?:{YEAR.pattern}的?)?(?P<base>(?:百分之|千分之)?(?:{AR_VALUE}|{CN_VALUE})(?:{MAGNITUDE})?(?:{UNIT_ALTERNATION})?)"
                   r"(?:提高|提升|增加|增长|上升|降低|下降|减少|扩大|缩小)?(?:到|至)$")
# Words to strip from the start of an indicator name: time nodes, modal and cue words.
_LEAD_NOISE = re.compile(
    rf"^(?:[（(]?[一二三四五六七八九十\d]{{1,3}}[）)、.．]|(?:到|至|截至)?{YEAR.pattern}(?:底|末)?(?:前)?|今年|全年|力争|争取|努力|确保|要|将|应当|必须|使|实现|"
    r"全国|全省|全市|全区|本市|本省|各区|各地|各市|各县|其中|[（(）)]|主要预期目标是|预期目标|发展目标|按照|按|的|“|”|[—\-－]+|\s)+")
_TAIL_NOISE = re.compile(r"(?:达到|达|为|是|不低于|不少于|不高于|不超过|不得低于|不得超过|控制在|稳定在|保持在|提高到|"
                         r"降低到|下降到|增加到|超过|高于|低于|至少|的|要|应当|将|和|及|、|分别|每人每月|每人每年|每人每天|每月|每年|力争|争取|努力)+$")
# A verb that takes the amount as its object: 提供1000万个以上就业岗位 names the indicator after it.
_VERB_END = re.compile(r"(?:提供|建设|建成|新建|新增|培育|培训|打造|创建|改造|配备|设立|建立|安排|发放|吸纳)$")
# A preposition left dangling before the comparison word: 按照不低于…的比例.
_DANGLING = re.compile(r"(?:按照|按|将|把|以|在)$")
# Column names of indicator tables.
_COL_NAME = re.compile(r"^(?:主要)?指标(?:名称)?$|^指\s*标$|^项目$|^名称$")
_COL_UNIT = re.compile(r"^(?:计量)?单位$")
_COL_NATURE = re.compile(r"属性|性质|类型")
_COL_TARGET = re.compile(r"目标|预期|规划")
_COL_BASE = re.compile(r"基期|基数|现状|基准|基础")
_NATURE = re.compile(r"约束性|预期性")
# A cell's comparison sign: ≥90, ＞22, ≤5.
_SIGN = {"≥": "≥", "＞": "≥", ">": "≥", "≤": "≤", "＜": "≤", "<": "≤"}


def _amount(m: re.Match[str]) -> tuple[float, float | None, str, str, float] | None:
    """(low, high, canonical unit, dimension, factor) of an :data:`_AMOUNT` match, or None."""
    ratio = m.group("r1") or m.group("r2")
    if ratio:
        measure = unit_of("‰" if ratio == "千分之" else "%")
        raw1 = m.group("c1") or m.group("v1")
        raw2 = m.group("c2") or m.group("v2")
        mag = ""
    elif m.group("pp"):
        measure = unit_of("个百分点")
        raw1, raw2, mag = m.group("v1") or m.group("c1"), m.group("v2") or m.group("c2"), ""
    else:
        written = m.group("u2") or m.group("u1") or m.group("u3")
        mag = m.group("m2") or m.group("m1") or ""
        if written is None:
            return None
        measure = unit_of(written)
        raw1, raw2 = m.group("v1") or m.group("c3"), m.group("v2")
    if measure is None or raw1 is None:
        return None
    low = parse_value(raw1)
    high = parse_value(raw2) if raw2 else None
    if low is None:
        return None
    # 1200万人: the magnitude multiplies both ends of a range written once (300-500万人).
    factor = magnitude_factor(mag) * measure.factor
    low *= factor
    if high is not None:
        high *= factor
        if high < low:
            low, high = high, low
    return low, high, measure.name, measure.dimension, factor


def _clause_bounds(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause of ``text`` around ``[start, end)`` within ``[lo, hi)`` (comma to comma)."""
    s = start
    while s > lo and not _CLAUSE_END.match(text[s - 1]):
        s -= 1
    e = end
    while e < hi and not _CLAUSE_END.match(text[e]):
        e += 1
    return s, e


def _clean_name(name: str) -> str:
    name = _LEAD_NOISE.sub("", name.strip())
    name = _TAIL_NOISE.sub("", name).strip("，、；：, ")
    return name


def _indicator(text: str, clause_s: int, word_start: int, word_end: int, start: int, end: int, clause_e: int) -> str:
    """The indicator name of an amount at ``[start, end)`` whose comparison word is at ``[word_start, word_end)``.

    The clause before the comparison word (城镇新增就业 | 1200万人以上); when that is empty or
    ends in a dangling preposition (按照 | 不低于本单位在职职工总数 | 百分之一点五的比例安排残疾人就业),
    the words between the comparison word and the amount plus the words after the amount; when it
    ends in a verb taking the amount as object (提供 | 1000万个以上 | 就业岗位), both.
    """
    raw_before = text[clause_s:word_start]
    before = _clean_name(PER_POPULATION.sub("", raw_before))
    after = text[end:clause_e]
    after = re.sub(r"^(?:以上|以下|以内|左右|之间|上下)?的?", "", after)
    nxt = _AMOUNT.search(after)
    if nxt:
        after = after[: nxt.start()]
    after = _clean_name(re.sub(r"^(?:用于|应当|要|将)", "", after))
    between = _clean_name(PER_POPULATION.sub("", text[word_end:start]))
    last = None
    for last in _AMOUNT.finditer(raw_before):
        pass
    if last is not None:
        # 90%以上的乡镇和60%以上的农村社区建立…: the second amount's indicator follows it;
        # 120元（其中床位费不高于35元）: it sits between the two amounts.
        raw_rest = re.sub(r"^(?:以上|以下|以内|左右)?", "", raw_before[last.end():])
        rest = _clean_name(raw_rest)
        coordinated = re.search(r"(?:和|及|与|、)$", raw_rest)
        return rest if len(rest) >= 2 and not coordinated else (after or before)
    if len(before) < 2 or _DANGLING.search(raw_before.rstrip()):
        return _clean_name(between + after) or before
    if _VERB_END.search(before) and after:
        return before + after
    return before


def _doc_year(parsed: ParsedDocument) -> int | None:
    meta = parsed.document.meta
    m = re.match(r"(\d{4})", meta.date or "")
    if m:
        return int(m.group(1))
    m = re.search(r"(20\d{2})年", meta.title or "")
    return int(m.group(1)) if m else None


def _year_cues(text: str, lo: int, hi: int, doc_year: int | None) -> list[tuple[int, int]]:
    """(offset, year) of each time node in ``text[lo:hi]`` that sets a target year."""
    cues: list[tuple[int, int]] = []
    for m in _YEAR_CUE.finditer(text, lo, hi):
        cues.append((m.start(), year_value(m.group("year"))))
    for m in FIVE_YEAR_PLAN.finditer(text, lo, hi):
        year = plan_period_end(m)
        if year:
            cues.append((m.start(), year))
    if doc_year:
        for m in re.finditer(r"今年|本年度|年度主要预期目标", text[lo:hi]):
            cues.append((lo + m.start(), doc_year))
    return sorted(cues)


def _walk(section: Section, stack: tuple[Section, ...] = ()) -> Iterable[tuple[Section, tuple[Section, ...]]]:
    yield section, stack
    for child in section.children:
        yield from _walk(child, stack + (section,))


def _in_review(stack: Sequence[Section], sec: Section) -> bool:
    return any(_REVIEW_HEADING.search(s.heading or "") for s in (*stack, sec))


def _path(stack: Sequence[Section], sec: Section) -> tuple[str, ...]:
    return tuple(f"{s.label} {s.heading}".strip()[:40] for s in (*stack, sec) if s.kind != "root" and (s.label or s.heading))


def _nature_near(text: str, end: int, hi: int) -> str:
    m = re.match(r"[（(【\[]?(约束性|预期性)[）)】\]]?", text[end:min(hi, end + 8)])
    return m.group(1) if m else ""


def text_targets(parsed: ParsedDocument) -> list[Target]:
    """Targets stated in running text, in document order (table rows are left to :func:`table_targets`)."""
    doc = parsed.document
    text = doc.text
    doc_year = _doc_year(parsed)
    out: list[Target] = []
    for sec, stack in _walk(parsed.root):
        if sec.kind in ("root", "toc", "colophon", "table", "table_row") or _in_review(stack, sec):
            continue
        # Time nodes carry within a section and from the governing headings above it (到2020年 in
        # the paragraph before the 90%以上 sentence).
        inherited = [y for s in stack if s.kind not in ("root",) for _, y in _year_cues(text, s.own_start, min(s.own_end, s.own_start + 200), doc_year)]
        cues = _year_cues(text, sec.own_start, sec.own_end, doc_year)
        for span in split_sentences(text[sec.own_start:sec.own_end], sec.own_start):
            for m in _AMOUNT.finditer(text, span.char_start, span.char_end):
                target = _text_target(parsed, m, span.char_start, span.char_end, cues, inherited, stack, sec)
                if target is not None:
                    out.append(target)
    return out


def _text_target(parsed: ParsedDocument, m: re.Match[str], lo: int, hi: int, cues: list[tuple[int, int]],
                 inherited: list[int], stack: Sequence[Section], sec: Section) -> Target | None:
    text = parsed.document.text
    amount = _amount(m)
    if amount is None:
        return None
    low, high, unit, dim, factor = amount
    start, end = m.start(), m.end()
    # 2025年 is not an amount; neither is a number glued to more digits or letters (文号, codes).
    if start > lo and (text[start - 1].isdigit() or text[start - 1] in ".．第〔[（(" and not m.group("r1")):
        return None
    if end < hi and (_UNIT_STOP.match(text, end) or text[end].isdigit()):
        return None
    clause_s, clause_e = _clause_bounds(text, start, end, lo, hi)
    sentence = text[lo:hi]
    # The lead lines of the sections above (2.个人缴费费率：) say what a bare (4)退休人员为0.12% is about.
    headings = "".join(text[s.own_start:min(s.own_end, s.own_start + 30)] for s in (*stack, sec) if s.kind != "root")
    if _NOT_TARGET.search(text, clause_s, clause_e) or _NOT_TARGET_SENTENCE.search(sentence + headings):
        return None
    before = text[clause_s:start]
    after_m = _AFTER.match(text, end)
    wm = _BEFORE_ADJACENT.search(before)
    if wm is None:
        wms = list(_BEFORE.finditer(before))
        wm = wms[-1] if wms else None
    word = wm.group("w") if wm else ""
    word_start = clause_s + wm.start() if wm else start
    word_end = clause_s + wm.end() if wm else start
    after = after_m.group("w") if after_m else ""
    # A Chinese numeral with a unit (不低于二十平方米) counts only after a comparison word: elsewhere
    # it is a count in prose (一个窗口, 两项补贴, 每一百户).
    if m.group("c3") and not (word or after):
        return None
    # A bare amount with neither a comparison word nor a qualifier reads as a fact, unless the
    # clause is about a target (目标, 指标) or sits under a target heading.
    if not word and not after and high is None:
        if not re.search(r"目标|指标|力争|确保|到\d{4}年|达到", sentence):
            return None
    if word in _GE_WORDS or after == "以上":
        comparison = "≥"
    elif word in _LE_WORDS or after in ("以下", "以内"):
        comparison = "≤"
    elif after in ("左右", "上下"):
        comparison = "≈"
    elif high is not None:
        comparison = "区间"
    else:
        comparison = "="
    wording = "".join(w for w in (word, after) if w)
    # 从X提高到Y: the baseline.
    baseline = baseline_year = None
    fm = _FROM.search(text, max(clause_s, start - 40), start)
    if fm and fm.end() == start:
        bm = _AMOUNT.match(fm.group("base"))
        base_amount = _amount(bm) if bm else None
        if base_amount is None and bm:
            bare = parse_value(bm.group("v1") or "") if bm.group("v1") else None
            base_amount = (bare * factor, None, unit, dim, factor) if bare is not None else None
        if base_amount and base_amount[3] == dim:
            baseline = base_amount[0]
        if fm.group("year"):
            baseline_year = year_value(fm.group("year"))
        word_start = word_end = fm.start()
    per = per_population(text[clause_s:end])
    if per:
        unit, dim = f"{unit}/{per}", f"{dim}/{per}"
    pm = _PER_PERIOD.search(text, clause_s, start)
    if pm and unit == "元":
        period = "日" if pm.group("p") == "天" else pm.group("p")
        unit, dim = f"元/{period}", f"money_{period}"
    if high is not None and after not in ("以上", "以下", "以内", "左右"):
        comparison = "区间"
    # The target year: the last time node before the amount in this section, else one above.
    year = None
    for off, y in cues:
        if off < start and not _BASELINE_YEAR.search(text, off, off + 8):
            year = y
    if year is None and inherited:
        year = inherited[-1]
    if baseline_year is not None and year == baseline_year:
        year = None
    indicator = _indicator(text, clause_s, word_start, word_end, start, end, clause_e)
    if not indicator:
        return None
    ctx_end = max(clause_e, end + (len(after) if after else 0))
    context = text[clause_s:ctx_end]
    aspirational = bool(_ASPIRATION.search(text, clause_s, start))
    src = Source(document=parsed.document.id, char_start=start, char_end=end + len(after),
                 page=parsed.document.page_of(start), line=parsed.document.line_at(start),
                 section_path=_path(stack, sec), text=sentence)
    return Target(indicator=indicator, value=round(low, 6), value_high=None if high is None else round(high, 6),
                  unit=unit, dimension=dim, comparison=comparison, wording=wording, aspirational=aspirational,
                  target_year=year, baseline=None if baseline is None else round(baseline, 6),
                  baseline_year=baseline_year, nature=_nature_near(text, end + len(after), hi),
                  origin="text", source=src, context=context)


def _table_rows(parsed: ParsedDocument, table: Section) -> list[tuple[int, list[str]]]:
    """(offset, cells) of each line of a table section, cells split on tabs."""
    text = parsed.document.text
    rows = []
    pos = table.char_start
    for line in text[table.char_start:table.char_end].split("\n"):
        if "\t" in line:
            rows.append((pos, [c.strip(" \u3000") for c in line.split("\t")]))
        pos += len(line) + 1
    return rows


def _cell_target(cell: str, unit_cell: str) -> tuple[float, float | None, str, str, str, bool] | None:
    """(low, high, unit, dimension, comparison, aspirational) of an indicator-table value cell."""
    s = cell.strip()
    if not s or s in ("—", "-", "/", "——"):
        return None
    aspirational = bool(_ASPIRATION.search(s))
    comparison = ""
    for sign, code in _SIGN.items():
        if s.startswith(sign):
            comparison, s = code, s[len(sign):].strip()
            break
    s = _ASPIRATION.sub("", s).replace("达到", "").strip()
    measure_text = unit_cell.strip().strip("（）()")
    mag = ""
    per = ""
    if "/" in measure_text:
        head, _, tail = measure_text.partition("/")
        if tail in ("千人", "万人", "百人", "千名老年人", "百户"):
            measure_text, per = head, tail.replace("名老年", "")
        else:
            measure_text = f"{head}/{tail}"
    for mg in ("万亿", "亿", "万", "千"):
        if measure_text.startswith(mg) and measure_text != mg and unit_of(measure_text[len(mg):]):
            mag, measure_text = mg, measure_text[len(mg):]
            break
    m = _AMOUNT.match(s)
    if m and (m.group("u1") or m.group("u2") or m.group("r1")):
        amount = _amount(m)
        if amount is None:
            return None
        low, high, unit, dim, _ = amount
    else:
        nm = re.match(rf"(?P<a>{AR_VALUE})(?:\s*(?:-|－|—|–|～|~|至)\s*(?P<b>{AR_VALUE}))?", s)
        measure = unit_of(measure_text or "", per=per) if measure_text else None
        if not nm or measure is None:
            return None
        factor = magnitude_factor(mag) * measure.factor
        low = float(nm.group("a").replace(",", "")) * factor
        high = float(nm.group("b").replace(",", "")) * factor if nm.group("b") else None
        unit, dim = measure.name, measure.dimension
        m = nm
    rest = s[m.end():]
    if not comparison:
        if re.match(r"\s*以上", rest):
            comparison = "≥"
        elif re.match(r"\s*(?:以下|以内)", rest):
            comparison = "≤"
        elif re.match(r"\s*左右", rest):
            comparison = "≈"
        elif high is not None:
            comparison = "区间"
        else:
            comparison = "="
    return round(low, 6), None if high is None else round(high, 6), unit, dim, comparison, aspirational


def table_targets(parsed: ParsedDocument) -> list[Target]:
    """Targets from indicator tables (主要指标表): one per row with a readable target value.

    The columns are found by name: 指标 (name), 单位 (unit), 属性 (约束性/预期性), and the value
    columns: a column named with a year (2020年, 2025年) or 基期/现状 (baseline) or 目标 (target).
    With two year columns, the earlier is the baseline and the later the target.
    """
    doc = parsed.document
    out: list[Target] = []
    for sec, stack in _walk(parsed.root):
        if sec.kind != "table":
            continue
        rows = _table_rows(parsed, sec)
        if len(rows) < 2:
            continue
        header_at, header = rows[0]
        name_col = next((i for i, h in enumerate(header) if _COL_NAME.search(h)), None)
        if name_col is None:
            continue
        unit_col = next((i for i, h in enumerate(header) if _COL_UNIT.search(h)), None)
        nature_col = next((i for i, h in enumerate(header) if _COL_NATURE.search(h)), None)
        years = {i: year_value(ym.group("year")) for i, h in enumerate(header) if (ym := YEAR.search(h + ("年" if re.fullmatch(r"\d{4}", h) else "")))}
        target_col = base_col = None
        if len(years) >= 2:
            ordered = sorted(years, key=years.get)  # type: ignore[arg-type]
            base_col, target_col = ordered[0], ordered[-1]
        for i, h in enumerate(header):
            if target_col is None and _COL_TARGET.search(h) and i not in (name_col, nature_col):
                target_col = i
            if base_col is None and _COL_BASE.search(h) and i != target_col:
                base_col = i
        if target_col is None and len(years) == 1:
            target_col = next(iter(years))
        if target_col is None:
            continue
        for offset, cells in rows[1:]:
            if len(cells) <= max(name_col, target_col):
                continue
            unit_cell = cells[unit_col] if unit_col is not None and unit_col < len(cells) else ""
            unit_in_name = re.search(r"[（(]([^）)]+)[）)]\s*$", cells[name_col])
            unit_hint = unit_cell or (unit_in_name.group(1) if unit_in_name else "")
            got = _cell_target(cells[target_col], unit_hint)
            if got is None:
                continue
            low, high, unit, dim, comparison, aspirational = got
            baseline = None
            if base_col is not None and base_col < len(cells):
                base = _cell_target(cells[base_col], unit_hint)
                baseline = base[0] if base and base[3] == dim else None
            name = re.sub(r"[（(][^）)]*[）)]\s*$", "", cells[name_col]).strip()
            name = re.sub(r"^\d+[.．、]\s*", "", name)
            nature = ""
            if nature_col is not None and nature_col < len(cells):
                nm = _NATURE.search(cells[nature_col])
                nature = nm.group(0) if nm else ""
            line_end = offset + len("\t".join(cells))
            src = Source(document=doc.id, char_start=offset, char_end=line_end, page=doc.page_of(offset),
                         line=doc.line_at(offset), section_path=_path(stack, sec), text=doc.text[offset:line_end])
            out.append(Target(indicator=name, value=low, value_high=high, unit=unit, dimension=dim,
                              comparison=comparison, wording=cells[target_col], aspirational=aspirational,
                              target_year=years.get(target_col), baseline=baseline,
                              baseline_year=years.get(base_col) if base_col is not None else None,
                              nature=nature, origin="table", source=src, context=name))
    return out


def extract_targets(parsed: ParsedDocument) -> list[Target]:
    """Every target of a parsed document: running text first, then indicator tables, each in order."""
    return text_targets(parsed) + table_targets(parsed)


# --- 指标对标 ---------------------------------------------------------------------------------

_DIGITS = re.compile(r"[\d.,%％‰]+|百分之|千分之")
#: Words that say nothing about which indicator a clause is about.
_GENERIC = set("的和与及等在为是要将到达以上下内左右不低于高超过力争确保实现全面基本年底前各级本市省区县")
#: Two indicators read as the same when their similarity reaches this (Dice of character bigrams
#: of name and clause, see :func:`indicator_similarity`). Chosen on the development chains
#: (2013 养老服务业意见 -> 山东/德州/威海/青岛 条例; 2021 -> 2022 政府工作报告), never on HELD_OUT.md pairs.
MATCH_THRESHOLD = 0.34


def _bigrams(text: str) -> set[str]:
    s = _DIGITS.sub("", text)
    s = "".join(ch for ch in s if "\u4e00" <= ch <= "\u9fff" and ch not in _GENERIC)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def indicator_similarity(a: Target, b: Target) -> float:
    """How alike two targets' indicators read, in [0, 1]; 0 when their units cannot be compared.

    The larger of the Dice coefficients of the names' and of the clauses' character bigrams
    (digits, units and function characters removed), the name counting fully and the clause at 0.9.
    """
    if a.dimension != b.dimension:
        return 0.0
    name = _dice(_bigrams(a.indicator), _bigrams(b.indicator))
    clause = _dice(_bigrams(a.context or a.indicator), _bigrams(b.context or b.indicator))
    return round(max(name, 0.9 * clause), 4)


def _fmt(t: Target) -> str:
    value = format_amount(t.value) if t.value_high is None else f"{format_amount(t.value)}–{format_amount(t.value_high)}"
    year = f"（{t.target_year}年）" if t.target_year else ""
    return f"{t.comparison}{value}{t.unit}{year}"


def _flags(d: Target, p: Target) -> tuple[tuple[str, ...], str]:
    """Flags and a Chinese note for a plan target ``p`` answering a directive target ``d``."""
    flags: list[str] = []
    notes: list[str] = []
    # Which end is the requirement: a floor (≥, and 降低X% reductions) or a ceiling (≤).
    required_low = d.value
    required_high = d.value_high if d.value_high is not None else d.value
    reduction = re.search(r"降低|下降|减少|压减", d.indicator + d.context)
    ceiling = d.comparison == "≤" or re.search(r"失业率|涨幅|赤字率", d.indicator)
    if d.comparison in ("≥", "区间") or (d.comparison in ("≈", "=") and reduction):
        if p.value + 1e-9 < required_low:
            flags.append("weaker")
            notes.append(f"本规划{_fmt(p)}低于上级{_fmt(d)}")
    elif ceiling:
        plan_high = p.value_high if p.value_high is not None else p.value
        if plan_high - 1e-9 > required_high or (p.comparison == "≥" and d.comparison == "≤"):
            flags.append("weaker")
            notes.append(f"本规划{_fmt(p)}宽于上级{_fmt(d)}")
    elif abs(p.value - d.value) > 1e-9 or p.value_high != d.value_high:
        flags.append("different_value")
        notes.append(f"本规划{_fmt(p)}，上级{_fmt(d)}")
    if p.aspirational and not d.aspirational and "weaker" not in flags:
        flags.append("softer")
        notes.append("上级为确定性要求，本规划仅为“力争”")
    if d.target_year and p.target_year and d.target_year != p.target_year:
        flags.append("different_year")
        notes.append(f"目标年份：本规划{p.target_year}年，上级{d.target_year}年")
    return tuple(flags), "；".join(notes)


def compare_targets(directive_targets: Sequence[Target], plan_targets: Sequence[Target], *,
                    threshold: float = MATCH_THRESHOLD) -> list[TargetComparison]:
    """指标对标: each plan target with the directive target it answers, and the unpaired on both sides.

    Pairs are chosen greedily by :func:`indicator_similarity` (best first, each target used once,
    only pairs at or above ``threshold``). The result lists the directive targets in their order
    (paired or not, ``no_plan_counterpart``), then plan targets with no basis above (``no_basis``).
    """
    scored = sorted(
        ((indicator_similarity(d, p), i, j) for i, d in enumerate(directive_targets) for j, p in enumerate(plan_targets)),
        reverse=True,
    )
    pair_of: dict[int, tuple[int, float]] = {}
    used_plan: set[int] = set()
    for sim, i, j in scored:
        if sim < threshold:
            break
        if i in pair_of or j in used_plan:
            continue
        pair_of[i] = (j, sim)
        used_plan.add(j)
    out: list[TargetComparison] = []
    for i, d in enumerate(directive_targets):
        if i in pair_of:
            j, sim = pair_of[i]
            flags, note = _flags(d, plan_targets[j])
            out.append(TargetComparison(directive=d, plan=plan_targets[j], similarity=sim, flags=flags, note=note))
        else:
            out.append(TargetComparison(directive=d, plan=None, flags=("no_plan_counterpart",),
                                        note=TARGET_FLAGS_ZH["no_plan_counterpart"]))
    for j, p in enumerate(plan_targets):
        if j not in used_plan:
            out.append(TargetComparison(directive=None, plan=p, flags=("no_basis",), note=TARGET_FLAGS_ZH["no_basis"]))
    return out


def target_dict(t: Target) -> dict[str, object]:
    """A target as JSON-ready data (the ``target`` object of docs/report-schema.md)."""
    return {
        "indicator": t.indicator,
        "value": t.value,
        "value_high": t.value_high,
        "unit": t.unit,
        "comparison": t.comparison,
        "wording": t.wording,
        "aspirational": t.aspirational,
        "target_year": t.target_year,
        "baseline": t.baseline,
        "baseline_year": t.baseline_year,
        "nature": t.nature,
        "origin": t.origin,
        "document": t.source.document,
        "section_path": list(t.source.section_path),
        "page": t.source.page,
        "line": t.source.line,
        "char_start": t.source.char_start,
        "char_end": t.source.char_end,
        "text": t.source.text,
    }
