"""Bibliographic facts read from a document's own header and signature block.

Everything here is a pure function of the normalized text: the title (first heading-like lines), the
文号 (国发〔2021〕35号; [] 【】 （） brackets accepted and written back as 〔〕), the issuing body, the
date (2021年3月5日 -> 2021-03-05) and the administrative level, inferred from the issuer, the 文号
prefix or the title. Whatever the text does not say stays empty ("unknown" for the level).
"""

from __future__ import annotations

import re

from alignment.schema import DocumentMeta, Level

#: Lines from the top that can hold the title, 文号 and header dates.
HEAD_LINES = 25
#: Lines from the bottom that can hold the signature (落款) and its date.
TAIL_LINES = 15

# --- 文号 --------------------------------------------------------------------------------------

# 国发〔2021〕35号, 穗府办规〔2022〕13号, 联防联控机制综发[2022]71号, 鲁政办字【2020】5号: an issuer
# code of Chinese characters, the year in some kind of bracket, the serial number and 号.
_DOC_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{1,12}?)\s*[〔\[【（(［]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]】）)］]"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
# 国务院令第649号, 广州市人民政府令第179号: decrees are numbered without a year.
_DECREE = re.compile(r"(?P<code>[\u4e00-\u9fff]{2,16}令)\s*第\s*(?P<serial>\d{1,5})\s*号")
# A decree whose number stands on the next line: "广州市人民政府令" / "第179号".
_DECREE_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,16}令$")
_SERIAL_LINE = re.compile(r"^第\s*(\d{1,5})\s*号$")


def find_doc_number(text: str) -> str:
    """The document's own 文号, from a line of its header that is only that number; '' if none.

    Numbers cited in the body ("根据…（国发〔2014〕47号）") are not the document's own and are
    ignored. Brackets are written back as 〔〕; a decree number (国务院令第649号) is accepted anywhere
    in the header lines.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:HEAD_LINES]
    for i, line in enumerate(lines):
        m = _DOC_NUMBER.fullmatch(line)
        if m:
            return f"{m['code']}〔{m['year']}〕{int(m['serial'])}号"
        if _DECREE_HEAD.match(line) and i + 1 < len(lines):
            serial = _SERIAL_LINE.match(lines[i + 1])
            if serial:
                return f"{line}第{int(serial.group(1))}号"
    for line in lines[:10]:
        m = _DECREE.search(line)
        if m:
            code = re.sub(r"^\d{4}年\d{1,2}月\d{1,2}日", "", m["code"])
            return f"{code}第{int(m['serial'])}号"
    return ""


# --- dates --------------------------------------------------------------------------------------

_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")
_ZH_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "О": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# 二〇二一年三月五日, as signature blocks write dates.
_DATE_ZH = re.compile(
    r"(?P<y>[〇○零О一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?:(?P<d>[一二三四五六七八九十]{1,3})日)?"
)
_DATE_LINE = re.compile(
    r"^[（(]?\s*(?:\d{4}\s*年[\d\s月日]+|[〇○零О一二三四五六七八九]{4}年[一二三四五六七八九十月日]+)\s*[）)]?$"
)


def _zh_number(text: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十 -> 20, 三十一 -> 31."""
    if "十" not in text:
        return _ZH_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_ZH_DIGITS.get(tens, 0) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)


def parse_date(text: str) -> str:
    """The first date in ``text`` as ISO: '2021年3月5日' -> '2021-03-05', '2021年3月' -> '2021-03'.

    Chinese-numeral dates (二〇二一年三月五日) are read too. Returns '' when there is no date.
    """
    m = _DATE.search(text)
    if m:
        year, month, day = int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else 0
    else:
        m = _DATE_ZH.search(text)
        if not m:
            return ""
        year = int("".join(str(_ZH_DIGITS[c]) for c in m["y"]))
        month, day = _zh_number(m["m"]), _zh_number(m["d"]) if m["d"] else 0
    if not 1 <= month <= 12 or day > 31:
        return ""
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


# Header lines that carry the document's own dates (adoption, promulgation, amendment).
_HEADER_DATE = re.compile(r"通过|批准|公布|发布|印发|修正|修订|施行|会议上")


