"""Plain data carried between the stages of the pipeline.

Everything here is a frozen dataclass: stages are functions from one of these to the next, and the
JSON report is built from them. Character offsets are always into ``Document.text`` (the normalized
text), half-open ``[char_start, char_end)``; pages and lines are 1-based.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # alignment.analysis imports this module, so the name is for type checkers only
    from alignment.analysis.records import Analysis

Level = Literal["central", "provincial", "municipal", "district", "unknown"]
Role = Literal["directive", "plan"]
Status = Literal["covered", "partial", "missing", "out_of_scope"]

LEVELS: tuple[str, ...] = ("central", "provincial", "municipal", "district", "unknown")
#: How a reader treats pages without a usable text layer: OCR them when needed, never, or every page.
OCR_MODES = ("auto", "never", "always")
LEVEL_NAMES_ZH = {
    "central": "中央",
    "provincial": "省级",
    "municipal": "市级",
    "district": "区县",
    "unknown": "未知",
}
#: Formats whose pages are pages a reader can turn to (OCR'd PDF pages included). DOCX, HTML and plain
#: text flow: their one "page" is the whole text, so places in them are given by line.
PAGED_FORMATS: tuple[str, ...] = ("pdf", "ofd")
STATUSES: tuple[str, ...] = ("covered", "partial", "missing", "out_of_scope")
STATUS_NAMES_ZH = {
    "covered": "已覆盖",
    "partial": "部分覆盖",
    "missing": "未覆盖",
    "out_of_scope": "不适用",
}


@dataclass(frozen=True)
class PageSpan:
    """Where one page of the source lies in the normalized text."""

    number: int
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Table:
    """A ruled table (PDF, DOCX) or an indicator table recognised in text.

    ``header`` holds the column names; each row holds one cell per column. ``char_start`` and
    ``char_end`` locate the table's rendering in ``Document.text`` (rows joined by newlines, cells
    by tabs), so rows can be quoted and located like any other text.
    """

    page: int
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    char_start: int
    char_end: int


@dataclass(frozen=True)
class HeadingHint:
    """A span the source format marks as a heading (DOCX style, larger PDF font, HTML h1-h6).

    ``level`` is 1 for the top heading level. Hints help the structure parser; the numbering in
    the text still decides.
    """

    char_start: int
    char_end: int
    level: int


@dataclass(frozen=True)
class DocumentMeta:
    """Bibliographic facts about a document; any may be empty when the text does not say."""

    title: str = ""
    doc_number: str = ""  # 文号, e.g. 国发〔2021〕35号
    issuer: str = ""
    date: str = ""  # ISO date, or a year/year-month when that is all the text gives
    level: Level = "unknown"
    role: Role | None = None


@dataclass(frozen=True)
class Document:
    """A source file turned into normalized text, with its pages, tables and metadata."""

    id: str
    path: str
    format: str  # 'pdf', 'docx', 'txt', 'html', 'ofd'
    text: str
    pages: tuple[PageSpan, ...]
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    tables: tuple[Table, ...] = ()
    hints: tuple[HeadingHint, ...] = ()
    warnings: tuple[str, ...] = ()
    sha256: str = ""  # of the source file's bytes

    def page_at(self, offset: int) -> int:
        """The 1-based page holding character ``offset`` of ``text`` (1 for a document without pages)."""
        if not self.pages:
            return 1
        starts = [p.char_start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return self.pages[max(i, 0)].number

    @property
    def paged(self) -> bool:
        """Whether its pages are real pages: a PDF or OFD, or a text file cut into pages by form feeds
        (as pdftotext writes them). DOCX, HTML and other plain text have none."""
        return self.format in PAGED_FORMATS or len(self.pages) > 1

    def page_of(self, offset: int) -> int | None:
        """The page holding character ``offset`` (:meth:`page_at`), or None when the document has no pages."""
        return self.page_at(offset) if self.paged else None

    def line_at(self, offset: int) -> int:
        """The 1-based line of ``text`` holding character ``offset``; lines end at ``\\n``."""
        return bisect.bisect_right(_line_starts(self.text), offset)


@lru_cache(maxsize=32)
def _line_starts(text: str) -> tuple[int, ...]:
    """Offsets where the lines of ``text`` start (a report asks for many lines of the same few texts)."""
    starts = [0]
    end = text.find("\n")
    while end != -1:
        starts.append(end + 1)
        end = text.find("\n", end + 1)
    return tuple(starts)


@dataclass(frozen=True)
class Span:
    """A span of ``Document.text``, e.g. one sentence."""

    char_start: int
    char_end: int


@dataclass(frozen=True)
class Section:
    """One node of a document's heading tree.

    ``char_start``/``char_end`` cover the whole section including its children; ``own_start``/
    ``own_end`` cover the heading line and the body before the first child. The own spans of all
    sections of a document partition its text. ``path`` lists the labels from the top
    (e.g. ``('第三章', '二、', '（一）')``), ``heading`` is the full heading line without the label.
    """

    id: str
    kind: str  # root, part(篇), chapter(章), section(节), article(条), item1-item5, box(专栏), annex(附件), table, paragraph
    level: int
    label: str
    number: int | None
    heading: str
    path: tuple[str, ...]
    char_start: int
    char_end: int
    own_start: int
    own_end: int
    page_start: int
    page_end: int
    sentences: tuple[Span, ...] = ()
    children: tuple["Section", ...] = ()

    def walk(self) -> Iterator["Section"]:
        """This section and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ParsedDocument:
    """A document with its section tree."""

    document: Document
    root: Section


