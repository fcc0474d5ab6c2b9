#!/usr/bin/env python3
"""Compare the PDFium table reader (alignment/ingest/_pdf_tables.py) with pdfplumber, page by page.

On every page where either finds a ruled table, pdfplumber's ``page.find_tables()`` and
``table.extract()`` are compared with ``_pdf_tables.find_tables()``:

- **kept**: the tables as a document keeps them (``pdf._table_rows``: cells through ``clean_cell``,
  a merged cell's covered positions empty, empty columns and rows dropped, one-column boxes and
  framed paragraphs dropped): what ``extract()`` puts in the text;
- **raw**: the rows before that, ``None`` where a merged cell covers a position.

A page is *resolved* when the PDFium reader read it; it is *unresolved* when it left it to pdfplumber
(text that is not upright inside a table), as ``extract()`` then does. ``candidate`` marks the pages
``extract()`` looks for tables on (text layer with geometry, many short lines, a grid of paths).
Cells are counted over tables of the same shape; a table of another shape counts all its cells as
differing. ``--render DIR`` writes each differing page as a PNG, to look at who is right.

    python scripts/compare_pdf_tables.py [PDF or folder ...] [--render DIR] [--show N]

Without arguments: corpus/pdf and ../shared/robustness/pdfplumber-tests (pdfplumber's own test PDFs).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT = [ROOT / "corpus" / "pdf", ROOT.parent / "shared" / "robustness" / "pdfplumber-tests"]


@dataclass
class Tally:
    pages: int = 0
    pages_same: int = 0
    tables: int = 0  # pdfplumber's
    tables_native: int = 0
    tables_same: int = 0
    cells: int = 0  # pdfplumber's
    cells_same: int = 0

    def add(self, ref: list, nat: list) -> bool:
        self.pages += 1
        self.tables += len(ref)
        self.tables_native += len(nat)
        for k, table in enumerate(ref):
            size = sum(len(row) for row in table)
            self.cells += size
            other = nat[k] if k < len(nat) else None
            if other == table:
                self.tables_same += 1
                self.cells_same += size
            elif other is not None and [len(r) for r in other] == [len(r) for r in table]:
                self.cells_same += sum(a == b for ra, rb in zip(table, other) for a, b in zip(ra, rb))
        same = ref == nat
        self.pages_same += same
        return same

    def line(self, name: str) -> str:
        return (
            f"{name:<5} pages {self.pages_same}/{self.pages} agree; tables {self.tables_same}/{self.tables} "
            f"(PDFium reader found {self.tables_native}); cells {self.cells_same}/{self.cells}"
        )


@dataclass
class Report:
    kept: Tally = field(default_factory=Tally)
    raw: Tally = field(default_factory=Tally)
    candidate_kept: Tally = field(default_factory=Tally)
    unresolved: list[str] = field(default_factory=list)
    differences: list[tuple[str, list, list]] = field(default_factory=list)
    seconds_plumber: float = 0.0
    seconds_native: float = 0.0


def _files(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for arg in args or [str(p) for p in DEFAULT]:
        path = Path(arg)
        out.extend(sorted(path.glob("*.pdf")) if path.is_dir() else [path])
    return out


def _difference(ref: list, nat: list) -> str:
    """Where two pages' tables differ: the first differing cell, and how many cells differ."""
    if len(ref) != len(nat):
        return f"{len(ref)} tables vs {len(nat)}"
    first, count = "", 0
    for k, (a, b) in enumerate(zip(ref, nat)):
        if a == b:
            continue
        shape_a, shape_b = (len(a), max(map(len, a), default=0)), (len(b), max(map(len, b), default=0))
        if shape_a != shape_b:
            return f"table {k + 1}: {shape_a[0]}x{shape_a[1]} vs {shape_b[0]}x{shape_b[1]}"
        for i, (ra, rb) in enumerate(zip(a, b)):
            for j, (ca, cb) in enumerate(zip(ra, rb)):
                if ca != cb:
                    count += 1
                    where = f"table {k + 1} row {i + 1} col {j + 1}"
                    first = first or f"{where}: pdfplumber {ca!r} | PDFium {cb!r}"
    return f"{count} cell{'s' if count > 1 else ''}, first {first}"


def compare(path: Path, report: Report, render: Path | None) -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    from alignment.ingest import _pdf_tables, pdf

    data = path.read_bytes()
    try:
        doc = pdfium.PdfDocument(data)
        plumber = pdfplumber.open(io.BytesIO(data))
        plumber_pages = plumber.pages
    except Exception as exc:  # encrypted, empty, damaged: extract() reports these itself
        print(f"{path.name}: not compared ({type(exc).__name__})", file=sys.stderr)
        return
    try:
        for index in range(min(len(doc), len(plumber_pages))):
            where = f"{path.name} p{index + 1}"
            start = time.perf_counter()
            try:
                ref_raw = [t.extract() for t in plumber_pages[index].find_tables()]
            except Exception as exc:
                print(f"{where}: pdfplumber failed ({type(exc).__name__})", file=sys.stderr)
                continue
            report.seconds_plumber += time.perf_counter() - start
            page = doc[index]
            textpage = page.get_textpage()
            start = time.perf_counter()
            try:
                nat_raw = [t.rows for t in _pdf_tables.find_tables(page, textpage)]
            except _pdf_tables.Unresolved as exc:
                nat_raw = None
                if ref_raw:
                    report.unresolved.append(f"{where}: {exc}")
            report.seconds_native += time.perf_counter() - start
            textpage.close()
            page.close()
            if nat_raw is None or not (ref_raw or nat_raw):
                continue
            ref_kept = [list(map(list, rows)) for t in ref_raw if (rows := pdf._table_rows(t))]
            nat_kept = [list(map(list, rows)) for t in nat_raw if (rows := pdf._table_rows(t))]
            report.raw.add(ref_raw, nat_raw)
            same = report.kept.add(ref_kept, nat_kept)
            if pdf._read_page(doc, index).table_candidate:
                report.candidate_kept.add(ref_kept, nat_kept)
            if not same:
                report.differences.append((where, ref_kept, nat_kept))
                if render:
                    render.mkdir(parents=True, exist_ok=True)
                    image = doc[index].render(scale=1.5).to_pil()
                    image.save(render / f"{path.stem}-p{index + 1}.png")
            elif ref_raw != nat_raw:
                report.differences.append((f"{where} (raw rows only)", ref_raw, nat_raw))
    finally:
        plumber.close()
        doc.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", help="PDF files or folders (default: the two above)")
    parser.add_argument("--render", type=Path, help="write each page whose kept tables differ here, as PNG")
    parser.add_argument("--show", type=int, default=200, help="differences to list (default 200)")
    args = parser.parse_args()
    report = Report()
    files = _files(args.paths)
    for path in files:
        compare(path, report, args.render)
    print(f"{len(files)} PDFs; pages where either reader finds a ruled table, PDFium reader resolved:")
    print(report.kept.line("kept"))
    print(report.raw.line("raw"))
    print(report.candidate_kept.line("extract() candidate pages, kept:"))
    print(
        f"time on these pages: pdfplumber {report.seconds_plumber:.2f} s, PDFium reader "
        f"{report.seconds_native:.2f} s"
    )
    print(f"\nleft to pdfplumber ({len(report.unresolved)} pages):")
    for line in report.unresolved:
        print(f"  {line}")
    print(f"\ndifferences ({len(report.differences)} pages):")
    for where, ref, nat in report.differences[: args.show]:
        print(f"  {where}: {_difference(ref, nat)[:400]}")


if __name__ == "__main__":
    main()
