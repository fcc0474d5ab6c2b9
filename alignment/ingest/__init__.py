"""Ingest: turn a PDF, DOCX, TXT/MD, HTML or OFD file into a normalized :class:`~alignment.schema.Document`.

:func:`extract` picks a reader from :data:`EXTRACTORS` by the file's lower-case suffix. Each reader
(one module per format) returns pages of lines; :func:`alignment.ingest.normalize.assemble` cleans
them the same way for every format and keeps every offset mapped to its page; metadata (title, 文号,
issuer, date, level) is read from the text by :mod:`alignment.ingest.metadata`.

Every failure is an :class:`~alignment.errors.ExtractionError` (or a subclass) whose one-line message
names the file and the fix; :func:`extract_many` turns them into ``Failure`` records so one bad file
never stops a batch.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable, Iterable

from alignment.errors import (
    AlignmentError,
    ConfigError,
    EmptyDocumentError,
    ExtractionError,
    UnsupportedFormatError,
)
from alignment.ingest import docx, html, ofd, pdf, txt
from alignment.ingest.base import RawDocument
from alignment.ingest.metadata import extract_meta
from alignment.ingest.normalize import assemble
from alignment.schema import LEVELS, OCR_MODES, Document, Failure, Table

__all__ = ["EXTRACTORS", "OCR_MODES", "document_id", "extract", "extract_many"]

Reader = Callable[[Path, bytes, str], RawDocument]

# OCR_MODES (alignment.schema): how OCR is used for PDF pages without a usable text layer: "auto"
# (when the ocr extra is installed, else an error naming the pages), "never" (always that error),
# "always" (every page).
_ROLES = ("directive", "plan")

#: The reader for each supported file type, by lower-case suffix.
EXTRACTORS: dict[str, Reader] = {
    ".pdf": lambda path, data, ocr: pdf.read(path, data, ocr=ocr),
    ".docx": lambda path, data, ocr: docx.read(path, data),
    ".txt": lambda path, data, ocr: txt.read(path, data),
    ".md": lambda path, data, ocr: txt.read(path, data, markdown=True),
    ".html": lambda path, data, ocr: html.read(path, data),
    ".htm": lambda path, data, ocr: html.read(path, data),
    ".ofd": lambda path, data, ocr: ofd.read(path, data),
}

_SLUG = re.compile(r"[^a-z0-9]+")


def document_id(path: str | Path, data: bytes) -> str:
    """A short stable id: the ASCII file-name stem as a slug, else ``doc-`` + 10 hex of the sha256.

    >>> document_id("corpus/municipal/Dezhou_Elderly-Care 2019.txt", b"")
    'dezhou-elderly-care-2019'
    """
    stem = Path(path).stem
    slug = _SLUG.sub("-", stem.lower()).strip("-")[:80].strip("-") if stem.isascii() else ""
    return slug or "doc-" + hashlib.sha256(data).hexdigest()[:10]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + ("..." if len(text) > 200 else "")


def _check_options(ocr: str, level: str | None, role: str | None) -> None:
    if ocr not in OCR_MODES:
        raise ConfigError(f"OCR 模式 ocr={ocr!r} 无效：可选 {'、'.join(OCR_MODES)}。")
    if level is not None and level not in LEVELS:
        raise ConfigError(f"行政层级 level={level!r} 无效：可选 {'、'.join(LEVELS)}。")
    if role is not None and role not in _ROLES:
        raise ConfigError(f"文件角色 role={role!r} 无效：可选 {'、'.join(_ROLES)}。")


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExtractionError(path, "文件不存在", "请检查路径") from None
    except IsADirectoryError:
        raise ExtractionError(path, _FOLDER, _FOLDER_FIX) from None
    except OSError as exc:
        raise ExtractionError(
            path, f"无法打开（{exc.strerror or type(exc).__name__}）", "请检查文件的访问权限"
        ) from None
    if not data:
        raise EmptyDocumentError(path, "文件是空的（0 字节）", "请确认文件已完整保存或下载")
    return data


#: Formats users meet that their own software saves as a supported one (WPS and Word open
#: .doc/.wps/.rtf and save .docx).
_SAVE_AS = {".doc": ".docx", ".wps": ".docx", ".rtf": ".docx", ".wpt": ".docx", ".dot": ".docx"}

#: A folder where a file was expected: the same words whether it is seen before or on reading.
_FOLDER, _FOLDER_FIX = "这是文件夹，不是文件", "请给出其中的文件"


def extract(
    path: str | Path, *, level: str | None = None, role: str | None = None, ocr: str = "auto"
) -> Document:
    """Read one file into a :class:`Document` with normalized text, pages, tables and metadata.

    ``level`` overrides the administrative level inferred from the issuer or 文号; ``role``
    ('directive' or 'plan') is recorded as given; ``ocr`` is one of :data:`OCR_MODES`.
    Raises :class:`ExtractionError` (or a subclass: unsupported, empty, encrypted, no text layer)
    with a one-line message naming the file and the fix, and :class:`ConfigError` for bad options.
    """
    path = Path(path)
    _check_options(ocr, level, role)
    suffix = path.suffix.lower()
    reader = EXTRACTORS.get(suffix)
    if path.is_dir():  # whatever its name: the same words as when reading it fails (_read_bytes)
        raise ExtractionError(path, _FOLDER, _FOLDER_FIX)
    if reader is None:
        fix = f"支持的类型：{'、'.join(EXTRACTORS)}"
        if suffix in _SAVE_AS:
            fix = f"请用 WPS 或 Word 另存为 {_SAVE_AS[suffix]}（save as {_SAVE_AS[suffix]}）后再读取；{fix}"
        raise UnsupportedFormatError(path, f"不支持的文件类型 '{suffix or '（无扩展名）'}'", fix)
    data = _read_bytes(path)
    try:
        raw = reader(path, data, ocr)
    except AlignmentError:
        raise
    except Exception as exc:  # a file no reader anticipated: still one line that names the file
        raise ExtractionError(
            path,
            f"读取时发生意外错误（{type(exc).__name__}: {_one_line(exc)}）",
            "请报告这个问题，方便的话附上该文件",
        ) from exc
    built = assemble(raw.pages, rejoin=raw.rejoin, paged=raw.paged)
    if not built.text.strip():
        raise EmptyDocumentError(path, "文件中没有文字", "请确认这是要分析的文件")
    tables = tuple(
        Table(
            page=t.page,
            header=t.rows[0],
            rows=t.rows[1:],
            char_start=built.groups[t.group][0],
            char_end=built.groups[t.group][1],
        )
        for t in raw.tables
        if t.group in built.groups
    )
    return Document(
        id=document_id(path, data),
        path=str(path),
        format=raw.format,
        text=built.text,
        pages=built.pages,
        meta=extract_meta(built.text, hints=raw.hints, level=level, role=role),
        tables=tables,
        hints=built.hints,
        warnings=tuple(raw.warnings),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def extract_many(
    paths: Iterable[str | Path], *, level: str | None = None, role: str | None = None, ocr: str = "auto"
) -> tuple[list[Document], list[Failure]]:
    """Extract every file; a file that cannot be read becomes a ``Failure`` and the batch goes on.

    Options are checked once up front (a bad option is a :class:`ConfigError`, not a per-file failure).
    Documents and failures each keep the order of ``paths``.
    """
    _check_options(ocr, level, role)
    documents: list[Document] = []
    failures: list[Failure] = []
    for path in paths:
        try:
            documents.append(extract(path, level=level, role=role, ocr=ocr))
        except ExtractionError as exc:
            failures.append(Failure(path=str(path), message=str(exc)))
    return documents, failures
