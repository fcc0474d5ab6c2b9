"""Helpers shared by the renderers: labels, lookups and where the output goes."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Union

from alignment.errors import ConfigError
from alignment.schema import LEVEL_NAMES_ZH, STATUS_NAMES_ZH, DirectiveResult, Document, Match, Report, Unit

#: Where a renderer writes: a file path, or an open stream (text for json/html/md, binary for xlsx).
Output = Union[Path, str, IO[str], IO[bytes]]

#: Directive strength (see :class:`alignment.schema.Directive`) as shown to reviewers.
STRENGTH_NAMES_ZH = {3: "约束性", 2: "推进性", 1: "鼓励性", 0: "陈述性"}
ROLE_NAMES_ZH = {"directive": "上级文件", "plan": "本规划"}

#: How many of a directive's matches the HTML, XLSX and Markdown outputs show (all are in the JSON).
MATCHES_SHOWN = 3


#: A reviewer's decision on a link or directive (:class:`alignment.schema.Review`) as shown to people.
REVIEW_NAMES_ZH = {"accept": "已采纳", "reject": "已驳回", "add": "人工添加", "out_of_scope": "人工标为不适用",
                   "comment": "有复核意见", "clear": "已撤销复核"}


def shown_matches(result: DirectiveResult) -> list[Match]:
    """The matches the HTML, XLSX and Markdown outputs show: links a reviewer rejected (and whose
    texts have not changed since) left out, at most :data:`MATCHES_SHOWN`."""
    kept = [m for m in result.matches
            if m.review is None or m.review.suspect or m.review.decision != "reject"]
    return kept[:MATCHES_SHOWN]


def review_zh(match: Match) -> str:
    """``已采纳（张三）``, ``存疑：原文已改，曾已驳回（张三）`` or ``""`` for a link nobody reviewed."""
    r = match.review
    if r is None:
        return ""
    label = f"{REVIEW_NAMES_ZH.get(r.decision, r.decision)}（{r.reviewer}）"
    return f"存疑：原文已改，曾{label}" if r.suspect else label


def scope_note(report: Report) -> str:
    """`` · 比对范围：规划中标题或路径含“第三章”的章节`` when the run was limited by --scope, else ``""``."""
    parts = []
    if report.scope:
        parts.append("规划中标题或路径含" + "或".join(f"“{s}”" for s in report.scope) + "的章节")
    if report.directive_scope:
        parts.append("上级文件中标题或路径含" + "或".join(f"“{s}”" for s in report.directive_scope) + "的章节")
    return " · 比对范围：" + "；".join(parts) if parts else ""


def status_zh(status: str) -> str:
    """The Chinese name of a status (the code itself when unknown)."""
    return STATUS_NAMES_ZH.get(status, status)


def level_zh(level: str) -> str:
    """The Chinese name of an administrative level (the code itself when unknown)."""
    return LEVEL_NAMES_ZH.get(level, level)


def strength_zh(strength: int) -> str:
    """约束性 / 推进性 / 鼓励性 / 陈述性 (no modal word: a definition, a right, a fact) for strength 3 / 2 / 1 / 0."""
    return STRENGTH_NAMES_ZH.get(int(strength), str(strength))


def role_zh(role: str | None) -> str:
    """上级文件 / 本规划, or 未指定."""
    return ROLE_NAMES_ZH.get(role or "", "未指定")


def documents_by_id(report: Report) -> dict[str, Document]:
    """The report's documents keyed by id."""
    return {d.id: d for d in report.documents}


def document_title(doc_id: str, docs: dict[str, Document]) -> str:
    """A document's title, falling back to its file name, then to its id."""
    doc = docs.get(doc_id)
    if doc is None:
        return doc_id
    return doc.meta.title or Path(doc.path).name or doc.id


def section_label(unit: Unit) -> str:
    """The section path for people, e.g. ``第三章 第一节 第十五条`` (``—`` when there is none)."""
    return " ".join(unit.section_path) or "—"


def location_label(unit: Unit) -> str:
    """Section path and page, e.g. ``第三章 第十五条 · 第2页``."""
    return f"{section_label(unit)} · 第{unit.page}页"


def directive_order(report: Report) -> list[DirectiveResult]:
    """Directives in reading order: by document (as listed in the report), then by position."""
    rank = {d.id: i for i, d in enumerate(report.documents)}
    return sorted(
        report.directives,
        key=lambda r: (rank.get(r.directive.unit.document, len(rank)), r.directive.unit.char_start),
    )


def gap_list(report: Report) -> list[DirectiveResult]:
    """The directives with status ``missing``: mandates first, then in reading order."""
    ordered = directive_order(report)
    return sorted((r for r in ordered if r.status == "missing"), key=lambda r: -int(r.directive.strength))


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@contextmanager
def text_output(out: Output) -> Iterator[IO[str]]:
    """A text stream for ``out``: the stream itself, or the file at that path (UTF-8, ``\\n`` lines)."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
    else:
        if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
            raise ConfigError("this report format is text: pass a path or a text stream, not a binary one")
        yield out  # type: ignore[misc]


def binary_output(out: Output, fmt: str) -> Path | IO[bytes]:
    """A path or binary stream for a binary format; ``sys.stdout`` is replaced by its byte buffer."""
    if isinstance(out, (str, Path)):
        return Path(out)
    if isinstance(out, io.TextIOBase) or out is sys.stdout:
        buffer = getattr(out, "buffer", None)
        if buffer is None:
            raise ConfigError(
                f"the {fmt} report is binary: pass a file path or a binary stream, not a text stream"
            )
        return buffer  # type: ignore[no-any-return]
    return out  # type: ignore[return-value]
