"""Numbers as Chinese official documents write them, in both directions.

Three notations appear in heading labels and in the text around them:

* Chinese numerals, positional (``十二``, ``一百零三``, ``两千``) or digit by digit (``二〇二一``,
  ``二○三五``); ``零``, ``〇`` and ``○`` (U+25CB, common in older typesetting) all mean zero.
* Arabic digits, half- or full-width (``12``, ``１２``).
* Circled numbers ``①`` to ``㊿`` for the deepest list level.

Everything here is pure and total over its documented domain: the parsers raise :class:`ValueError`
on anything else, :func:`parse_number` returns ``None`` instead.
"""
from __future__ import annotations

import re

#: Value of each Chinese digit; 两 is the colloquial 2 used before a unit (两千).
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1,
    "二": 2, "两": 2, "贰": 2,
    "三": 3, "叁": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
#: Multiplier of each unit character below 万.
CN_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Multipliers that close a group of four digits.
CN_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
#: Every character :func:`cn_to_int` accepts; handy for building regexes.
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS) + "".join(CN_BIG_UNITS)

_DIGIT_NAMES = "零一二三四五六七八九"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HAS_FULLWIDTH_DIGIT = re.compile("[０-９]")

#: ① .. ⑳ (U+2460..), ㉑ .. ㉟ (U+3251..), ㊱ .. ㊿ (U+32B1..): value 1..50.
CIRCLED: str = (
    "".join(chr(c) for c in range(0x2460, 0x2474))
    + "".join(chr(c) for c in range(0x3251, 0x3260))
    + "".join(chr(c) for c in range(0x32B1, 0x32C0))
)


def fullwidth_to_ascii(text: str) -> str:
    """Replace full-width digits ``０``..``９`` with ASCII ones; the length is unchanged."""
    return text.translate(_FULLWIDTH_DIGITS) if _HAS_FULLWIDTH_DIGIT.search(text) else text


def _small_cn(text: str, whole: str) -> int:
    """Value of a positional numeral below 10000 (no 万/亿)."""
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0 and CN_DIGITS[ch] != 0:
                raise ValueError(f"not a Chinese numeral: {whole!r} (two digits in a row)")
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"not a Chinese numeral: {whole!r} (units out of order)")
            # A bare 十 at the start means 一十 (十二 = 12); elsewhere a unit needs a digit.
            if digit is None:
                if total or unit != 10:
                    raise ValueError(f"not a Chinese numeral: {whole!r} (unit without a digit)")
                digit = 1
            total += digit * unit
            digit = None
            last_unit = unit
        else:
            raise ValueError(f"not a Chinese numeral: {whole!r} (unexpected {ch!r})")
    if digit:
        total += digit
    return total


def cn_to_int(text: str) -> int:
    """The value of a Chinese numeral: ``'十二'`` -> 12, ``'一百零三'`` -> 103, ``'二〇二一'`` -> 2021.

    Accepts positional numerals up to 亿, the digit-by-digit form used for years, and 两. Raises
    :class:`ValueError` for anything else (including the empty string).
    """
    s = text.strip()
    if not s:
        raise ValueError("not a Chinese numeral: empty string")
    if all(ch in CN_DIGITS for ch in s):
        # Digit by digit: 二〇二一, 一九九六, or a single digit.
        value = 0
        for ch in s:
            value = value * 10 + CN_DIGITS[ch]
        return value
    total = 0
    rest = s
    for big_char, big in sorted(CN_BIG_UNITS.items(), key=lambda kv: -kv[1]):
        if big_char in rest:
            head, _, rest = rest.partition(big_char)
            if not head:
                raise ValueError(f"not a Chinese numeral: {text!r} ({big_char} without a digit)")
            total += cn_to_int(head) * big
    if rest:
        total += _small_cn(rest, text)
    return total


def int_to_cn(value: int) -> str:
    """Chinese numeral for ``value`` >= 0 as heading labels write it: 12 -> '十二', 103 -> '一百零三'.

    Numbers from 10 to 19 drop the leading 一 (十二, not 一十二) as 第十二条 does; inside a larger
    number the 一 stays (一百一十). Supports values below 10**8 (万 groups).
    """
    if value < 0:
        raise ValueError(f"negative numbers have no label form: {value}")
    if value >= 100_000_000:
        raise ValueError(f"too large for a heading label: {value}")
    if value == 0:
        return "零"
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        out = int_to_cn(high) + "万"
        if low:
            out += ("零" if low < 1000 else "") + _four_digits(low, leading=False)
        return out
    return _four_digits(value, leading=True)


def _four_digits(value: int, *, leading: bool) -> str:
    """1..9999 in positional form; ``leading`` allows 十二 instead of 一十二."""
    out = []
    zero_pending = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit)
        if digit:
            if zero_pending:
                out.append("零")
                zero_pending = False
            if not (unit == 10 and digit == 1 and not out and leading):
                out.append(_DIGIT_NAMES[digit])
            out.append(name)
        elif out:
            zero_pending = True
    return "".join(out)


def int_to_cn_digits(value: int) -> str:
    """Digit-by-digit Chinese form used for years: 2021 -> '二〇二一'."""
    if value < 0:
        raise ValueError(f"negative numbers have no digit form: {value}")
    return "".join("〇" if d == "0" else _DIGIT_NAMES[int(d)] for d in str(value))


def circled_to_int(char: str) -> int:
    """Value of a circled number ``①``..``㊿`` (1..50)."""
    if len(char) != 1 or char not in CIRCLED:
        raise ValueError(f"not a circled number: {char!r}")
    return CIRCLED.index(char) + 1


def int_to_circled(value: int) -> str:
    """Circled form of 1..50: 1 -> '①', 21 -> '㉑'."""
    if not 1 <= value <= len(CIRCLED):
        raise ValueError(f"no circled number for {value} (1..{len(CIRCLED)} exist)")
    return CIRCLED[value - 1]


def parse_number(text: str) -> int | None:
    """Value of a label number in any notation (arabic, full-width, Chinese, circled), else None."""
    s = fullwidth_to_ascii(text.strip())
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if len(s) == 1 and s in CIRCLED:
        return circled_to_int(s)
    try:
        return cn_to_int(s)
    except ValueError:
        return None
