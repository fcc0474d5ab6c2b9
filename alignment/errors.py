"""One exception hierarchy for the library.

Every message names the input it is about and, where there is one, the fix. The CLI turns these
into a one-line ``Error: ...`` and a non-zero exit; library callers can catch :class:`AlignmentError`.

Messages are written for the people who run the tool (planning officials), so they are Chinese
first: a sentence that starts in Chinese, names the file, and says what to do next, with an
English term in brackets only where it helps (a library, an option, an encoding). For example
``无法读取 corpus/x.pdf：文件已加密（password-protected）。请提供未加密的文件，或先用 qpdf --decrypt 解密。``
Option names, paths, commands and the valid choices stay as they must be typed.
"""
from __future__ import annotations

from pathlib import Path


class AlignmentError(Exception):
    """Base class of every error this package raises on purpose."""


class ExtractionError(AlignmentError):
    """A document could not be turned into text.

    ``path`` is the file; the message says what is wrong and what to do about it.
    """

    def __init__(self, path: str | Path, problem: str, fix: str = "") -> None:
        self.path = str(path)
        self.problem = problem.rstrip("。")
        self.fix = fix.rstrip("。")
        # 无法读取 PATH：PROBLEM。FIX。 (problem and fix are Chinese clauses without a final 。)
        message = f"无法读取 {self.path}：{self.problem}。"
        if self.fix:
            message += f"{self.fix}。"
        super().__init__(message)


class UnsupportedFormatError(ExtractionError):
    """No extractor handles this file type."""


class EmptyDocumentError(ExtractionError):
    """The file holds no usable text."""


class EncryptedDocumentError(ExtractionError):
    """The file is password-protected."""


class NoTextLayerError(ExtractionError):
    """Pages have no usable text layer and OCR is not available."""


class ConfigError(AlignmentError):
    """A name, option, manifest or model asset is wrong; the message lists the valid choices."""


class MissingDependencyError(AlignmentError):
    """An optional dependency is not installed; the message gives the ``pip install`` line."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        """``purpose``: what needs the package, as a Chinese noun phrase (复核工作台, 向量模型 st:x)."""
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose}需要 {package} 包，但尚未安装：请运行 pip install 'policy-align[{extra}]'。"
        )


class StoreError(AlignmentError):
    """The review store cannot be opened or written, or a decision names something it does not hold.

    The message names the store file (or the directive/unit id) and what to do next.
    """
