"""HTML (selectolax/lexbor): the article body of a saved government web page, not its navigation.

The body is the first known article container that holds real text (``#zoomcon``, ``#info_cont``,
``#detailCon``, ``.article-content``, ``.TRS_Editor`` ... as used by government CMSs), else the
element that gathers the most paragraph text with few links (a text-density heuristic). h1-h6
become heading hints; data tables become tables; the title comes from ``<meta name="ArticleTitle">``,
an ``<h1>`` or ``<title>`` (without the site name).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alignment.ingest.base import Line, RawDocument, RawTable, square, table_lines
from alignment.ingest.normalize import clean_cell, clean_line
from alignment.ingest.txt import decode

#: Article containers of government CMSs (TRS WCM, Hanweb, Ucap ...), most specific first.
CONTAINERS = (
    "#zoomcon",
    "#info_cont",
    "#detailCon",
    ".article-content",
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#UCAP-CONTENT",
    ".pages_content",
    "#Zoom",
    "#zoom",
    "#fontzoom",
    ".zoom",
    ".view.TRS_UEDITOR",
    ".wzy_text",
    ".xxgk_content",
    ".detail-content",
    ".article_con",
    ".article-body",
)
#: A container must hold at least this many visible characters to be taken as the article.
MIN_ARTICLE_CHARS = 50
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "tr",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "section",
    "article",
    "blockquote",
    "pre",
    "center",
    "hr",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "form",
    "figure",
    "figcaption",
    "address",
    "caption",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "object",
    "embed",
    "head",
    "button",
    "select",
    "input",
    "textarea",
    "-comment",
}
# ids/classes of page furniture, dropped when the article has to be found by text density.
_FURNITURE = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|share|sidebar|copyright|position|location|top|bottom", re.I
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s).*$")
#: Largest cell (characters) of a data table; a bigger cell means the table is page layout.
MAX_CELL_CHARS = 300


class _Walker:
    """Renders an element tree into lines: blocks break lines, headings and data tables are marked."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables: list[RawTable] = []
        self.heading_tags: list[int] = []
        self.buffer = ""

    def flush(self) -> None:
        if self.buffer.strip():
            self.lines.append(Line(self.buffer))
        self.buffer = ""

    def walk(self, node: Any, pre: bool = False) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text(deep=False) or ""
                self.buffer += text if pre else _WHITESPACE.sub(" ", text)
                continue
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag == "br":
                self.flush()
                continue
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.flush()
                text = _WHITESPACE.sub(" ", child.text(deep=True, separator=" ") or "").strip()
                if text:
                    self.lines.append(Line(text, heading=int(tag[1]), keep=True))
                continue
            if tag == "table" and self.table(child):
                continue
            block = tag in _BLOCK
            if block:
                self.flush()
            self.walk(child, pre=pre or tag == "pre")
            if block:
                self.flush()

    def table(self, node: Any) -> bool:
        """Render a data table; False when the table is page layout (walk into it instead)."""
        if len(node.css("table")) > 1:  # the node itself matches too
            return False  # nested tables: layout
        rows = []
        for tr in node.css("tr"):
            cells = []
            for cell in tr.iter():
                if cell.tag not in ("td", "th"):
                    continue
                text = clean_cell(cell.text(deep=True, separator="\n") or "")
                cells.append(text)
                span = cell.attributes.get("colspan") or "1"
                cells.extend([""] * (int(span) - 1 if span.isdigit() and int(span) > 1 else 0))
            if any(cells):
                rows.append(cells)
        if (
            len(rows) < 2
            or max(len(r) for r in rows) < 2
            or max(len(c) for r in rows for c in r) > MAX_CELL_CHARS
        ):
            return False
        self.flush()
        group = len(self.tables)
        squared = square(rows)
        self.tables.append(RawTable(page=1, rows=squared, group=group))
        self.lines.extend(table_lines(squared, group))
        return True