def find_date(text: str) -> str:
    """The document's date: a date line in its header, then in its signature, then the first header date."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for line in lines[:HEAD_LINES]:
        if _DATE_LINE.match(line):
            return parse_date(line)
    for line in reversed(lines[-TAIL_LINES:]):
        if _DATE_LINE.match(line):
            return parse_date(line)
    for line in lines[:10]:
        if len(line) <= 40 or _HEADER_DATE.search(line):
            date = parse_date(line)
            if date:
                return date
    return ""


# --- issuer -------------------------------------------------------------------------------------

# Endings of the names of issuing bodies.
_BODY_SUFFIX = (
    "人民政府办公厅|人民政府办公室|人民政府|人民代表大会常务委员会|人民代表大会|人大常委会|常务委员会|委员会|"
    "办公厅|办公室|国务院|中共中央|部|委|局|厅|署|院|会|组|机制|中心|联合会"
)
# "…关于…" titles name their issuer before 关于: 国务院关于…, 民政部 财政部关于….
_TITLE_ISSUER = re.compile(rf"^(?P<who>[\u4e00-\u9fff、 ]{{2,60}}?(?:{_BODY_SUFFIX}))\s*关于")
# Congress headers: 德州市第十八届人民代表大会常务委员会第二十七次会议通过, 第十二届全国人民代表大会第四次会议通过.
_CONGRESS = re.compile(
    r"(?P<place>[\u4e00-\u9fff]{0,10}?)第[一二三四五六七八九十]+届(?P<national>全国)?"
    r"(?P<body>人民代表大会常务委员会|人民代表大会)第[一二三四五六七八九十百]+次会议(?:通过|修订|修正)"
)
# A decree header names the government that issues it: 广州市人民政府令.
_DECREE_ISSUER = re.compile(r"^(?P<who>[\u4e00-\u9fff]{2,16}?)令$")


_SIGNER_LINE = re.compile(r"^[\u4e00-\u9fff、（）() ]{2,30}$")
_BODY_END = re.compile(rf"(?:{_BODY_SUFFIX})(?:[（(][\u4e00-\u9fff]{{2,20}}[）)])?$")


def _signature(lines: list[str], date_index: int) -> str:
    """The issuing body written on the lines just above a signature date, or ''."""
    signers: list[str] = []
    j = date_index - 1
    while j >= 0 and len(signers) < 4 and _SIGNER_LINE.match(lines[j]) and not _NOT_TITLE.search(lines[j]):
        signers.insert(0, lines[j])
        j -= 1
    if not signers or not _BODY_END.search("".join(signers)):
        return ""
    out = signers[0]
    for line in signers[1:]:
        # A new body starts on its own line after a complete name; otherwise the name was wrapped.
        new_body = re.search(rf"(?:{_BODY_SUFFIX})$", out) and not line.startswith(("（", "("))
        out += ("、" if new_body else "") + line
    return out


def find_issuer(text: str, *, title: str = "") -> str:
    """The issuing body: the signature above a date line (header, then end of the document), a
    decree header, the name before 关于 in the title, or the congress that adopted a regulation."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    head = lines[:HEAD_LINES]
    candidates = [i for i, ln in enumerate(head) if _DATE_LINE.match(ln)]
    tail_start = max(len(head), len(lines) - TAIL_LINES)
    candidates += [i for i in range(len(lines) - 1, tail_start - 1, -1) if _DATE_LINE.match(lines[i])]
    for i in candidates:
        signer = _signature(lines, i)
        if signer:
            return signer
    for line in head[:3]:
        m = _DECREE_ISSUER.match(line)
        if m:
            return m["who"]
    m = _TITLE_ISSUER.match(title)
    if m:
        return m["who"].strip()
    for line in head:
        c = _CONGRESS.search(line)
        if c:
            place = "全国" if c["national"] else c["place"]
            return place + c["body"]
    return ""


# --- level --------------------------------------------------------------------------------------

