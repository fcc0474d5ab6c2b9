"""OFD (GB/T 33190, the Chinese fixed-layout format) through ``ofdkit``.

ofdkit lays out each page's text objects in reading order (templates included, so running headers
from a template page are read too and then dropped as page furniture). Pages wrap like PDF pages.
OFD files without text (scanned pages stored as images) cannot be OCR'd here.
"""

from __future__ import annotations

from pathlib import Path

from alignment.errors import EmptyDocumentError, ExtractionError
from alignment.ingest.base import Line, RawDocument


def read(path: Path, data: bytes) -> RawDocument:
    """An OFD file as pages of lines, with its DocInfo title as a hint."""
    import ofdkit

    warnings: list[str] = []
    try:
        with ofdkit.open(data) as document:
            pages = []
            for page in document.pages:
                try:
                    text = page.text()
                except ofdkit.OFDError as exc:
                    warnings.append(
                        f"page {page.index + 1} could not be read ({exc}) and is missing from the text"
                    )
                    text = ""
                pages.append([Line(line) for line in text.split("\n")])
            title = (document.info.title or "").strip()
            warnings.extend(document.warnings)
    except ofdkit.OFDError as exc:
        raise ExtractionError(
            path,
            f"is not a readable OFD file ({' '.join(str(exc).split())[:160]})",
            "open it in an OFD reader (e.g. 数科 or 福昕 OFD) and export it again, or export a PDF",
        ) from None
    if not pages:
        raise EmptyDocumentError(path, "has no pages", "check that the file is the document you meant")
    if not any(line.text.strip() for page in pages for line in page):
        raise EmptyDocumentError(
            path,
            f"has no text on its {len(pages)} page(s) (scanned images?)",
            "OCR of OFD is not supported: export it to PDF and extract that with the ocr extra installed",
        )
    return RawDocument(
        format="ofd",
        pages=pages,
        warnings=warnings,
        rejoin=True,
        paged=True,
        hints={"title": title} if title else {},
    )
