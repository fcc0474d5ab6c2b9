"""Numbers, units and years as Chinese policy texts write them.

Values come in three notations that often share one sentence: arabic (``55``, ``1.5``, ``１２``),
Chinese numerals (``五十五``, ``一点五``, ``两千``) and the ratio phrases ``百分之五十五`` and
``千分之三``. Units are normalized to a canonical unit and a factor, so that ``1200万人`` and
``12000000人`` compare equal and ``3‰`` reads as ``0.3%``.

Everything here is pure: no state, no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from alignment.structure.numerals import CN_DIGITS, cn_to_int, fullwidth_to_ascii

#: A Chinese numeral as values use it: digits, units and an optional 点 for decimals.
CN_VALUE = "[零〇○一二两三四五六七八九十百千万亿]+(?:点[零〇○一二三四五六七八九]+)?"
#: An arabic value: integer, decimal, or with thousands separators (1,200).
AR_VALUE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: Multipliers that follow a value and belong to the number, not the unit (1200万人, 1.3万亿斤).
MAGNITUDE = "万亿|亿|万|千"

_MAGNITUDES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "": 1.0}


def cn_decimal(text: str) -> float:
    """The value of a Chinese numeral that may have a decimal part: ``'一点五'`` -> 1.5.

    Raises :class:`ValueError` when ``text`` is not a numeral.
    """
    whole, _, frac = text.partition("点")
    value = float(cn_to_int(whole)) if whole else 0.0
    if frac:
        if not all(ch in CN_DIGITS for ch in frac):
            raise ValueError(f"not a Chinese decimal: {text!r}")
        digits = "".join(str(CN_DIGITS[ch]) for ch in frac)
        value += float("0." + digits)
    return value


def parse_value(text: str) -> float | None:
    """The value of one number in any notation, or None: ``'1,200'`` -> 1200, ``'五十五'`` -> 55."""
    s = fullwidth_to_ascii(text.strip()).replace("，", ",")
    if not s:
        return None
    if re.fullmatch(AR_VALUE, s):
        return float(s.replace(",", ""))
    try:
        return cn_decimal(s)
    except ValueError:
        return None


@dataclass(frozen=True)
class Measure:
    """A canonical unit: values are multiplied by ``factor`` to be expressed in ``name``.

    ``dimension`` groups units that can be compared (``ratio`` for % and ‰, ``count`` for 人 and
    万人, ``money`` for 元 and 亿元, …); two targets with different dimensions never match.
    """

    name: str
    factor: float
    dimension: str


#: Written unit -> (canonical name, factor, dimension). Longer spellings are tried first.
_UNITS: dict[str, tuple[str, float, str]] = {
    "%": ("%", 1.0, "ratio"),
    "％": ("%", 1.0, "ratio"),
    "百分之": ("%", 1.0, "ratio"),
    "‰": ("%", 0.1, "ratio"),
    "千分之": ("%", 0.1, "ratio"),
    "个百分点": ("个百分点", 1.0, "points"),
    "倍": ("倍", 1.0, "multiple"),
    "元/月": ("元/月", 1.0, "money_month"),
    "元/人·月": ("元/月", 1.0, "money_month"),
    "元/人/月": ("元/月", 1.0, "money_month"),
    "元/年": ("元/年", 1.0, "money_year"),
    "元/人·年": ("元/年", 1.0, "money_year"),
    "元": ("元", 1.0, "money"),
    "人次": ("人次", 1.0, "visits"),
    "人": ("人", 1.0, "people"),
    "名": ("人", 1.0, "people"),
    "户": ("户", 1.0, "households"),
    "张": ("张", 1.0, "beds"),
    "床": ("张", 1.0, "beds"),
    "个": ("个", 1.0, "items"),
    "所": ("所", 1.0, "institutions"),
    "家": ("家", 1.0, "institutions"),
    "处": ("处", 1.0, "sites"),
    "斤": ("斤", 1.0, "grain"),
    "吨": ("吨", 1.0, "mass"),
    "公里": ("公里", 1.0, "length"),
    "平方米": ("平方米", 1.0, "area"),
    "亩": ("亩", 1.0, "land"),
    "岁": ("岁", 1.0, "age"),
}
#: Written units, longest first, as one alternation for the target regexes.
UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True) if u not in ("百分之", "千分之"))

#: 每千名老年人 / 每千人口 / 每万人 / 每百户 / 每一百户: a per-population denominator written before the value.
PER_POPULATION = re.compile(r"每一?(?P<mag>十|百|千|万|十万)(?:名|个|位)?(?P<who>[\u4e00-\u9fff]{0,4}?)(?:人口|人|户|老年人|婴幼儿|儿童)")


def unit_of(written: str, *, per: str = "") -> Measure | None:
    """The canonical unit of a unit as written (with any magnitude already stripped), or None.

    ``per`` is a population denominator found near the value (``千人``, ``万人``): ``张`` with
    ``per='千人'`` becomes ``张/千人``, a unit of its own dimension.
    """
    spec = _UNITS.get(written)
    if spec is None:
        return None
    name, factor, dim = spec
    if per and dim not in ("ratio", "points"):
        return Measure(f"{name}/{per}", factor, f"{dim}/{per}")
    return Measure(name, factor, dim)


def magnitude_factor(magnitude: str) -> float:
    """The multiplier of 万, 亿, 万亿, 千 (1.0 for the empty string)."""
    return _MAGNITUDES[magnitude]


def per_population(text: str) -> str:
    """The per-population denominator in ``text`` as a unit suffix (``千人``), or ``''``."""
    m = PER_POPULATION.search(text)
    if not m:
        return ""
    return f"{m.group('mag')}{'户' if m.group(0).endswith('户') else '人'}"


#: A year as written: 2025年, 二〇二五年 (the 年 is required).
YEAR = re.compile(r"(?P<year>(?:19|20)\d{2}|[二][〇○零][一二三四五六七八九〇○零]{2})\s*年")
#: 十四五 / 十五五 as a period: the target year is its last year.
FIVE_YEAR_PLAN = re.compile(r"“?(?P<n>十[一二三四五六七八九])五”?(?:时期|期间|期末|末|规划期)")
_PLAN_END = {"十一": 2010, "十二": 2015, "十三": 2020, "十四": 2025, "十五": 2030}


def year_value(text: str) -> int:
    """The year in ``2025`` or ``二〇二五`` (no 年)."""
    text = text.strip()
    return int(text) if text.isdigit() else cn_to_int(text)


def plan_period_end(match: re.Match[str]) -> int | None:
    """The last year of the five-year plan named by a :data:`FIVE_YEAR_PLAN` match."""
    return _PLAN_END.get(match.group("n"))


def format_amount(value: float) -> str:
    """A value for people: 12000000 -> '1200万', 1.3e12 -> '1.3万亿', 5.5 -> '5.5'."""
    for div, name in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(value) >= div:
            return f"{value / div:g}{name}"
    return f"{value:g}"
