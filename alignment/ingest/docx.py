"""DOCX (python-docx): the body in document order, paragraphs and tables interleaved.

Heading styles (Heading 1..9, 标题 1..9, Title) and outline levels become heading hints. Automatic
numbering is rendered into the text (Word keeps "第一章" or "（一）" of a numbered heading out of the
paragraph's text), and short numbered paragraphs become heading hints at their list level.
A DOCX has no fixed pages: the whole body is page 1.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Iterator

from alignment.errors import EncryptedDocumentError, ExtractionError
from alignment.ingest.base import Line, RawDocument, RawTable, square, table_lines
from alignment.ingest.normalize import clean_cell

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_TITLE_STYLE = re.compile(r"^(?:title|标题)$", re.I)
#: Numbered paragraphs up to this many characters (without sentence punctuation) are heading hints.
NUMBERED_HEADING_MAX = 40
_SENTENCE = re.compile(r"[。；！？]")

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def zh_counting(n: int, digits: str = _ZH_DIGITS) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else zh_counting(rest, digits))
        if 10 <= rest < 20:
            tail = digits[1] + tail  # 一百一十二, not 一百十二
        return digits[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out += numeral
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """``n`` in a Word numbering format (w:numFmt), e.g. 3 as chineseCounting -> '三'."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return zh_counting(n)
    if fmt == "chineseLegalSimplified":
        return zh_counting(n, _ZH_LEGAL)
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12]
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering (numbering.xml) with running counters, in document order."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int, str]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.findall(f"{_W}abstractNum"):
            abstract[node.get(f"{_W}abstractNumId")] = node
        for num in root.findall(f"{_W}num"):
            num_id = num.get(f"{_W}numId")
            ref = num.find(f"{_W}abstractNumId")
            node = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            if node is None:
                continue
            overrides = {}
            for override in num.findall(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start.get(f"{_W}val", "1"))
            for lvl in node.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = _val(lvl.find(f"{_W}numFmt"), "decimal")
                text = _val(lvl.find(f"{_W}lvlText"), "")
                start = overrides.get(ilvl, int(_val(lvl.find(f"{_W}start"), "1")))
                suffix = _val(lvl.find(f"{_W}suff"), "tab")
                self.levels[(num_id, ilvl)] = (fmt, text, start, suffix)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """The next label of list ``num_id`` at level ``ilvl`` and its format ('' if none)."""
        spec = self.levels.get((num_id, ilvl))
        if spec is None or num_id == "0":
            return "", ""
        fmt, text, start, suffix = spec
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def value(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            level_fmt = self.levels.get((num_id, level), ("decimal", "", 1, ""))[0]
            count = counters.get(level, self.levels.get((num_id, level), ("", "", 1, ""))[2])
            return format_number(count, level_fmt)

        label = re.sub(r"%(\d)", value, text)
        if not label.strip():
            return "", fmt
        return label + ("" if suffix == "nothing" else " "), fmt


def _val(node: Any, default: str) -> str:
    if node is None:
        return default
    return node.get(f"{_W}val", default)


class _Styles:
    """Paragraph styles by id, with what each implies (heading level, numbering), resolved once.

    python-docx's ``paragraph.style`` searches the styles part on every call; a long document
    would spend most of its time there.
    """

    def __init__(self, document: Any) -> None:
        root = document.styles.element
        self.by_id = {s.get(f"{_W}styleId"): s for s in root.findall(f"{_W}style")}
        self.default = next(
            (
                sid
                for sid, s in self.by_id.items()
                if s.get(f"{_W}type") == "paragraph" and s.get(f"{_W}default") in ("1", "true")
            ),
            None,
        )
        self.cache: dict[str | None, tuple[int, tuple[str | None, int | None]]] = {}

    def chain(self, style_id: str | None) -> list[Any]:
        """The style and the styles it is based on, nearest first."""
        out: list[Any] = []
        style_id = style_id or self.default
        while style_id in self.by_id and len(out) < 10:
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None
        return out

    def info(self, style_id: str | None) -> tuple[int, tuple[str | None, int | None]]:
        """(heading level, (numId, ilvl) from the style's numbering) of a paragraph style."""
        if style_id not in self.cache:
            chain = self.chain(style_id)
            level = 0
            for style in chain:
                name_node = style.find(f"{_W}name")
                name = (name_node.get(f"{_W}val") if name_node is not None else "") or ""
                m = _HEADING_STYLE.match(name.strip())
                if m:
                    level = int(m.group(1))
                    break
                if _TITLE_STYLE.match(name.strip()):
                    level = 1
                    break
            if not level:
                level = _outline_level([style.find(f"{_W}pPr") for style in chain])
            self.cache[style_id] = (level, _numbering([style.find(f"{_W}pPr") for style in chain]))
        return self.cache[style_id]


def _outline_level(nodes: list[Any]) -> int:
    """Level from the first w:outlineLvl among paragraph-property nodes (0-8 -> 1-9; 9 is body)."""
    for node in nodes:
        if node is None:
            continue
        outline = node.find(f"{_W}outlineLvl")
        if outline is not None:
            level = int(outline.get(f"{_W}val", "9"))
            return level + 1 if level < 9 else 0
    return 0


def _numbering(nodes: list[Any]) -> tuple[str | None, int | None]:
    """(numId, ilvl) from the first w:numPr among paragraph-property nodes that say them."""
    num_id: str | None = None
    ilvl: int | None = None
    for node in nodes:
        if node is None:
            continue
        num_pr = node.find(f"{_W}numPr")
        if num_pr is None:
            continue
        if ilvl is None and num_pr.find(f"{_W}ilvl") is not None:
            ilvl = int(_val(num_pr.find(f"{_W}ilvl"), "0"))
        if num_id is None and num_pr.find(f"{_W}numId") is not None:
            num_id = _val(num_pr.find(f"{_W}numId"), "0")
            break
    return num_id, ilvl


def _heading_and_number(paragraph: Any, styles: _Styles) -> tuple[int, tuple[str, int] | None]:
    """Heading level (style name, else outline level) and (numId, ilvl), paragraph before style."""
    ppr = paragraph._p.pPr
    style_level, (style_num, style_ilvl) = styles.info(paragraph._p.style)
    own_level = _outline_level([ppr])
    level = own_level or style_level
    num_id, ilvl = _numbering([ppr])
    num_id = num_id if num_id is not None else style_num
    ilvl = ilvl if ilvl is not None else style_ilvl
    return level, ((num_id, ilvl or 0) if num_id is not None else None)


def _cell_text(tc: Any, parent: Any) -> str:
    from docx.text.paragraph import Paragraph

    texts = [Paragraph(p, parent).text for p in tc.iter(f"{_W}p")]
    return clean_cell("\n".join(texts))


def _table_rows(table: Any) -> list[list[str]]:
    """Cells row by row; a merged cell's text appears once (spanned and continued cells are empty)."""
    rows = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _cell_text(tc, table)
            row.append(text)
            row.extend([""] * (max(tc.grid_span, 1) - 1))
        rows.append(row)
    return rows


def _blocks(body: Any, document: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, looking inside content controls (w:sdt)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            yield Paragraph(child, document)
        elif child.tag == f"{_W}tbl":
            yield Table(child, document)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, document)


def _open(path: Path, data: bytes) -> Any:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocumentError(
                path, "文件已加密（password-protected）", "请在 Word 或 WPS 中另存一份未加密的副本再读取"
            )
        raise ExtractionError(
            path,
            "这是旧版 Word 二进制文件（.doc），不是 .docx",
            "请用 Word、WPS 或 LibreOffice 打开并另存为 .docx",
        )
    if not data.startswith(b"PK"):
        raise ExtractionError(
            path, "不是 DOCX 文件（没有 ZIP 容器）", "请检查该文件，或重新另存为 .docx"
        )
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ExtractionError(
            path,
            f"不是可读的 DOCX（{type(exc).__name__}: {' '.join(str(exc).split())[:120]}）",
            "请用 Word、WPS 或 LibreOffice 打开并重新另存为 .docx",
        ) from None
    except Exception as exc:  # zipfile.BadZipFile, lxml syntax errors in a damaged package
        raise ExtractionError(
            path,
            f"DOCX 文件已损坏（{type(exc).__name__}）",
            "请用 Word、WPS 或 LibreOffice 打开并重新保存",
        ) from None


def read(path: Path, data: bytes) -> RawDocument:
    """A DOCX body as one page of lines, with its tables and heading hints."""
    from docx.table import Table

    document = _open(path, data)
    numbering = _Numbering(document)
    styles = _Styles(document)
    lines: list[Line] = []
    tables: list[RawTable] = []
    for block in _blocks(document.element.body, document):
        if isinstance(block, Table):
            rows = square([r for r in _table_rows(block) if any(r)])
            if len(rows) >= 1 and any(any(r) for r in rows):
                group = len(tables)
                tables.append(RawTable(page=1, rows=rows, group=group))
                lines.extend(table_lines(rows, group))
            continue
        text = block.text.replace("\t", " ")
        if not text.strip():
            lines.append(Line(""))
            continue
        level, num = _heading_and_number(block, styles)
        if num is not None:
            label, fmt = numbering.label(*num)
            text = label + text.lstrip()
            if not level and label and len(text) <= NUMBERED_HEADING_MAX and not _SENTENCE.search(text):
                level = num[1] + 1
        for k, part in enumerate(text.split("\n")):  # soft line breaks stay line breaks
            lines.append(Line(part, heading=level if k == 0 else 0, keep=bool(level)))
    title = (document.core_properties.title or "").strip()
    return RawDocument(
        format="docx", pages=[lines], tables=tables, rejoin=False, hints={"title": title} if title else {}
    )
