"""Helpers shared by the renderers: labels, lookups, portable paths and where the output goes."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Union

from alignment.errors import ConfigError
from alignment.schema import (
    LEVEL_NAMES_ZH,
    STATUS_NAMES_ZH,
    DirectiveResult,
    Document,
    Failure,
    Match,
    Report,
    Unit,
)

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


def place_label(unit: Unit, docs: Mapping[str, Document]) -> str:
    """Where ``unit`` starts, for people: ``第2页`` in a document with pages (PDF, OFD), else the line
    of the extracted text, ``第12行`` (DOCX, HTML, plain text); ``""`` when its document is unknown."""
    doc = docs.get(unit.document)
    if doc is None:
        return ""
    return f"第{unit.page}页" if doc.paged else f"第{doc.line_at(unit.char_start)}行"


def location_label(unit: Unit, docs: Mapping[str, Document]) -> str:
    """Section path and place, e.g. ``第三章 第十五条 · 第2页`` (PDF) or ``第三章 第十五条 · 第12行`` (TXT)."""
    place = place_label(unit, docs)
    return f"{section_label(unit)} · {place}" if place else section_label(unit)


def extent_label(doc: Document) -> str:
    """How long a document is, in the unit its places are given in: ``12页`` or ``285行``."""
    return f"{len(doc.pages)}页" if doc.paged else f"{doc.line_at(len(doc.text))}行"


def override_zh(result: DirectiveResult) -> str:
    """``张三 复核，机器判断为已覆盖`` when a reviewer's decision changed the machine's status, else ``""``."""
    r = result.review
    if r is None or not r.machine_status or r.machine_status == result.status:
        return ""
    return f"{r.reviewer} 复核，机器判断为{status_zh(r.machine_status)}"


def review_lines(result: DirectiveResult) -> list[str]:
    """What reviewers said about a directive, one line each, as every format shows it: who overrode the
    machine's status (:func:`override_zh`), then the note (one line per decision or comment, oldest first)."""
    override = override_zh(result)
    return ([override] if override else []) + [line for line in result.note.splitlines() if line.strip()]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def portable_path(path: str | Path, base: str | Path | None = None) -> str:
    """``path`` as a report handed on should show it: never an absolute path of this machine.

    Relative to ``base`` (the report's folder; default the current folder) when the file lies in it,
    or in a folder the two share below the home folder (``../corpus/plan.txt``); else relative to the
    current folder when the file lies in it; else the file name alone. Forward slashes throughout.
    """
    text = str(path)
    if not text:
        return text
    here = Path(os.path.realpath(os.getcwd()))
    target = Path(os.path.realpath(text))
    folder = Path(os.path.realpath(base)) if base is not None else here
    if _within(target, folder):
        return target.relative_to(folder).as_posix()
    try:
        shared = Path(os.path.commonpath([target, folder]))
    except ValueError:  # another drive (Windows)
        shared = None
    home = Path(os.path.realpath(Path.home()))
    if shared is not None and shared != Path(shared.anchor) and not _within(home, shared):
        return Path(os.path.relpath(target, folder)).as_posix()
    if _within(target, here):
        return target.relative_to(here).as_posix()
    return target.name


def portable(report: Report, base: str | Path | None = None) -> Report:
    """``report`` with the paths of its documents and failures made portable (:func:`portable_path`),
    also where a failure's message repeats its path. Renderers call this once, with their output's folder."""
    def failure(f: Failure) -> Failure:
        shown = portable_path(f.path, base)
        message = f.message
        if f.path:  # one pass, longer form first: the path as given may be the tail of its real path
            forms = sorted({f.path, os.path.realpath(f.path)}, key=len, reverse=True)
            message = re.sub("|".join(map(re.escape, forms)), lambda m: shown, message)
        return Failure(path=shown, message=message)

    return replace(
        report,
        documents=tuple(replace(d, path=portable_path(d.path, base)) for d in report.documents),
        failures=tuple(failure(f) for f in report.failures),
    )


def output_folder(out: Output) -> Path | None:
    """The folder a report written to ``out`` lies in; None for a stream (the current folder)."""
    return Path(out).parent if isinstance(out, (str, Path)) else None


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
            raise ConfigError("该报告格式是文本：请传入文件路径或文本流，不要传二进制流。")
        yield out  # type: ignore[misc]


def binary_output(out: Output, fmt: str) -> Path | IO[bytes]:
    """A path or binary stream for a binary format; ``sys.stdout`` is replaced by its byte buffer."""
    if isinstance(out, (str, Path)):
        return Path(out)
    if isinstance(out, io.TextIOBase) or out is sys.stdout:
        buffer = getattr(out, "buffer", None)
        if buffer is None:
            raise ConfigError(
                f"报告格式 {fmt} 是二进制的：请传入文件路径或二进制流，不要传文本流。"
            )
        return buffer  # type: ignore[no-any-return]
    return out  # type: ignore[return-value]
