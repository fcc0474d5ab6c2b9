"""Reports of an alignment run: JSON (the stable contract), HTML, XLSX 对照表 and a Markdown summary.

Renderers are chosen by name from :data:`RENDERERS`; :func:`render` picks one by format name or by
the output file's extension. :func:`to_dict` is the JSON contract documented field by field in
docs/report-schema.md; :func:`summarize` gives the counts every renderer shows. Every renderer
writes paths relative to the folder of its output (:func:`portable_path`), never an absolute path
of this machine. Heavy imports (jinja2, openpyxl, rich) happen only when a renderer runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from alignment.errors import ConfigError
from alignment.report._common import Output, portable, portable_path
from alignment.report._html import render_html
from alignment.report._json import SCHEMA_VERSION, match_dict, render_json, to_dict, unit_dict
from alignment.report._markdown import markdown, render_markdown
from alignment.report._summary import summarize
from alignment.report._terminal import terminal_summary
from alignment.report._xlsx import render_xlsx
from alignment.schema import Report

__all__ = [
    "RENDERERS",
    "SCHEMA_VERSION",
    "SUFFIXES",
    "format_for",
    "markdown",
    "match_dict",
    "portable",
    "portable_path",
    "render",
    "summarize",
    "terminal_summary",
    "to_dict",
    "unit_dict",
]

#: Report format name -> renderer ``f(report, out)``; ``out`` is a path or an open stream.
RENDERERS: dict[str, Callable[[Report, Output], None]] = {
    "json": render_json,
    "html": render_html,
    "xlsx": render_xlsx,
    "md": render_markdown,
}
#: Output file extension (lower case) -> format name.
SUFFIXES = {".json": "json", ".html": "html", ".htm": "html", ".xlsx": "xlsx", ".md": "md"}


def format_for(path: str | Path | None = None, fmt: str | None = None) -> str:
    """The format name for ``fmt`` if given, else for ``path``'s extension; ``json`` when neither is.

    Raises :class:`ConfigError` listing the valid formats (or extensions) for anything else.
    """
    if fmt is not None:
        if fmt.lower() not in RENDERERS:
            raise ConfigError(f"未知的报告格式 --format {fmt!r}：可选 {'、'.join(RENDERERS)}。")
        return fmt.lower()
    if path is None:
        return "json"
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ConfigError(
            f"无法从扩展名 {suffix or '（无）'!r} 判断报告 {path} 的格式：请把文件命名为 "
            f"{'、'.join(SUFFIXES)} 之一，或用 --format 指定格式（{'、'.join(RENDERERS)}）。"
        )
    return SUFFIXES[suffix]


def render(report: Report, path: str | Path | None = None, fmt: str | None = None) -> str:
    """Write ``report`` to ``path`` (or to stdout when ``path`` is None) and return the format used.

    The format is ``fmt`` when given, else the one of ``path``'s extension (.json .html .htm .xlsx
    .md), else JSON. The xlsx format goes to stdout's byte buffer when no path is given.
    """
    name = format_for(path, fmt)
    RENDERERS[name](report, Path(path) if path is not None else sys.stdout)
    return name
