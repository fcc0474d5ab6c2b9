"""Bad inputs: each raises the right error with its exact one-line message; batches go on."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from alignment.errors import (
    ConfigError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ExtractionError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from alignment.ingest import EXTRACTORS, document_id, extract, extract_many
from alignment.schema import Failure

from .conftest import CORPUS, DATA

NO_OCR = (
    "(OCR is turned off (ocr='never'); allow it to read these pages, with the OCR extra installed: pip"
    " install 'policy-align[ocr]')"
)


def test_zero_byte_file(tmp_path: Path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocumentError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"{path}: is empty (0 bytes) (check that the file was saved or downloaded completely)"
    )


def test_truncated_pdf(tmp_path: Path):
    data = (DATA / "wrapped-header-footer.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert type(info.value) is ExtractionError
    assert (
        str(info.value)
        == f"{path}: is not a readable PDF: it is damaged or truncated (PDFium could not parse it) "
        "(download or export the file again)"
    )


def test_corrupt_pdf(tmp_path: Path):
    rng = random.Random(7)
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000)))
    with pytest.raises(ExtractionError, match="is not a readable PDF: it is damaged or truncated"):
        extract(path)


def test_encrypted_pdf():
    path = DATA / "encrypted.pdf"  # reportlab, user password 'secret'
    with pytest.raises(EncryptedDocumentError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"{path}: is password-protected (remove the password (e.g. qpdf --decrypt) and extract the copy)"
    )


def test_image_only_pdf_with_ocr_off():
    path = DATA / "image-only.pdf"
    with pytest.raises(NoTextLayerError) as info:
        extract(path, ocr="never")
    assert (
        str(info.value)
        == f"{path}: has no usable text layer on page 1 of 1 (no text, only images or drawn shapes) {NO_OCR}"
    )


def test_real_no_text_layer_pdf_names_its_pages():
    path = CORPUS / "pdf" / "guangdong-budget-report-2025-annex1-glossary-excerpt-no-text-layer.pdf"
    with pytest.raises(NoTextLayerError) as info:
        extract(path, ocr="never")
    assert (
        str(info.value)
        == f"{path}: has no usable text layer on pages 1-5 of 5 (no text, only images or drawn shapes)"
        f" {NO_OCR}"
    )


def test_no_text_layer_without_the_ocr_extra(monkeypatch: pytest.MonkeyPatch):
    from alignment.ingest import ocr

    ocr.engine.cache_clear()
    monkeypatch.setattr(ocr, "available", lambda: False)
    path = DATA / "image-only.pdf"
    with pytest.raises(NoTextLayerError) as info:
        extract(path)  # ocr="auto"
    ocr.engine.cache_clear()
    assert (
        str(info.value)
        == f"{path}: has no usable text layer on page 1 of 1 (no text, only images or drawn shapes) "
        "(install OCR to read these pages: pip install 'policy-align[ocr]')"
    )


def test_unknown_extension_lists_the_supported_ones(tmp_path: Path):
    path = tmp_path / "notes.xyz"
    path.write_text("第一条", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"{path}: unsupported file type '.xyz' (supported: .pdf, .docx, .txt, .md, .html, .htm, .ofd)"
    )
    assert tuple(EXTRACTORS) == (".pdf", ".docx", ".txt", ".md", ".html", ".htm", ".ofd")


def test_a_word_or_wps_file_says_to_save_it_as_docx(tmp_path: Path):
    path = tmp_path / "规划.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormatError) as info:
        extract(path)
    assert str(info.value) == (
        f"{path}: unsupported file type '.wps' (save it as .docx (另存为 .docx) and extract that; "
        "supported: .pdf, .docx, .txt, .md, .html, .htm, .ofd)"
    )


def test_a_folder_without_a_suffix_is_named_as_a_folder(tmp_path: Path):
    with pytest.raises(ExtractionError) as info:
        extract(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a folder, not a file (give the files inside it)"


def test_suffix_is_matched_without_case(tmp_path: Path):
    path = tmp_path / "NOTICE.TXT"
    path.write_text("第一条 本办法自发布之日起施行。", encoding="utf-8")
    assert extract(path).text == "第一条 本办法自发布之日起施行。"


def test_binary_garbage_named_txt(tmp_path: Path):
    rng = random.Random(3)
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"{path}: is not text: no encoding (UTF-8, GB18030, UTF-16, Big5) decodes it to readable"
        " characters "
        "(check that this is the right file; if it is text, re-save it as UTF-8)"
    )


def test_old_word_file_renamed_docx(tmp_path: Path):
    path = tmp_path / "notice.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"{path}: is an old binary Word (.doc) file, not .docx (open it in Word, WPS or LibreOffice and"
        " save as .docx)"
    )


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(ExtractionError) as info:
        extract(tmp_path / "missing.pdf")
    assert str(info.value) == f"{tmp_path / 'missing.pdf'}: no such file (check the path)"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ExtractionError, match="is a folder, not a file"):
        extract(folder)


def test_bad_options_are_config_errors():
    with pytest.raises(ConfigError, match="ocr='sometimes' is not one of auto, never, always"):
        extract(DATA / "gbk.txt", ocr="sometimes")
    with pytest.raises(ConfigError, match="level='county' is not one of central, provincial"):
        extract(DATA / "gbk.txt", level="county")


def test_extract_many_lists_failures_and_goes_on(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths = [DATA / "gbk.txt", empty, DATA / "encrypted.pdf", DATA / "utf16-bom.txt"]
    documents, failures = extract_many(paths)
    assert [d.id for d in documents] == ["gbk", "utf16-bom"]
    assert failures == [
        Failure(
            str(empty),
            f"{empty}: is empty (0 bytes) (check that the file was saved or downloaded completely)",
        ),
        Failure(
            str(DATA / "encrypted.pdf"),
            f"{DATA / 'encrypted.pdf'}: is password-protected "
            "(remove the password (e.g. qpdf --decrypt) and extract the copy)",
        ),
    ]


def test_document_ids_are_short_stable_slugs():
    data = b"same bytes"
    assert (
        document_id("corpus/municipal/dezhou-elderly-care-services-regulations-2019.txt", data)
        == "dezhou-elderly-care-services-regulations-2019"
    )
    assert document_id("Guangzhou Notice (2021).PDF", data) == "guangzhou-notice-2021"
    # Non-ASCII names: no pinyin, "doc-" and the first 10 hex digits of the file's sha256.
    assert document_id("广州市临时救助实施细则.docx", data) == "doc-" + hashlib.sha256(data).hexdigest()[:10]
    assert document_id("广州市临时救助实施细则.docx", data) == document_id("其他名字.pdf", data)