def _visible_chars(node: Any) -> int:
    return len("".join((node.text(deep=True, separator="") or "").split()))


def _density_pick(body: Any) -> Any:
    """The element that collects the most paragraph text, links discounted (readability-style)."""
    for node in body.css("nav, header, footer, aside"):
        node.decompose()
    for node in body.css("[id], [class]"):
        label = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        if _FURNITURE.search(label) and _visible_chars(node) < 2000:
            node.decompose()
    scores: dict[int, float] = {}
    nodes: dict[int, Any] = {}
    for p in body.css("p, pre, td, div"):
        if p.tag == "div" and p.css_first("p, div, table") is not None:
            continue
        text = "".join((p.text(deep=True, separator="") or "").split())
        if len(text) < 10:
            continue
        links = "".join("".join((a.text(deep=True, separator="") or "").split()) for a in p.css("a"))
        if len(links) > 0.5 * len(text):
            continue
        score = len(text) + 10 * text.count("，") + 10 * text.count("。")
        parent = p.parent
        for share in (1.0, 0.5):
            if parent is None:
                break
            scores[parent.mem_id] = scores.get(parent.mem_id, 0.0) + share * score
            nodes[parent.mem_id] = parent
            parent = parent.parent
    if not scores:
        return body
    return nodes[max(scores, key=lambda k: scores[k])]


def _title(tree: Any) -> str:
    for selector in ('meta[name="ArticleTitle"]', 'meta[name="articletitle"]', 'meta[property="og:title"]'):
        node = tree.css_first(selector)
        if node is not None and (node.attributes.get("content") or "").strip():
            return clean_line(node.attributes["content"])
    h1 = tree.css_first("h1")
    if h1 is not None and _visible_chars(h1) >= 4:
        return clean_line(h1.text(deep=True, separator=" ") or "")
    title = tree.css_first("title")
    if title is not None:
        return clean_line(_SITE_SUFFIX.sub("", title.text() or ""))
    return ""


def _meta(tree: Any, *names: str) -> str:
    for name in names:
        node = tree.css_first(f'meta[name="{name}"]')
        if node is not None and (node.attributes.get("content") or "").strip():
            return node.attributes["content"].strip()
    return ""


def read(path: Path, data: bytes) -> RawDocument:
    """The article of a web page as one page of lines."""
    from selectolax.lexbor import LexborHTMLParser

    declared = _CHARSET.search(data[:4096])
    text, _ = decode(data, path, declared=declared.group(1).decode("ascii").lower() if declared else "")
    tree = LexborHTMLParser(text)
    title = _title(tree)
    container = None
    for selector in CONTAINERS:
        node = tree.css_first(selector)
        if node is not None and _visible_chars(node) >= MIN_ARTICLE_CHARS:
            container = node
            break
    warnings = []
    if container is None:
        body = tree.body if tree.body is not None else tree.root
        container = _density_pick(body) if body is not None else None
        warnings.append("未找到常见的正文容器：正文是按文字密度选取的，请核对开头和结尾")
    walker = _Walker()
    if container is not None:
        walker.walk(container)
        walker.flush()
    lines = walker.lines
    head = "".join(clean_line(ln.text) for ln in lines[:8])
    if title and title.replace(" ", "") not in head.replace(" ", ""):
        lines.insert(0, Line(title, heading=1, keep=True))
    levels = sorted({ln.heading for ln in lines if ln.heading})
    lines = [
        Line(ln.text, heading=levels.index(ln.heading) + 1, keep=True, group=ln.group) if ln.heading else ln
        for ln in lines
    ]
    hints = {
        "title": title,
        "date": _meta(tree, "PubDate", "pubdate", "firstpublishedtime"),
        "issuer": _meta(tree, "ContentSource", "contentsource"),
    }
    return RawDocument(
        format="html",
        pages=[lines],
        tables=walker.tables,
        warnings=warnings,
        rejoin=False,
        hints={k: v for k, v in hints.items() if v},
    )