@dataclass(frozen=True)
class Unit:
    """A piece of text the aligner compares: a directive clause or a plan passage.

    ``context`` is the heading text that governs the unit (e.g. the bold lead "（三）健全社会救助体系。"
    or the chapter title), used as a matching signal and shown to reviewers.
    """

    id: str
    document: str
    kind: str  # article, paragraph, sentence, clause, table_row
    text: str
    char_start: int
    char_end: int
    page: int  # 1 in a document without pages (see Document.paged): reports give the line there
    section_path: tuple[str, ...]
    context: str = ""


@dataclass(frozen=True)
class Directive:
    """An obligation extracted from a directive document.

    ``strength``: 3 for 必须/应当/要-style mandates, 2 for 加快/推进/加强-style action, 1 for
    鼓励/支持/探索/力争-style encouragement. ``actions`` are the action verbs found.
    """

    unit: Unit
    strength: int
    actions: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.unit.id


@dataclass(frozen=True)
class Evidence:
    """Why a plan unit was matched: shared terms and aligned spans (offsets into each unit's text)."""

    shared_terms: tuple[str, ...] = ()
    directive_spans: tuple[tuple[int, int], ...] = ()
    unit_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Review:
    """A person's decision, as applied to a report (see :mod:`alignment.store`).

    ``decision``: on a link, ``accept``, ``reject`` or ``add`` (a link the machine missed); on a
    directive, the latest decision about it, ``out_of_scope`` or ``comment`` included.
    ``suspect``: the directive's or the unit's text changed since the decision was made, so the
    decision is shown but no longer applied until someone confirms it again. ``machine_status`` (on
    a directive) is the status the aligner gave before the reviewers' decisions overrode it.
    """

    decision: str
    reviewer: str
    time: str  # ISO timestamp
    comment: str = ""
    suspect: bool = False
    machine_status: str = ""


@dataclass(frozen=True)
class Match:
    """A plan unit proposed as implementing a directive; ``score`` in [0, 1] is a calibrated probability."""

    unit: Unit
    score: float
    evidence: Evidence = field(default_factory=Evidence)
    via: tuple[str, ...] = ()  # intermediate directive ids, for multi-level chains
    review: Review | None = None  # a reviewer's decision on this link, if any


@dataclass(frozen=True)
class DirectiveResult:
    """The verdict on one directive: its status, how sure, and the best matches (best first)."""

    directive: Directive
    status: Status
    confidence: float
    matches: tuple[Match, ...] = ()
    reviewed: bool = False
    note: str = ""
    review: Review | None = None  # the latest reviewer decision about this directive, if any


@dataclass(frozen=True)
class PlanUnitResult:
    """A plan unit with the directives it implements (directive id, score), best first."""

    unit: Unit
    directives: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Failure:
    """An input that could not be processed; the report lists it instead of dropping it."""

    path: str
    message: str


@dataclass(frozen=True)
class Report:
    """The result of one alignment run."""

    documents: tuple[Document, ...]
    directives: tuple[DirectiveResult, ...]
    plan_units: tuple[PlanUnitResult, ...]
    method: str
    embedder: str
    failures: tuple[Failure, ...] = ()
    created: str = ""  # ISO timestamp
    # --scope / --directive-scope of the run: only sections whose heading or path holds one of these.
    scope: tuple[str, ...] = ()
    directive_scope: tuple[str, ...] = ()
    # 指标对标, 任务分解, 提法 and multi-level tracing (alignment.analysis); None when not run.
    analysis: "Analysis | None" = None
