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
                        f"第 {page.index + 1} 页无法读取（{exc}），文本中缺少该页"
                    )
                    text = ""
                pages.append([Line(line) for line in text.split("\n")])
            title = (document.info.title or "").strip()
            warnings.extend(f"OFD 文件结构有问题（ofdkit）：{w}" for w in document.warnings)
    except ofdkit.OFDError as exc:
        raise ExtractionError(
            path,
            f"不是可读的 OFD 文件（{' '.join(str(exc).split())[:160]}）",
            "请用 OFD 阅读器（如数科、福昕 OFD）打开后重新导出，或导出为 PDF",
        ) from None
    if not pages:
        raise EmptyDocumentError(path, "文件没有任何页面", "请确认这是要分析的文件")
    if not any(line.text.strip() for page in pages for line in page):
        raise EmptyDocumentError(
            path,
            f"共 {len(pages)} 页，{'都' if len(pages) > 1 else ''}没有文字（可能是扫描图像）",
            "暂不支持对 OFD 做 OCR：请导出为 PDF，安装 OCR 扩展（policy-align[ocr]）后读取该 PDF",
        )
    return RawDocument(
        format="ofd",
        pages=pages,
        warnings=warnings,
        rejoin=True,
        paged=True,
        hints={"title": title} if title else {},
    )
