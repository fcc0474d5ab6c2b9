"""PDF: pypdfium2 (PDFium) reads every page, its ruled tables included.

PDFium gives the text, character boxes and font sizes of a page in a few milliseconds. Pages that
plausibly hold a ruled table (many short lines *and* line-like path objects in a grid) have their
tables read from PDFium's own path objects and characters by :mod:`._pdf_tables`, which finds and
reads them the way pdfplumber does. pdfplumber (30-45x slower: it parses the page again in Python)
is asked only for a table that reader leaves to it: text that is not upright inside a table. Pages
without a usable text layer (no text but images or drawn glyphs, ``(cid:NN)`` codes, mostly U+FFFD
or private-use characters) are OCR'd when the ``ocr`` extra is installed, and otherwise reported
with the fix.

A long PDF is read by several processes at once, each taking a contiguous range of pages (text and
tables); the ranges are joined in page order, so the result is the same as reading it in one.
``POLICY_ALIGN_PDF_WORKERS`` sets how many (default: up to 2, the cores of a typical desktop; 1
reads in this process only).
"""

from __future__ import annotations

import ctypes
import io
import logging
import multiprocessing
import os
import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alignment.errors import (
    EmptyDocumentError,
    EncryptedDocumentError,
    ExtractionError,
    MissingDependencyError,
    NoTextLayerError,
)
from alignment.ingest import _pdf_tables
from alignment.ingest import ocr as ocr_backend
from alignment.ingest.base import Line, RawDocument, RawTable, square, table_lines
from alignment.ingest.normalize import clean_cell, display_width

#: A page is garbled when at least this share of its visible characters is U+FFFD/private-use.
GARBLED_SHARE = 0.3
#: Path objects on a text-less page that mean drawn content (glyph outlines, scans as vectors).
DRAWN_PATHS = 50
#: Share of short lines that makes a page worth checking for a ruled table.
SHORT_LINE_SHARE = 0.3
#: Heading hint for lines whose font is at least this much larger than the body font.
HEADING_SIZE_RATIO = 1.15
#: Pages from which a PDF is read by several processes (below, starting them costs what they save).
PARALLEL_MIN_PAGES = 64
#: Longest line (characters) that can be a font-size heading.
HEADING_MAX_CHARS = 40

# pdfminer-style placeholders for glyphs without a Unicode mapping.
_CID = re.compile(r"\(cid:\d+\)")
# Characters of a broken text layer: replacement character, private use area, C0 controls.
_BAD = re.compile("[\ufffd\ue000-\uf8ff\x00-\x01\x03-\x08\x0e-\x1f]")
_LINE = re.compile(r"[^\r\n]+")


@dataclass
class _Line:
    text: str
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass
class _Page:
    number: int
    status: str  # ok, blank, no_text, garbled, broken
    lines: list[_Line] = field(default_factory=list)
    geometry: bool = False
    table_candidate: bool = False  # worth looking for ruled tables
    out: list[Line] = field(default_factory=list)
    found: list | str = field(default_factory=list)  # ruled tables, or why they could not be read
    unresolved: str = ""  # why the PDFium table reader left this page to pdfplumber


def _page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> '1-3, 5'."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [0]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}-{prev}" if prev > start else str(start))
        start = prev = n
    return ", ".join(parts)


def _open(path: Path, data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocumentError(
                path,
                "文件已加密（password-protected）",
                "请提供未加密的文件，或先用 qpdf --decrypt 解密",
            ) from None
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError(
                path, "文件使用了不支持的加密方式（security handler）", "请另存一份未加密的副本再读取"
            ) from None
        raise ExtractionError(
            path,
            "不是可读的 PDF：文件已损坏或不完整（PDFium 无法解析）",
            "请重新下载或导出该文件",
        ) from None


def _classify(text: str, page: Any) -> str:
    visible = "".join(text.split())
    if not visible:
        return "no_text" if _has_graphics(page) else "blank"
    if len(_CID.findall(visible)) >= 3:
        return "garbled"
    if len(_BAD.findall(visible)) >= GARBLED_SHARE * len(visible):
        return "garbled"
    return "ok"


def _has_graphics(page: Any) -> bool:
    """Whether a page holds images, forms or enough drawing to be content (e.g. glyph outlines)."""
    import pypdfium2.raw as raw

    paths = 0
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        kind = raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, k))
        if kind in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_SHADING):
            return True
        if kind == raw.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths >= DRAWN_PATHS:
                return True
    return False