#: Province-level units by full name, and the one-character abbreviations that start their 文号.
PROVINCES = {
    "北京": "京",
    "天津": "津",
    "上海": "沪",
    "重庆": "渝",
    "河北": "冀",
    "山西": "晋",
    "内蒙古": "蒙",
    "辽宁": "辽",
    "吉林": "吉",
    "黑龙江": "黑",
    "江苏": "苏",
    "浙江": "浙",
    "安徽": "皖",
    "福建": "闽",
    "江西": "赣",
    "山东": "鲁",
    "河南": "豫",
    "湖北": "鄂",
    "湖南": "湘",
    "广东": "粤",
    "广西": "桂",
    "海南": "琼",
    "四川": "川",
    "贵州": "黔",
    "云南": "云",
    "西藏": "藏",
    "陕西": "陕",
    "甘肃": "甘",
    "青海": "青",
    "宁夏": "宁",
    "新疆": "新",
}
# Abbreviations shared with a city's 文号 (青: 青海 and 青岛; 宁: 宁夏 and 南京): a 文号 alone cannot tell.
_AMBIGUOUS_ABBREVIATIONS = {"青", "宁"}
#: 文号 prefixes of prefecture-level cities (the common ones in the corpus and beyond).
CITY_ABBREVIATIONS = ("穗", "深", "杭", "甬", "厦", "榕", "蓉", "汉", "济南", "青岛", "苏府", "锡", "温")
# Central organs, and 文号 codes of central organs (国发, 国办发, 中发, 中办发, 民发, 财社, 人社部发 ...).
_CENTRAL_NAME = re.compile(
    r"^(?:中共中央|中央|国务院|全国人民代表大会|全国人大|中华人民共和国|国家|最高人民|中国共产党"
    r"|[\u4e00-\u9fff]{1,6}部(?:$|[ 、，办])|国务院应对|联防联控)"
)
_CENTRAL_CODE = re.compile(
    r"^(?:国|中|民|财|人社|教|卫|工信|发改|住建|农|商|科|公|司|交|水|自然资源|生态|应急|医保|联防联控)"
)
_MUNICIPAL_NAME = re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:市|自治州|地区|盟)(?!场)")
_PROVINCE_SUFFIX = re.compile(r"^(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)")
_DISTRICT_NAME = re.compile(r"^[\u4e00-\u9fff]{1,7}?(?<!自治)(?:区|县|旗)(?!域)")


def level_of_name(name: str) -> Level:
    """The administrative level of an issuing body or a title that starts with a place name.

    >>> level_of_name("广东省人民政府"), level_of_name("德州市人大常委会"), level_of_name("天河区人民政府")
    ('provincial', 'municipal', 'district')
    """
    name = name.strip()
    if not name:
        return "unknown"
    if _CENTRAL_NAME.match(name):
        return "central"
    for province in PROVINCES:
        if name.startswith(province):
            rest = _PROVINCE_SUFFIX.sub("", name[len(province):])
            if rest.startswith(("人民", "人大")):
                return "provincial"
            city = _MUNICIPAL_NAME.match(rest)
            if city:
                return "district" if _DISTRICT_NAME.match(rest[city.end():]) else "municipal"
            return "district" if _DISTRICT_NAME.match(rest) else "provincial"
    m = _MUNICIPAL_NAME.match(name)
    if m:
        return "district" if _DISTRICT_NAME.match(name[m.end():]) else "municipal"
    if _DISTRICT_NAME.match(name):
        return "district"
    return "unknown"


def level_of_doc_number(doc_number: str) -> Level:
    """The level a 文号's issuer code implies: 国发 -> central, 粤府 -> provincial, 穗府办规 -> municipal."""
    code = doc_number.split("〔")[0].split("令")[0]
    if not code:
        return "unknown"
    named = level_of_name(code)
    if named != "unknown":
        return named
    if code.startswith(CITY_ABBREVIATIONS):
        return "municipal"
    if code[0] in PROVINCES.values() and code[0] not in _AMBIGUOUS_ABBREVIATIONS:
        return "provincial"
    if _CENTRAL_CODE.match(code):
        return "central"
    return "unknown"


# Addressees (主送) name the level below the issuer: a document sent to 各省、自治区、直辖市 comes from
# the centre, one sent to 各市、县（市、区）人民政府 from a province, one to 各区/各县 from a city.
_ADDRESSEES: tuple[tuple[re.Pattern[str], Level], ...] = (
    (re.compile(r"^各省、自治区、直辖市"), "central"),
    (re.compile(r"^各(?:地级以上)?市、县（市、区）|^各(?:设区的)?市人民政府|^各地级以上市"), "provincial"),
    (re.compile(r"^各(?:区|县|县级市|区、县级市)(?:人民政府|民政局|财政局|残联)|^各区、县"), "municipal"),
    (re.compile(r"^各(?:镇|乡|街道)"), "district"),
)
# Titles of national congresses and of the reports and laws made there.
_NATIONAL_TITLE = re.compile(r"全国人民代表大会|全国代表大会|^中华人民共和国")


