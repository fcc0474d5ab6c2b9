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

NO_OCR = "OCR 已关闭（ocr=never）；如需识别这些页，请改用 --ocr auto 并安装 OCR 扩展：pip install 'policy-align[ocr]'。"


def test_zero_byte_file(tmp_path: Path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocumentError) as info:
        extract(path)
    assert str(info.value) == f"无法读取 {path}：文件是空的（0 字节）。请确认文件已完整保存或下载。"


def test_truncated_pdf(tmp_path: Path):
    data = (DATA / "wrapped-header-footer.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert type(info.value) is ExtractionError
    assert (
        str(info.value)
        == f"无法读取 {path}：不是可读的 PDF：文件已损坏或不完整（PDFium 无法解析）。请重新下载或导出该文件。"
    )


def test_corrupt_pdf(tmp_path: Path):
    rng = random.Random(7)
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000)))
    with pytest.raises(ExtractionError, match="不是可读的 PDF：文件已损坏或不完整"):
        extract(path)


def test_encrypted_pdf():
    path = DATA / "encrypted.pdf"  # reportlab, user password 'secret'
    with pytest.raises(EncryptedDocumentError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"无法读取 {path}：文件已加密（password-protected）。请提供未加密的文件，或先用 qpdf --decrypt 解密。"
    )


def test_image_only_pdf_with_ocr_off():
    path = DATA / "image-only.pdf"
    with pytest.raises(NoTextLayerError) as info:
        extract(path, ocr="never")
    assert (
        str(info.value)
        == f"无法读取 {path}：第 1 页（共 1 页）没有可用的文字层（text layer；没有文字，只有图像或绘制的图形）。{NO_OCR}"
    )


def test_real_no_text_layer_pdf_names_its_pages():
    path = CORPUS / "pdf" / "guangdong-budget-report-2025-annex1-glossary-excerpt-no-text-layer.pdf"
    with pytest.raises(NoTextLayerError) as info:
        extract(path, ocr="never")
    assert (
        str(info.value)
        == f"无法读取 {path}：第 1-5 页（共 5 页）没有可用的文字层（text layer；没有文字，只有图像或绘制的图形）。"
        f"{NO_OCR}"
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
        == f"无法读取 {path}：第 1 页（共 1 页）没有可用的文字层（text layer；没有文字，只有图像或绘制的图形）。"
        "如需识别这些页，请安装 OCR 扩展：pip install 'policy-align[ocr]'。"
    )


def test_unknown_extension_lists_the_supported_ones(tmp_path: Path):
    path = tmp_path / "notes.xyz"
    path.write_text("第一条", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"无法读取 {path}：不支持的文件类型 '.xyz'。支持的类型：.pdf、.docx、.txt、.md、.html、.htm、.ofd。"
    )
    assert tuple(EXTRACTORS) == (".pdf", ".docx", ".txt", ".md", ".html", ".htm", ".ofd")


def test_a_word_or_wps_file_says_to_save_it_as_docx(tmp_path: Path):
    path = tmp_path / "规划.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormatError) as info:
        extract(path)
    assert str(info.value) == (
        f"无法读取 {path}：不支持的文件类型 '.wps'。请用 WPS 或 Word 另存为 .docx（save as .docx）后再读取；"
        "支持的类型：.pdf、.docx、.txt、.md、.html、.htm、.ofd。"
    )


def test_a_folder_without_a_suffix_is_named_as_a_folder(tmp_path: Path):
    with pytest.raises(ExtractionError) as info:
        extract(tmp_path)
    assert str(info.value) == f"无法读取 {tmp_path}：这是文件夹，不是文件。请给出其中的文件。"


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
        == f"无法读取 {path}：不是文本文件：UTF-8、GB18030、UTF-16、Big5 编码都无法把它解码为可读的文字。"
        "请确认文件是否正确；如果是文本，请另存为 UTF-8。"
    )


def test_old_word_file_renamed_docx(tmp_path: Path):
    path = tmp_path / "notice.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert (
        str(info.value)
        == f"无法读取 {path}：这是旧版 Word 二进制文件（.doc），不是 .docx。请用 Word、WPS 或 LibreOffice 打开并"
        "另存为 .docx。"
    )


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(ExtractionError) as info:
        extract(tmp_path / "missing.pdf")
    assert str(info.value) == f"无法读取 {tmp_path / 'missing.pdf'}：文件不存在。请检查路径。"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ExtractionError, match="这是文件夹，不是文件"):
        extract(folder)


def test_bad_options_are_config_errors():
    with pytest.raises(ConfigError, match="^OCR 模式 ocr='sometimes' 无效：可选 auto、never、always。$"):
        extract(DATA / "gbk.txt", ocr="sometimes")
    with pytest.raises(ConfigError, match="^行政层级 level='county' 无效：可选 central、provincial、"):
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
            f"无法读取 {empty}：文件是空的（0 字节）。请确认文件已完整保存或下载。",
        ),
        Failure(
            str(DATA / "encrypted.pdf"),
            f"无法读取 {DATA / 'encrypted.pdf'}：文件已加密（password-protected）。"
            "请提供未加密的文件，或先用 qpdf --decrypt 解密。",
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