def _may_have_table(page: Any, lines: list[_Line]) -> bool:
    """Cheap test before reading tables: many short lines and path objects that form a grid."""
    import pypdfium2.raw as raw

    if len(lines) < 3:
        return False
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    short = sum(1 for ln in lines if ln.x1 - ln.x0 < 0.6 * (right - left))
    if short < SHORT_LINE_SHARE * len(lines):
        return False
    horizontal = vertical = 0
    cells: set[tuple[int, int]] = set()
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, l, b, r, t):
            continue
        w, h = r.value - l.value, t.value - b.value
        if h <= 2.5 and w >= 10:
            horizontal += 1
        elif w <= 2.5 and h >= 10:
            vertical += 1
        elif w >= 10 and h >= 10:
            if raw.FPDFPath_CountSegments(obj) >= 10 and w >= 50:
                return True  # a whole grid drawn as one path
            cells.add((round(l.value), round(b.value)))
        if (vertical >= 3 and horizontal >= 2) or (
            len(cells) >= 4 and len({c[0] for c in cells}) >= 2 and len({c[1] for c in cells}) >= 2
        ):
            return True
    return False


def _read_page(pdf: Any, index: int) -> _Page:
    """One page's status and lines with their geometry; the PDFium page is closed afterwards."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return _Page(index + 1, "broken")
    try:
        textpage = page.get_textpage()
        text = textpage.get_text_range()
    except pdfium.PdfiumError:
        page.close()
        return _Page(index + 1, "broken")
    result = _Page(index + 1, _classify(text, page))
    if result.status == "ok":
        # PDFium marks a hyphen that ends a line with U+0002 or U+FFFE; replaced 1:1 to keep indices.
        text = text.replace("\x02", "-").replace("\ufffe", "-")
        result.geometry = len(text) == textpage.count_chars()
        for m in _LINE.finditer(text):
            segment = m.group()
            stripped = segment.strip()
            if not stripped:
                continue
            line = _Line(stripped)
            if result.geometry:
                first = m.start() + (len(segment) - len(segment.lstrip()))
                last = m.end() - 1 - (len(segment) - len(segment.rstrip()))
                x0, bottom, _, top = textpage.get_charbox(first, loose=True)
                _, _, x1, _ = textpage.get_charbox(last, loose=True)
                line.x0, line.x1, line.top, line.bottom = x0, x1, top, bottom
                line.size = raw.FPDFText_GetFontSize(textpage.raw, first)
            result.lines.append(line)
        result.table_candidate = result.geometry and _may_have_table(page, result.lines)
        if result.table_candidate:
            try:
                result.found = [
                    (table.bbox, rows)
                    for table in _pdf_tables.find_tables(page, textpage, text)
                    if (rows := _table_rows(table.rows))
                ]
            except _pdf_tables.Unresolved as exc:
                result.unresolved = str(exc)
            except Exception as exc:  # a page the reader trips on: pdfplumber still reads it
                logging.getLogger(__name__).warning(
                    "page %d: PDFium table reader failed (%r); asking pdfplumber", index + 1, exc
                )
                result.unresolved = type(exc).__name__
    textpage.close()
    page.close()
    return result


def _table_rows(rows: list[list[str | None]]) -> tuple[tuple[str, ...], ...] | None:
    """A table's rows as the document keeps them: cells cleaned (a merged cell's covered positions,
    None, as empty cells), empty columns and rows dropped; None for a framed paragraph or a
    one-column box, which is not a table."""
    cleaned = [[clean_cell(cell or "") for cell in row] for row in rows]
    width = max((len(r) for r in cleaned), default=0)
    keep_cols = [j for j in range(width) if any(j < len(r) and r[j] for r in cleaned)]
    kept = [[r[j] if j < len(r) else "" for j in keep_cols] for r in cleaned]
    kept = [r for r in kept if any(r)]
    if len(kept) < 2 or len(keep_cols) < 2:
        return None
    return square(kept)


@dataclass
class _Tables:
    """pdfplumber, opened on the first page that needs it: the pages whose tables the PDFium reader
    leaves to it (see :class:`alignment.ingest._pdf_tables.Unresolved`)."""

    data: bytes
    doc: Any = None

    def find(
        self, number: int
    ) -> list[tuple[tuple[float, float, float, float], tuple[tuple[str, ...], ...]]]:
        """Ruled tables of page ``number`` (1-based): (bbox in PDF coordinates, rows)."""
        if self.doc is None:
            import pdfplumber

            self.doc = pdfplumber.open(io.BytesIO(self.data))
        page = self.doc.pages[number - 1]
        mx0, _, _, my1 = (float(v) for v in page.mediabox)
        found = []
        for table in page.find_tables():
            rows = _table_rows(table.extract())
            if rows:
                x0, top, x1, bottom = table.bbox
                found.append(((mx0 + x0, my1 - bottom, mx0 + x1, my1 - top), rows))
        return found

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()


def _left_edge(starts: list[float], *, min_count: int = 2) -> float | None:
    """The column's left edge: the leftmost line start (2 pt bins) used by at least a quarter as many
    lines as the most used start. Indented first lines and centred lines start further right."""
    bins = Counter(round(v / 2) * 2 for v in starts)
    if not bins:
        return None
    top = max(bins.values())
    common = [b for b, count in bins.items() if count >= max(min_count, 0.25 * top)]
    return float(min(common)) if common else None


def _right_edge(ends: list[float], *, min_count: int = 3) -> float | None:
    """The column's right edge: the most common line end (2 pt bins); justified lines share it."""
    bins = Counter(round(v / 2) * 2 for v in ends)
    if not bins:
        return None
    end, count = max(bins.items(), key=lambda item: (item[1], item[0]))
    return float(end) if count >= min_count else None


