"""Ruled tables read from PDFium's own page objects: pdfplumber's table finder without pdfplumber.

pdfplumber parses a page again in Python (pdfminer) to find its tables, about 40-140 ms a page. This
module finds the same tables on what PDFium has already parsed, in a few milliseconds:

1. **edges**: the horizontal and vertical pieces of every path object (also inside form XObjects),
   taken the way pdfminer and pdfplumber take them: each subpath is a line (one segment), or a
   polyline whose consecutive end points give an edge where they share an x or a y (rectangles
   are 4 such edges; Bézier control points are ignored);
2. **grid**: edges within 3 pt of one another snapped to their mean, collinear pieces less than 3 pt
   apart joined, edges shorter than 3 pt dropped; their crossings (3 pt tolerance) are the corners
   of the cells, and cells that share a corner make one table;
3. **text**: every PDFium character whose middle lies in a cell, grouped into lines and words with
   pdfplumber's rules (3 pt tolerances) so each cell reads as ``Table.extract()`` would give it.

Each step follows pdfplumber 0.11's ``TableFinder`` with its default settings (``"lines"``
strategies, snap, join and intersection tolerance 3, ``edge_min_length`` 3) and its
``Table.extract()``: a merged cell is one cell, and the grid positions it covers are ``None``, as
pdfplumber gives them. Coordinates are worked in pdfplumber's frame (x right, ``top`` down, page
rotation applied) so that "top to bottom, left to right" means the same.

Where this reader would have to guess, it raises :class:`Unresolved` and the caller asks pdfplumber:
text that is not upright (rotated or vertical lines inside a table), where pdfplumber's word
grouping follows other rules.
"""

from __future__ import annotations

import ctypes
import itertools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

#: pdfplumber's defaults: edges this close are snapped to one line (pt).
SNAP_TOLERANCE = 3.0
#: Collinear edges with a gap up to this are joined into one (pt).
JOIN_TOLERANCE = 3.0
#: An edge may stop this short of another and still cross it (pt).
INTERSECTION_TOLERANCE = 3.0
#: Edges shorter than this before merging are noise (pt).
EDGE_MIN_LENGTH_PREFILTER = 1.0
#: Merged edges shorter than this are not table rules (pt).
EDGE_MIN_LENGTH = 3.0
#: Text: a gap wider than this between characters starts a new word; tops this close share a line (pt).
TEXT_X_TOLERANCE = 3.0
TEXT_Y_TOLERANCE = 3.0
# PDFium keeps coordinates in single precision: two values exactly a tolerance apart (a 3 pt gap is
# common) can come out a few 1e-5 pt further apart; pdfminer, in double precision, counts them within.
_EPS = 1e-3
# How far (pt) a character's PDFium box may lie outside a table and its pdfminer box still reach in.
_MARGIN = 20.0

# pdfplumber expands these ligatures when it joins characters into words.
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
# PDFium marks a hyphen that ends a line with U+0002 or U+FFFE.
_HYPHEN_MARKS = str.maketrans({"\x02": "-", "\ufffe": "-"})

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in pdfplumber's frame
Placed = list[tuple[Any, Matrix]]  # page objects, each with its matrix to pdfplumber's frame


class Unresolved(Exception):
    """The page holds a table this reader cannot read the way pdfplumber would; the message says why."""


@dataclass(frozen=True)
class Table:
    """One ruled table: ``bbox`` in PDF user space (left, bottom, right, top); ``rows`` top to bottom,
    each cell's text as pdfplumber's ``Table.extract()`` gives it, ``None`` where a merged cell
    covers the grid position."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str | None]]


@dataclass
class _Edge:
    vertical: bool
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def key(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


class _Char:
    """A character in pdfplumber's frame; ``h`` and ``v`` are its middle, ``n`` its PDFium index."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "h", "v", "n")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float, n: int) -> None:
        self.text, self.x0, self.top, self.x1, self.bottom, self.n = text, x0, top, x1, bottom, n
        self.h = (x0 + x1) / 2
        self.v = (top + bottom) / 2


