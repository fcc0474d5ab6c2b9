"""One exception hierarchy for the library.

Every message names the input it is about and, where there is one, the fix. The CLI turns these
into a one-line ``Error: ...`` and a non-zero exit; library callers can catch :class:`AlignmentError`.
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
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f" ({fix})"
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
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose} needs the '{package}' package: pip install 'policy-align[{extra}]'"
        )


class StoreError(AlignmentError):
    """The review store cannot be opened or written, or a decision names something it does not hold.

    The message names the store file (or the directive/unit id) and what to do next.
    """