def _layout_flags(pages: list[_Page]) -> None:
    """Turn line geometry into indent/full/heading flags on each page's output lines.

    A page's right edge is its most common line end (else the document's); a line is full when it
    ends within 1.2 em (one character width) of it. The left edge is where the page's full lines
    start (else the document's, see :func:`_left_edge`); a line is indented when it starts one em
    or more right of it, or is wider than the column on both sides (a centred line).
    """
    measured = [p for p in pages if p.status == "ok" and p.geometry and p.lines]
    body = {p.number: [ln for ln in p.lines if ln.x1 > ln.x0] for p in measured}
    every = [ln for lines in body.values() for ln in lines]
    doc_left = _left_edge([ln.x0 for ln in every])
    doc_right = _right_edge([ln.x1 for ln in every], min_count=1)
    sizes: dict[float, int] = {}
    for ln in every:
        if ln.size > 0:
            key = round(ln.size, 1)
            sizes[key] = sizes.get(key, 0) + len(ln.text)
    body_size = max(sizes, key=lambda s: sizes[s]) if sizes else 0.0
    heading_sizes = sorted(
        {s for s in sizes if body_size and s >= HEADING_SIZE_RATIO * body_size}, reverse=True
    )
    for p in measured:
        lines = body[p.number]
        ems = [(ln.x1 - ln.x0) / (display_width(ln.text) / 2) for ln in lines if len(ln.text) >= 4]
        em = statistics.median(ems) if ems else 10.0
        right = _right_edge([ln.x1 for ln in lines])
        right = right if right is not None else doc_right
        # The left edge is where full lines start: continuation lines, or first lines if none.
        full_starts = [ln.x0 for ln in lines if right is not None and abs(right - ln.x1) <= 1.2 * em]
        left = min(full_starts) if full_starts else doc_left
        for ln in p.lines:
            size = round(ln.size, 1)
            heading = 0
            if size in heading_sizes and len(ln.text) <= HEADING_MAX_CHARS:
                heading = heading_sizes.index(size) + 1
            full = right is not None and abs(right - ln.x1) <= 1.2 * em
            # Indented: a first-line indent, or a line wider than the column on both sides (centred).
            indent = left is not None and (
                ln.x0 - left >= em or (right is not None and ln.x0 < left - em and ln.x1 > right + em)
            )
            p.out.append(Line(ln.text, indent=indent, full=full, heading=heading))


