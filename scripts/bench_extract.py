#!/usr/bin/env python3
"""Time document extraction on the bundled corpus: pages/s and MB/s per format, and peak memory.

- PDF, pypdfium2 path: ``alignment.ingest.extract`` on the text PDFs of corpus/pdf (PDFium text,
  layout flags, ruled tables from PDFium's page objects, normalization, metadata);
- PDF, the same in one process (``POLICY_ALIGN_PDF_WORKERS=1``): long documents are otherwise read
  by two processes, each a range of pages;
- PDF, PDFium text only: the raw text of every page, no normalization (the floor);
- PDF, pdfplumber only: ``page.extract_text()`` on every page (what a pdfplumber-only reader pays);
- DOCX: every corpus .txt written to a DOCX with python-docx (in a temp folder), then extracted;
- TXT: every corpus .txt as it is (UTF-8, some with BOM/CRLF), and re-encoded as GB18030 (the
  encoding-detection path).

Each measurement runs in a fresh process (``--one NAME``) so its peak memory is its own: peak RSS
from getrusage, and the tracemalloc peak of Python allocations in a separate traced run (tracing
slows allocation several-fold, so the timed runs are untraced). Times are the best of ``--repeat``
runs (pdfplumber: one run).

    python scripts/bench_extract.py [--repeat 3] [--markdown docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
sys.path.insert(0, str(ROOT))

TEXT_PDFS = sorted(p for p in (CORPUS / "pdf").glob("*.pdf") if "no-text-layer" not in p.name)
TEXTS = sorted(CORPUS.glob("*/*.txt"))


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(path)))


def _best(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def bench_pdf_extract(repeat: int) -> dict:
    from alignment.ingest import extract

    files = {p.name: _pages(p) for p in TEXT_PDFS}
    per_file = {}
    for path in TEXT_PDFS:
        per_file[path.name] = _best(lambda: extract(path), repeat)
    return {"files": files, "seconds": per_file}


def bench_pdf_extract_one_process(repeat: int) -> dict:
    os.environ["POLICY_ALIGN_PDF_WORKERS"] = "1"
    try:
        return bench_pdf_extract(repeat)
    finally:
        del os.environ["POLICY_ALIGN_PDF_WORKERS"]


def bench_pdf_pdfium(repeat: int) -> dict:
    import pypdfium2 as pdfium

    def run(path: Path) -> None:
        pdf = pdfium.PdfDocument(str(path))
        for i in range(len(pdf)):
            pdf[i].get_textpage().get_text_range()
        pdf.close()

    files = {p.name: _pages(p) for p in TEXT_PDFS}
    return {"files": files, "seconds": {p.name: _best(lambda: run(p), repeat) for p in TEXT_PDFS}}


def bench_pdf_pdfplumber(repeat: int) -> dict:
    import pdfplumber

    def run(path: Path) -> None:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                page.extract_text()

    files = {p.name: _pages(p) for p in TEXT_PDFS}
    return {"files": files, "seconds": {p.name: _best(lambda: run(p), 1) for p in TEXT_PDFS}}


def _make_docx(folder: Path) -> list[Path]:
    import docx

    paths = []
    for source in TEXTS:
        document = docx.Document()
        for line in source.read_text(encoding="utf-8-sig").splitlines():
            if line.strip():
                style = "Heading 1" if line.strip().startswith("第") and "章" in line[:6] else None
                document.add_paragraph(line.strip(), style=style)
        path = folder / f"{source.stem}.docx"
        document.save(str(path))
        paths.append(path)
    return paths


def bench_docx(repeat: int) -> dict:
    from alignment.ingest import extract

    with tempfile.TemporaryDirectory() as tmp:
        paths = _make_docx(Path(tmp))
        seconds = _best(lambda: [extract(p) for p in paths], repeat)
        size = sum(p.stat().st_size for p in paths)
        paragraphs = sum(extract(p).text.count("\n") + 1 for p in paths)
    return {"documents": len(paths), "bytes": size, "paragraphs": paragraphs, "seconds": seconds}


def bench_txt(repeat: int, *, gb18030: bool = False) -> dict:
    from alignment.ingest import extract

    with tempfile.TemporaryDirectory() as tmp:
        paths = TEXTS
        if gb18030:
            paths = []
            for source in TEXTS:
                path = Path(tmp) / source.name
                path.write_bytes(source.read_text(encoding="utf-8-sig").encode("gb18030"))
                paths.append(path)
        seconds = _best(lambda: [extract(p) for p in paths], repeat)
        size = sum(p.stat().st_size for p in paths)
        chars = sum(len(extract(p).text) for p in paths)
    return {"documents": len(paths), "bytes": size, "chars": chars, "seconds": seconds}


BENCHES = {
    "pdf-extract-1": bench_pdf_extract_one_process,
    "pdf-extract": bench_pdf_extract,
    "pdf-pdfium-text": bench_pdf_pdfium,
    "pdf-pdfplumber": bench_pdf_pdfplumber,
    "docx": bench_docx,
    "txt": bench_txt,
    "txt-gb18030": lambda repeat: bench_txt(repeat, gb18030=True),
}


def run_one(name: str, repeat: int) -> dict:
    """One measurement in this process, with its memory peaks."""
    # Imports and warm-up outside the measured peak: the first call loads libraries and tables.
    from alignment.ingest import extract

    extract(TEXTS[0])
    result = BENCHES[name](repeat)  # timed without tracemalloc, which slows allocation several-fold
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if name != "pdf-pdfplumber":  # a traced pdfplumber pass would take minutes; RSS says enough
        tracemalloc.start()
        BENCHES[name](1)
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _versions() -> str:
    from importlib.metadata import version

    return ", ".join(
        f"{name} {version(name)}" for name in ("pypdfium2", "pdfplumber", "python-docx", "charset-normalizer")
    )


def _traced(result: dict) -> str:
    return f"{result['tracemalloc_peak_mb']:.1f}" if "tracemalloc_peak_mb" in result else "not traced"


def render(results: dict, repeat: int) -> str:
    pdf_bytes = sum(p.stat().st_size for p in TEXT_PDFS)
    pages = sum(results["pdf-extract"]["files"].values())
    lines = [
        "## Extraction",
        "",
        (
            "Measured by `python scripts/bench_extract.py --markdown docs/performance.md` on "
            f"{_cpu()} ({os.cpu_count()} cores, shared; load average {os.getloadavg()[0]:.1f} at the start), "
            f"Python {platform.python_version()}, {_versions()}. Best of {repeat} runs; each row runs in its "
            "own process (peak RSS includes the libraries; tracemalloc counts Python allocations only, "
            "not PDFium's)."
        ),
        "",
        (
            f"PDF input: the {len(TEXT_PDFS)} text PDFs of `corpus/pdf` ({pages} pages,"
            f" {pdf_bytes / 2**20:.1f} MB); text input: the {len(TEXTS)} corpus `.txt` files."
        ),
        "",
        "| path | input | time (s) | pages/s | MB/s | peak RSS (MB) | tracemalloc peak (MB) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("pdf-extract", "PDF, `extract()` (pypdfium2 path, ruled tables read from PDFium's page "
                        "objects; documents of 64+ pages split over 2 processes)"),
        ("pdf-extract-1", "PDF, `extract()` in one process (POLICY_ALIGN_PDF_WORKERS=1)"),
        ("pdf-pdfium-text", "PDF, PDFium page text only (no normalization)"),
        ("pdf-pdfplumber", "PDF, pdfplumber `extract_text()` only"),
    ):
        r = results[name]
        seconds = sum(r["seconds"].values())
        lines.append(
            f"| {label} | {pages} pages | {seconds:.2f} | {pages / seconds:.0f} |"
            f" {pdf_bytes / 2**20 / seconds:.2f} | {r['max_rss_mb']:.0f} | {_traced(r)} |"
        )
    for name, label in (
        ("docx", "DOCX, `extract()`"),
        ("txt", "TXT (UTF-8), `extract()`"),
        ("txt-gb18030", "TXT (GB18030, detected), `extract()`"),
    ):
        r = results[name]
        unit = (
            f"{r['documents']} files, {r.get('paragraphs', r.get('chars'))}"
            f" {'paragraphs' if 'paragraphs' in r else 'chars'}"
        )
        lines.append(
            f"| {label} | {unit} | {r['seconds']:.2f} | – | {r['bytes'] / 2**20 / r['seconds']:.2f} "
            f"| {r['max_rss_mb']:.0f} | {_traced(r)} |"
        )
    lines += ["", "Per PDF (seconds; `extract()` / PDFium text only / pdfplumber only):", ""]
    lines += [
        "| file | pages | extract() | PDFium text | pdfplumber | pdfplumber ÷ extract() |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for path in TEXT_PDFS:
        n = results["pdf-extract"]["files"][path.name]
        e = results["pdf-extract"]["seconds"][path.name]
        t = results["pdf-pdfium-text"]["seconds"][path.name]
        p = results["pdf-pdfplumber"]["seconds"][path.name]
        lines.append(
            f"| `{path.name}` | {n} | {e:.2f} ({n / e:.0f} p/s) | {t:.2f} ({n / t:.0f} p/s) | "
            f"{p:.2f} ({n / p:.0f} p/s) | {p / e:.1f}x |"
        )
    return "\n".join(lines) + "\n"


def update_markdown(path: Path, section: str) -> None:
    """Replace the '## Extraction' section of ``path`` (or append it), leaving other sections alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    start = text.find("## Extraction")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("\n" + text[end + 1:] if end != -1 else "")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    parser.add_argument(
        "--markdown", type=Path, help="write the table into this file's '## Extraction' section"
    )
    parser.add_argument("--one", choices=sorted(BENCHES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.repeat)))
        return
    results = {}
    for name in BENCHES:
        print(f"running {name} ...", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, __file__, "--one", name, "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    section = render(results, args.repeat)
    print(section)
    if args.markdown:
        update_markdown(args.markdown, section)
        print(f"wrote the Extraction section of {args.markdown}", file=sys.stderr)


if __name__ == "__main__":
    main()
