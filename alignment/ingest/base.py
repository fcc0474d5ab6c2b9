"""What a format reader hands to the shared normalization step.

Each reader (``pdf.py``, ``docx.py``, ...) turns a file into pages of :class:`Line` plus the tables it
found; :func:`alignment.ingest.normalize.assemble` then builds ``Document.text`` and the page spans,
so every format gets the same cleaning and the same offset bookkeeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One line of a page as the source lays it out, before cleaning.

    ``indent`` and ``full`` come from page geometry where the reader has it (PDF); ``None`` lets
    normalization infer them from leading spaces and line width. ``heading`` is the level a source
    format marks (DOCX style, HTML h1-h6, larger PDF font), 0 for none. ``keep`` lines (table rows,
    styled headings) are never joined with a neighbour; ``group`` ties the rows of one table together.
    """

    text: str
    indent: bool | None = None  # starts a new paragraph (first-line indent)
    full: bool | None = None  # reaches the right margin, so the sentence may go on below
    heading: int = 0
    keep: bool = False
    group: int = -1


@dataclass(frozen=True)
class RawTable:
    """A table as read from the source: ``rows[0]`` is the header; cells are already cleaned."""

    page: int
    rows: tuple[tuple[str, ...], ...]
    group: int


@dataclass
class RawDocument:
    """A file read into pages of lines, before normalization.

    ``rejoin``: True for laid-out pages (PDF, OFD) whose lines wrap mid-sentence, False where every
    line is a paragraph (DOCX, HTML), None to decide from the line widths (plain text).
    ``paged``: whether pages are physical pages, so running headers and page numbers are removed.
    ``hints`` holds facts the container states (HTML meta tags, OFD DocInfo): title, date, issuer.
    """

    format: str
    pages: list[list[Line]]
    tables: list[RawTable] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejoin: bool | None = None
    paged: bool = False
    hints: dict[str, str] = field(default_factory=dict)


def table_lines(rows: list[list[str]] | tuple[tuple[str, ...], ...], group: int) -> list[Line]:
    """A table rendered as lines: one row per line, cells separated by tabs."""
    return [Line("\t".join(row), keep=True, group=group) for row in rows]


def square(rows: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """Rows padded with empty cells to the widest row, with trailing all-empty rows dropped."""
    width = max((len(r) for r in rows), default=0)
    out = [tuple(r) + ("",) * (width - len(r)) for r in rows]
    while out and not any(out[-1]):
        out.pop()
    return tuple(out)