def _place_tables(page: _Page, tables: list, first_group: int, out_tables: list[RawTable]) -> int:
    """Replace the lines inside each table's box by the table's rows; returns the next group id."""
    group = first_group
    for bbox, rows in tables:
        x0, y0, x1, y1 = bbox
        inside = [
            i
            for i, ln in enumerate(page.lines)
            if x0 - 1 <= ln.centre[0] <= x1 + 1 and y0 - 1 <= ln.centre[1] <= y1 + 1
        ]
        if inside:
            at = inside[0]
        else:  # no text line inside the box: put the table where its top falls in reading order
            at = next((i for i, ln in enumerate(page.lines) if ln.centre[1] < y1), len(page.lines))
        rendered = table_lines(rows, group)
        keep = set(inside)
        page.out = (
            [ln for i, ln in enumerate(page.out[:at]) if i not in keep]
            + rendered
            + [ln for i, ln in enumerate(page.out[at:], start=at) if i not in keep]
        )
        page.lines = (
            [ln for i, ln in enumerate(page.lines[:at]) if i not in keep]
            + [_Line("") for _ in rendered]  # placeholders keep page.lines aligned with page.out
            + [ln for i, ln in enumerate(page.lines[at:], start=at) if i not in keep]
        )
        out_tables.append(RawTable(page=page.number, rows=rows, group=group))
        group += 1
    return group


def read(path: Path, data: bytes, *, ocr: str = "auto") -> RawDocument:
    """A PDF as pages of lines with its ruled tables; OCR for pages without a text layer."""
    pdf = _open(path, data)
    tables = _Tables(data)
    warnings: list[str] = []
    try:
        count = len(pdf)
        if count == 0:
            raise EmptyDocumentError(path, "文件没有任何页面", "请确认这是要分析的文件")
        pages = _scan_all(path, data, pdf, tables, count)
        broken = [p.number for p in pages if p.status == "broken"]
        if len(broken) == count:
            raise ExtractionError(path, "文件已损坏：PDFium 一页也无法加载", "请重新导出该 PDF")
        if broken:
            warnings.append(f"第 {_page_ranges(broken)} 页无法加载，文本中缺少这些页")
        _layout_flags(pages)
        out_tables: list[RawTable] = []
        group = 0
        for p in pages:
            if p.status == "ok" and not p.geometry:
                p.out = [Line(ln.text) for ln in p.lines]
            if p.table_candidate:
                if isinstance(p.found, str):
                    warnings.append(f"第 {p.number} 页：表格无法识别（{p.found}），已按正文保留")
                group = _place_tables(p, p.found if isinstance(p.found, list) else [], group, out_tables)
        _ocr_pages(path, pdf, pages, ocr, warnings)
        if not any(p.out for p in pages):
            raise EmptyDocumentError(
                path,
                f"共 {count} 页，{'都' if count > 1 else ''}没有文字",
                "请确认这是要分析的文件",
            )
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    finally:
        tables.close()
        pdf.close()
    return RawDocument(
        format="pdf",
        pages=[p.out for p in pages],
        tables=out_tables,
        warnings=warnings,
        rejoin=True,
        paged=True,
        hints={"title": title} if title else {},
    )