def _concat(m1: Matrix, m2: Matrix) -> Matrix:
    """``m1`` then ``m2`` (PDF row-vector convention: p' = p x m1 x m2)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _page_frame(rotation: int, mediabox: Sequence[float]) -> tuple[Matrix, Matrix]:
    """(to pdfplumber's frame: x right and top down, as displayed; the same rotation with y up).

    pdfminer turns the page by its /Rotate before anything is measured, so a table on a page shown
    sideways is read in the orientation it is displayed in; the y-up matrix decides uprightness.
    """
    x0, y0, x1, y1 = mediabox
    if rotation == 90:
        return (0.0, 1.0, 1.0, 0.0, -y0, -x0), (0.0, -1.0, 1.0, 0.0, 0.0, 0.0)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, 1.0, x1, -y0), (-1.0, 0.0, 0.0, -1.0, 0.0, 0.0)
    if rotation == 270:
        return (0.0, -1.0, -1.0, 0.0, y1, x1), (0.0, 1.0, -1.0, 0.0, 0.0, 0.0)
    return (1.0, 0.0, 0.0, -1.0, -x0, y1), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


# --- edges ------------------------------------------------------------------------------------


def _objects(raw: Any, page: Any, frame: Matrix) -> tuple[Placed, Placed]:
    """(path objects, text objects) of the page, each with the matrix that takes it to pdfplumber's
    frame (a text object's: the one its form is drawn with); form XObjects are entered."""
    m = raw.FS_MATRIX()
    paths: Placed = []
    texts: Placed = []
    stack: list[tuple[Any, Matrix, bool]] = [(page, frame, False)]
    while stack:
        owner, outer, is_form = stack.pop()
        count = raw.FPDFFormObj_CountObjects(owner) if is_form else raw.FPDFPage_CountObjects(owner)
        for k in range(count):
            obj = raw.FPDFFormObj_GetObject(owner, k) if is_form else raw.FPDFPage_GetObject(owner, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                texts.append((obj, outer))
            elif kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM) and raw.FPDFPageObj_GetMatrix(obj, m):
                inner = _concat((m.a, m.b, m.c, m.d, m.e, m.f), outer)
                if kind == raw.FPDF_PAGEOBJ_FORM:
                    stack.append((obj, inner, True))
                else:
                    paths.append((obj, inner))
    return paths, texts


def _subpaths(raw: Any, obj: Any, m: Matrix) -> Iterator[tuple[str, list[Point]]]:
    """The subpaths of a path object as pdfminer records them: operators ("m", "l", "c", "h") and
    one point per operator (a curve's end point; "h" repeats the subpath's first point)."""
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[str] = []
    pts: list[Point] = []
    bezier = 0
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        px, py = x.value, y.value
        point = (a * px + c * py + e, b * px + d * py + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if ops:
                yield "".join(ops), pts
            ops, pts, bezier = ["m"], [point], 0
        elif kind == raw.FPDF_SEGMENT_LINETO:
            ops.append("l")
            pts.append(point)
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1  # PDFium stores a curve as its two control points and its end point
            if bezier % 3:
                continue
            ops.append("c")
            pts.append(point)
        else:
            continue
        if ops and raw.FPDFPathSegment_GetClose(seg):
            ops.append("h")
            pts.append(pts[0])
    if ops:
        yield "".join(ops), pts


def _path_edges(shape: str, pts: list[Point]) -> Iterator[_Edge]:
    """pdfminer's reading of one subpath (LTLine, LTRect or LTCurve) as pdfplumber's edges."""
    if not shape.startswith("m"):
        return
    if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"  # pdfminer drops a redundant "l" before "h"
        pts = pts[:-1]
    if shape in ("ml", "mlh"):
        (ax, ay), (bx, by) = pts[0], pts[1]
        # A line: horizontal when flat, otherwise pdfplumber counts it as vertical (even slanted).
        yield _Edge(ay != by, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        return
    # Rectangles and polylines: every axis-parallel piece between consecutive points.
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        if ax == bx:
            yield _Edge(True, ax, min(ay, by), bx, max(ay, by))
        elif ay == by:
            yield _Edge(False, min(ax, bx), ay, max(ax, bx), by)


def _edges(raw: Any, paths: Placed) -> list[_Edge]:
    """The edges of these path objects that are at least :data:`EDGE_MIN_LENGTH_PREFILTER` long,
    before merging."""
    out: list[_Edge] = []
    for obj, m in paths:
        for shape, pts in _subpaths(raw, obj, m):
            for edge in _path_edges(shape, pts):
                length = edge.bottom - edge.top if edge.vertical else edge.x1 - edge.x0
                if length >= EDGE_MIN_LENGTH_PREFILTER:
                    out.append(edge)
    return out


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """Each value's cluster: sorted distinct values chained while each is within ``tolerance`` of the
    previous one (pdfplumber's ``cluster_list``)."""
    out: dict[float, int] = {}
    group, last = -1, None
    for v in sorted(set(values)):
        if last is None or v > last + tolerance + _EPS:
            group += 1
        out[v] = group
        last = v
    return out


def _snap(edges: list[_Edge], vertical: bool) -> None:
    """Move edges within :data:`SNAP_TOLERANCE` of one another onto their mean position."""
    if vertical:
        of = {id(e): e.x0 for e in edges}
    else:
        of = {id(e): e.top for e in edges}
    cluster = _clusters(list(of.values()), SNAP_TOLERANCE)
    members: dict[int, list[_Edge]] = {}
    for e in edges:
        members.setdefault(cluster[of[id(e)]], []).append(e)
    for group in members.values():
        mean = sum(of[id(e)] for e in group) / len(group)
        for e in group:
            shift = mean - of[id(e)]
            if vertical:
                e.x0, e.x1 = e.x0 + shift, e.x1 + shift
            else:
                e.top, e.bottom = e.top + shift, e.bottom + shift


def _join(edges: list[_Edge], vertical: bool) -> list[_Edge]:
    """Collinear edges that overlap or lie within :data:`JOIN_TOLERANCE` joined into one."""
    # along the edge: top..bottom for a vertical one, x0..x1 for a horizontal one
    start, end = ("top", "bottom") if vertical else ("x0", "x1")
    out: list[_Edge] = []
    line = (lambda e: e.x0) if vertical else (lambda e: e.top)
    for _, group in itertools.groupby(sorted(edges, key=line), key=line):
        run = sorted(group, key=lambda e: getattr(e, start))
        last = run[0]
        out.append(last)
        for e in run[1:]:
            if getattr(e, start) <= getattr(last, end) + JOIN_TOLERANCE + _EPS:
                setattr(last, end, max(getattr(last, end), getattr(e, end)))
            else:
                last = e
                out.append(e)
    return out


def _merged_edges(edges: list[_Edge]) -> tuple[list[_Edge], list[_Edge]]:
    """(vertical, horizontal) edges snapped, joined and filtered by :data:`EDGE_MIN_LENGTH`."""
    vertical = [e for e in edges if e.vertical]
    horizontal = [e for e in edges if not e.vertical]
    _snap(vertical, True)
    _snap(horizontal, False)
    vertical = [e for e in _join(vertical, True) if e.bottom - e.top >= EDGE_MIN_LENGTH]
    horizontal = [e for e in _join(horizontal, False) if e.x1 - e.x0 >= EDGE_MIN_LENGTH]
    return vertical, horizontal


# --- grid -------------------------------------------------------------------------------------


def _intersections(
    vertical: list[_Edge], horizontal: list[_Edge]
) -> dict[Point, tuple[set[BBox], set[BBox]]]:
    """Crossing points (x of the vertical edge, top of the horizontal) -> the edges through them."""
    t = INTERSECTION_TOLERANCE + _EPS
    horizontal = sorted(horizontal, key=lambda h: (h.top, h.x0))
    tops = [h.top for h in horizontal]
    out: dict[Point, tuple[set[BBox], set[BBox]]] = {}
    for v in sorted(vertical, key=lambda v: (v.x0, v.top)):
        for h in horizontal[bisect_left(tops, v.top - t):bisect_right(tops, v.bottom + t)]:
            if h.x0 - t <= v.x0 <= h.x1 + t:
                vs, hs = out.setdefault((v.x0, h.top), (set(), set()))
                vs.add(v.key)
                hs.add(h.key)
    return out


def _cells(points: dict[Point, tuple[set[BBox], set[BBox]]]) -> list[BBox]:
    """The smallest rectangle each crossing is the top-left corner of, when edges join its corners."""

    def joined(p: Point, q: Point) -> bool:
        if p[0] == q[0] and points[p][0] & points[q][0]:
            return True
        return p[1] == q[1] and bool(points[p][1] & points[q][1])

    ordered = sorted(points)
    below: dict[float, list[Point]] = {}  # same x, in increasing top
    right: dict[float, list[Point]] = {}  # same top, in increasing x
    for p in ordered:
        below.setdefault(p[0], []).append(p)
        right.setdefault(p[1], []).append(p)
    cells: list[BBox] = []
    for p in ordered:
        column, row = below[p[0]], right[p[1]]
        found = None
        for b in column[column.index(p) + 1:]:
            if not joined(p, b):
                continue
            for r in row[row.index(p) + 1:]:
                if not joined(p, r):
                    continue
                corner = (r[0], b[1])
                if corner in points and joined(corner, r) and joined(corner, b):
                    found = (p[0], p[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables: a cell joins a table when it shares a corner with it (pdfplumber's
    ``cells_to_tables``); tables of one cell are dropped, the rest ordered top to bottom."""
    remaining = list(cells)
    corners: set[Point] = set()
    current: list[BBox] = []
    tables: list[list[BBox]] = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            mine = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in mine):
                corners.update(mine)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(current)
            corners, current = set(), []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list[BBox]) -> list[list[BBox | None]]:
    """The table's rows top to bottom; each has a slot per distinct left edge, None where no cell
    starts there (the position is covered by a merged cell)."""
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, group in itertools.groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        by_x = {c[0]: c for c in group}
        rows.append([by_x.get(x) for x in xs])
    return rows


# --- text -------------------------------------------------------------------------------------


def _inside(ch: _Char, box: BBox) -> bool:
    """pdfplumber's test: the character's middle in the box, right and bottom edges excluded."""
    return box[0] <= ch.h < box[2] and box[1] <= ch.v < box[3]


def _chars(raw: Any, textpage: Any, text: str, frame: Matrix, up: Matrix, region: BBox) -> list[_Char]:
    """PDFium's characters whose middle lies in ``region``, in PDFium's order, measured the way
    pdfminer measures them, in pdfplumber's frame: across, PDFium's loose box (origin to advance
    width); up, one font size from the descent line, which is where PDFium's loose box starts too
    (it reaches the font's ascent, which can be more: Calibri's is 1.39 font sizes).

    Spaces end a word, as pdfminer's space characters do. PDFium also generates spaces where it sees
    a gap (pdfminer has none there: pdfplumber splits at gaps by its own rule); such a space is a
    point at the end of the previous character or at the start of the next, and is left out. A
    generated space between the two stands for a space character PDFium folded into it (after a
    kerning shift) and is kept, on the previous character's line. Generated line breaks are left
    out. Raises :class:`Unresolved` for a character that is not upright there.
    """
    a, b, c, d, e, f = frame
    rx0, rtop, rx1, rbottom = region
    rect = raw.FS_RECTF()
    m = raw.FS_MATRIX()
    descent = ctypes.c_float()
    loose_box = raw.FPDFText_GetLooseCharBox
    matrix = raw.FPDFText_GetMatrix
    font_size = raw.FPDFText_GetFontSize

    def box(i: int) -> tuple[float, float, float, float] | None:
        if not loose_box(textpage, i, rect):
            return None
        left, top, right, bottom = rect.left, rect.top, rect.right, rect.bottom
        x0, x1 = a * left + c * top + e, a * right + c * bottom + e
        y0, y1 = b * left + d * top + f, b * right + d * bottom + f
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def from_baseline(i: int, size: float) -> tuple[float, float]:
        """(top, bottom) from the text's baseline and the font's descent, for a character whose
        loose box PDFium could only make from its ink."""
        obj = raw.FPDFText_GetTextObject(textpage, i)
        if not obj or not raw.FPDFFont_GetDescent(raw.FPDFTextObj_GetFont(obj), size, descent):
            descent.value = 0.0
        ys = []
        for y in (descent.value, descent.value + size):  # text space, at x = 0 on the baseline
            ux, uy = m.c * y + m.e, m.d * y + m.f
            ys.append(b * ux + d * uy + f)
        return min(ys), max(ys)

    out: list[_Char] = []
    for i, t in enumerate(text):
        if t == "\r" or t == "\n":
            continue
        found = box(i)
        # A first look, with PDFium's box and a margin for the height pdfminer gives the character.
        if found is None or not (
            rx0 <= (found[0] + found[2]) / 2 < rx1
            and found[1] < rbottom + _MARGIN
            and found[3] > rtop - _MARGIN
        ):
            continue
        if t.isspace() and raw.FPDFText_IsGenerated(textpage, i) == 1:
            before = box(i - 1) if i > 0 else None
            after = box(i + 1) if i + 1 < len(text) else None
            x = found[0]
            if before is None or after is None or not before[2] + 0.5 < x < after[0] - 0.5:
                continue
            top, bottom = (out[-1].top, out[-1].bottom) if out and out[-1].n == i - 1 else before[1::2]
            out.append(_Char(t, x, top, x, bottom, i))
            continue
        matrix(textpage, i, m)
        ma, mb, mc, md, _, _ = _concat((m.a, m.b, m.c, m.d, 0.0, 0.0), up)
        if not (ma * md > 0 and mb * mc <= 0) and not t.isspace():  # pdfminer's LTChar.upright
            raise Unresolved(f"text that is not upright in a table ({t!r})")
        size = font_size(textpage, i)
        height = size * abs(md)
        x0, top, x1, bottom = found
        if bottom - top >= 0.8 * height:  # PDFium's loose box: from the descent line to the ascent
            top = bottom - height
        else:
            top, bottom = from_baseline(i, size)
        ch = _Char(t, x0, top, x1, bottom, i)
        if rx0 <= ch.h < rx1 and rtop <= ch.v < rbottom:
            out.append(ch)
    return out


def _blanks(raw: Any, texts: Placed) -> list[Point]:
    """Where the page draws a blank on its own: text objects without ink (a lone space), which PDFium
    leaves out of its text, so its word break must come from here. Points at the text origin."""
    out: list[Point] = []
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    m = raw.FS_MATRIX()
    for obj, outer in texts:
        if raw.FPDFPageObj_GetBounds(obj, l, b, r, t) and r.value - l.value < 0.01:
            if raw.FPDFPageObj_GetMatrix(obj, m):
                oa, ob, oc, od, oe, of = outer
                out.append((oa * m.e + oc * m.f + oe, ob * m.e + od * m.f + of))
    return out


def _cluster_order(items: list[Any], key: Any) -> list[list[Any]]:
    """Items grouped by :func:`_clusters` of ``key`` within :data:`TEXT_Y_TOLERANCE`, clusters in
    increasing key and items in their given order (pdfplumber's ``cluster_objects``)."""
    cluster = _clusters([key(x) for x in items], TEXT_Y_TOLERANCE)
    groups: dict[int, list[Any]] = {}
    for x in items:
        groups.setdefault(cluster[key(x)], []).append(x)
    return [groups[k] for k in sorted(groups)]


def _cell_text(chars: list[_Char], blanks: list[Point]) -> str:
    """A cell's characters as pdfplumber's ``extract_text`` joins them: lines by top, words split at
    blanks and at gaps over :data:`TEXT_X_TOLERANCE`, one space between words, ``\\n`` between lines.
    ``blanks`` are the cell's inkless text objects (see :func:`_blanks`), a word break each."""
    words: list[tuple[float, str]] = []  # (top, text)
    for line in _cluster_order(chars, lambda ch: ch.top):
        line = sorted(line, key=lambda ch: ch.x0)
        word: list[_Char] = []
        for ch in line:
            if ch.text.isspace():
                if word:
                    words.append((min(w.top for w in word), _word(word)))
                word = []
                continue
            if word:
                prev = word[-1]
                if (
                    ch.x0 < prev.x0
                    or ch.x0 > prev.x1 + TEXT_X_TOLERANCE + _EPS
                    or abs(ch.top - prev.top) > TEXT_Y_TOLERANCE + _EPS
                    or any(prev.x0 <= x <= ch.x0 and prev.top <= y <= prev.bottom for x, y in blanks)
                ):
                    words.append((min(w.top for w in word), _word(word)))
                    word = []
            word.append(ch)
        if word:
            words.append((min(w.top for w in word), _word(word)))
    lines = _cluster_order(words, lambda w: w[0])
    return "\n".join(" ".join(w[1] for w in line) for line in lines)


def _word(chars: list[_Char]) -> str:
    return "".join(_LIGATURES.get(ch.text, ch.text) for ch in chars)


# --- the page ---------------------------------------------------------------------------------


def find_tables(page: Any, textpage: Any, text: str | None = None) -> list[Table]:
    """The ruled tables of a PDFium page, top to bottom, as pdfplumber's ``find_tables()`` finds them
    and ``extract()`` reads them.

    ``page`` and ``textpage`` are pypdfium2's ``PdfPage`` and ``PdfTextPage``; ``text``, when the
    caller has it, is the text page's ``get_text_range()``, used if it holds one character per
    PDFium character index. Raises :class:`Unresolved` where pdfplumber's reading could differ
    (see the module docstring).
    """
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(textpage.raw)
    if text is None or len(text) != count:  # a character outside the BMP takes two UTF-16 units
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))

    frame, up = _page_frame(page.get_rotation(), page.get_mediabox())
    paths, texts = _objects(raw, page.raw, frame)
    vertical, horizontal = _merged_edges(_edges(raw, paths))
    if not vertical or not horizontal:
        return []
    grids = _tables(_cells(_intersections(vertical, horizontal)))
    if not grids:
        return []
    text = text.translate(_HYPHEN_MARKS)
    boxes = [_bbox(cells) for cells in grids]
    chars = _chars(raw, textpage.raw, text, frame, up, _bbox(boxes))
    blanks = _blanks(raw, texts)
    back = _invert(frame)
    found = []
    for cells, box in zip(grids, boxes):
        by_v = sorted((ch for ch in chars if _inside(ch, box)), key=lambda ch: ch.v)
        vs = [ch.v for ch in by_v]
        rows: list[list[str | None]] = []
        for row in _rows(cells):
            x0, top, x1, bottom = _bbox([c for c in row if c is not None])
            by_h = sorted(
                (ch for ch in by_v[bisect_left(vs, top):bisect_left(vs, bottom)] if x0 <= ch.h < x1),
                key=lambda ch: ch.h,
            )
            rows.append([None if cell is None else _read_cell(cell, by_h, blanks) for cell in row])
        found.append(Table(_to_pdf(box, back), rows))
    return found


def _read_cell(cell: BBox, by_h: list[_Char], blanks: list[Point]) -> str:
    """The text of ``cell`` from its row's characters (ordered by their middle, left to right)."""
    x0, top, x1, bottom = cell
    hs = [ch.h for ch in by_h]
    inside = [ch for ch in by_h[bisect_left(hs, x0):bisect_left(hs, x1)] if top <= ch.v < bottom]
    if not inside:
        return ""
    inside.sort(key=lambda ch: ch.n)  # back in PDFium's order, which breaks pdfplumber's ties
    return _cell_text(inside, [(x, y) for x, y in blanks if x0 <= x < x1 and top <= y < bottom])


def _bbox(cells: Sequence[BBox]) -> BBox:
    return (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )


def _to_pdf(box: BBox, back: Matrix) -> tuple[float, float, float, float]:
    """A box in pdfplumber's frame as (left, bottom, right, top) in PDF user space."""
    a, b, c, d, e, f = back
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return (min(xs), min(ys), max(xs), max(ys))