def level_of_addressees(text: str) -> Level:
    """The level implied by the 主送 line (a line of the header ending in ：), or 'unknown'."""
    for line in [ln.strip() for ln in text.split("\n") if ln.strip()][:HEAD_LINES]:
        if line.endswith(("：", ":")):
            for pattern, level in _ADDRESSEES:
                if pattern.search(line):
                    return level
            return "unknown"
    return "unknown"


def infer_level(*, issuer: str = "", doc_number: str = "", title: str = "", text: str = "") -> Level:
    """The level from the issuer, else the 文号, else the title (a place name at its start, or a
    national congress in it), else the addressees (主送) in ``text``.

    本市/本省 in the body is deliberately not used: Shanghai's regulations say 本市 and are provincial.
    """
    candidates = (
        lambda: level_of_name(issuer),
        lambda: level_of_doc_number(doc_number),
        lambda: level_of_name(title),
        lambda: "central" if _NATIONAL_TITLE.search(title) else "unknown",
        lambda: level_of_addressees(text),
    )
    for candidate in candidates:
        level = candidate()
        if level != "unknown":
            return level  # type: ignore[return-value]
    return "unknown"


# --- title --------------------------------------------------------------------------------------

_NOT_TITLE = re.compile(r"[。；！？]|[：:]$")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百]+[编章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
)
_TITLE_MAX = 60


def _title_line(line: str) -> bool:
    return (
        len(line) <= _TITLE_MAX
        and not _NOT_TITLE.search(line)
        and not _HEADING.match(line)
        and not _DATE_LINE.match(line)
        and not _DOC_NUMBER.fullmatch(line)
        and not _DECREE_HEAD.match(line)
        and not _SERIAL_LINE.match(line)
        and not _CONGRESS.search(line)
        and bool(re.search(r"[\u4e00-\u9fff]", line))
    )


def find_title(text: str) -> str:
    """The title: the first heading-like lines of the header, joined.

    Skips 文号 and decree lines; stops at a date, a salutation ending in ：, a sentence, a numbered
    heading or a long line. Continuations that start with （ or —— are appended directly; two long
    parallel lines (两段式 titles) are joined with a space; a wrapped title is rejoined.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:HEAD_LINES]
    i = 0
    while i < len(lines) and (
        _DOC_NUMBER.fullmatch(lines[i]) or _DECREE_HEAD.match(lines[i]) or _SERIAL_LINE.match(lines[i])
    ):
        i += 1
    parts: list[str] = []
    while i < len(lines) and len(parts) < 3 and _title_line(lines[i]):
        line = lines[i]
        if parts and (parts[-1].startswith("——") or (parse_date(line) and not line.startswith("——"))):
            break  # after a dated subtitle comes the speaker; a dated line is a header, not the title
        parts.append(line)
        i += 1
    if not parts:
        return ""
    title = parts[0]
    for part in parts[1:]:
        if part.startswith(("（", "(", "——", "—")) or len(part) <= 4 or "关于" in title:
            title += part
        elif len(title) >= 8 and len(part) >= 8:
            title += " " + part
        else:
            title += part
    return title


def extract_meta(
    text: str, *, hints: dict[str, str] | None = None, level: str | None = None, role: str | None = None
) -> DocumentMeta:
    """All the facts above for one document.

    ``hints`` are facts the container states (HTML meta tags, OFD DocInfo, PDF Title), used where the
    text says nothing. ``level`` (when given) overrides the inferred level; ``role`` is set as given.
    """
    hints = hints or {}
    title = find_title(text) or _usable_title(hints.get("title", ""))
    doc_number = find_doc_number(text)
    issuer = find_issuer(text, title=title) or hints.get("issuer", "")
    date = find_date(text) or parse_date(hints.get("date", ""))
    inferred = infer_level(issuer=issuer, doc_number=doc_number, title=title, text=text)
    return DocumentMeta(
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        date=date,
        level=level or inferred,  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
    )


def _usable_title(title: str) -> str:
    """A container title worth showing: Chinese, not a file name or an editor's placeholder."""
    title = title.strip()
    if not re.search(r"[\u4e00-\u9fff]{4,}", title) or re.search(
        r"\.(?:docx?|wps|pdf)$|Microsoft Word", title, re.I
    ):
        return ""
    return title