def _scan(pdf: Any, tables: _Tables, start: int, stop: int) -> list[_Page]:
    """Pages ``start``..``stop - 1`` (0-based) read, with the ruled tables of candidate pages."""
    pages = [_read_page(pdf, i) for i in range(start, stop)]
    for p in pages:
        if p.table_candidate and p.unresolved:
            # The PDFium reader would have to guess how pdfplumber groups this text (rotated or
            # vertical lines in a table): pdfplumber reads the page so the rows stay the same.
            try:
                p.found = tables.find(p.number)
            except Exception as exc:  # pdfplumber is optional polish: keep the pdfium text
                p.found = type(exc).__name__
    return pages


def _scan_range(path: Path, data: bytes, start: int, stop: int) -> list[_Page]:
    """:func:`_scan` in a worker process, on its own copy of the document."""
    pdf = _open(path, data)
    tables = _Tables(data)
    try:
        return _scan(pdf, tables, start, stop)
    finally:
        tables.close()
        pdf.close()


def _workers() -> int:
    try:
        wanted = int(os.environ.get("POLICY_ALIGN_PDF_WORKERS", "0"))
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else min(2, os.cpu_count() or 1)


def _can_fork() -> bool:
    # Forking is safe only from a single-threaded process (no lock held by another thread), and a
    # daemonic process (a worker of a pool or of Dask's nanny) may not have children.
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and not multiprocessing.current_process().daemon)


def _scan_all(path: Path, data: bytes, pdf: Any, tables: _Tables, count: int) -> list[_Page]:
    """Every page, read by up to :func:`_workers` processes when the document is long."""
    n = _workers()
    if n < 2 or count < PARALLEL_MIN_PAGES or not _can_fork():
        return _scan(pdf, tables, 0, count)
    from concurrent.futures import ProcessPoolExecutor

    bounds = [round(count * k / n) for k in range(n + 1)]
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_scan_range, path, data, a, b) for a, b in zip(bounds, bounds[1:])]
            return [p for f in futures for p in f.result()]
    except (OSError, RuntimeError, ImportError) as exc:  # no processes to be had here: read in this one
        logging.getLogger(__name__).debug("reading %s in one process: %s", path, exc)
        return _scan(pdf, tables, 0, count)


def _ocr_pages(path: Path, pdf: Any, pages: list[_Page], ocr: str, warnings: list[str]) -> None:
    """OCR the pages that need it (all pages with ``ocr='always'``), or raise NoTextLayerError."""
    if ocr == "always":
        need = [p for p in pages if p.status != "broken"]
    else:
        need = [p for p in pages if p.status in ("no_text", "garbled")]
    if not need:
        return
    numbers = [p.number for p in need]
    where = f"第 {_page_ranges(numbers)} 页（共 {len(pages)} 页）"
    if ocr != "always":
        reasons = []
        if any(p.status == "no_text" for p in need):
            reasons.append("没有文字，只有图像或绘制的图形")
        if any(p.status == "garbled" for p in need):
            reasons.append("文字无法识别：(cid:NN)、U+FFFD 或私用区字符")
        problem = f"{where}没有可用的文字层（text layer；{'；'.join(reasons)}）"
        if ocr == "never":
            raise NoTextLayerError(
                path,
                problem,
                "OCR 已关闭（ocr=never）；如需识别这些页，请改用 --ocr auto "
                "并安装 OCR 扩展：pip install 'policy-align[ocr]'",
            )
        try:
            ocr_backend.engine()
        except MissingDependencyError:
            raise NoTextLayerError(
                path, problem, "如需识别这些页，请安装 OCR 扩展：pip install 'policy-align[ocr]'"
            ) from None
    for p in need:
        page = pdf[p.number - 1]
        try:
            p.out = ocr_backend.read_pdf_page(page)
        finally:
            page.close()
        p.status = "ocr"
    warnings.append(f"{where}经 OCR 识别，引用前请核对原文")
