"""Frozen dataclasses carried by the analyses beyond matching (指标, 任务, 提法, levels, drafts).

Like :mod:`alignment.schema`, everything here is plain data: the extractors return these, the
comparisons take and return these, and the report renderers read them. Offsets are into
``Document.text`` of the document named by ``Source.document``, half-open.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: Comparison codes of a :class:`Target`: at least, at most, about, exactly, within a range.
COMPARISONS = ("≥", "≤", "≈", "=", "区间")
#: Flags a :class:`TargetComparison` may carry, with their Chinese labels for reports.
TARGET_FLAGS_ZH = {
    "weaker": "低于上级要求",
    "softer": "表述弱于上级（力争/争取）",
    "different_year": "目标年份不同",
    "different_value": "目标值不同",
    "no_plan_counterpart": "本规划无对应指标",
    "no_basis": "上级文件无对应指标",
}
#: Flags a :class:`Task` may carry.
TASK_FLAGS_ZH = {"no_owner": "未明确责任单位", "no_deadline": "未明确时间节点"}
#: Status of an official formulation in the plan.
FORMULATION_STATUS_ZH = {
    "used": "已使用",
    "near_miss": "表述有出入",
    "outdated": "使用了旧提法",
    "absent": "未使用",
}


@dataclass(frozen=True)
class Source:
    """Where a finding is in a document: offsets into ``Document.text``, page, line, section path, text.

    ``page`` is None in a document without pages (:attr:`alignment.schema.Document.paged`); ``line``
    is the 1-based line of ``Document.text`` (None in findings stored before lines were kept).
    """

    document: str
    char_start: int
    char_end: int
    page: int | None = 1
    line: int | None = None
    section_path: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Target:
    """A quantitative target (指标) found in text or in an indicator table.

    ``value`` is in ``unit`` (already normalized: 1200万人 -> 12000000 人, 3‰ -> 0.3 %); a range
    (35-40张, 百分之四十至百分之五十) has ``value`` as its low end and ``value_high`` as its high
    end. ``comparison`` is one of :data:`COMPARISONS`; ``wording`` is the comparison as written
    (不低于, 以上, 左右, 达到…). ``aspirational`` marks 力争/争取 targets. ``context`` is the
    clause with the value, used to match targets across documents.
    """

    indicator: str
    value: float
    unit: str
    dimension: str
    comparison: str
    source: Source
    value_high: float | None = None
    wording: str = ""
    aspirational: bool = False
    target_year: int | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    nature: str = ""  # 约束性 | 预期性 | ''
    origin: str = "text"  # text | table
    context: str = ""


@dataclass(frozen=True)
class TargetComparison:
    """One line of the 指标对标: a plan target against the higher-level target it answers.

    Either side may be None: a directive target with no plan counterpart, or a plan target with no
    basis above. ``similarity`` in [0, 1] is how alike the two indicators read. ``flags`` are keys
    of :data:`TARGET_FLAGS_ZH`; ``note`` says it in Chinese for reviewers.
    """

    directive: Target | None
    plan: Target | None
    similarity: float = 0.0
    flags: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Task:
    """A plan task (清单化、项目化) with who does it and by when.

    ``lead`` (牵头单位), ``responsible`` (责任单位) and ``cooperating`` (配合单位) name units as
    written (市民政局, 市财政局); an owner named without a role counts as responsible.
    ``deadlines`` are the time nodes as written (到2025年, 2023年底前, 每年); ``deadline_year`` the
    latest year among them. ``flags`` are keys of :data:`TASK_FLAGS_ZH`.
    """

    source: Source
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    deadlines: tuple[str, ...] = ()
    deadline_year: int | None = None
    recurring: bool = False
    owner_origin: str = ""  # annotation | table | inline | ''
    flags: tuple[str, ...] = ()

    @property
    def owners(self) -> tuple[str, ...]:
        """Every unit named, lead first, without repeats."""
        return tuple(dict.fromkeys(self.lead + self.responsible + self.cooperating))


@dataclass(frozen=True)
class Formulation:
    """An official formulation (提法) a plan is expected to reuse verbatim.

    ``how`` says why it is one: ``quoted`` (in “” in a directive), ``listed`` (a hand-kept list of
    fixed phrases), ``repeated`` (the same phrase in several directive documents). ``year`` is the
    year of the newest directive that uses it (0 when unknown).
    """

    phrase: str
    documents: tuple[str, ...]
    year: int = 0
    how: str = "quoted"
    replaced_by: str = ""  # a newer wording of the same idea, when a newer directive changed it


@dataclass(frozen=True)
class FormulationCheck:
    """Whether the plan reuses one formulation: ``status`` is a key of :data:`FORMULATION_STATUS_ZH`.

    ``found`` is the plan's wording (the formulation itself, a near miss, or the older wording),
    ``where`` its occurrences.
    """

    formulation: Formulation
    status: str
    found: str = ""
    where: tuple[Source, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class LevelLink:
    """A lower-level directive that restates or implements a higher-level one (省条例第X条 -> 法第Y条)."""

    upper: str
    lower: str
    score: float
    status: str  # covered | partial


@dataclass(frozen=True)
class SkippedLevel:
    """A chain where the plan answers one level but not the other.

    ``kind``: ``lower_unanswered`` when the plan answers the higher directive directly while the
    lower level's restatement of it goes unanswered; ``upper_unanswered`` when the plan answers
    the restatement while the directive above it has no direct answer.
    """

    upper: str
    lower: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class LevelCoverage:
    """Coverage of one level's directives: answered directly, only through a lower level, or not at all."""

    level: str
    total: int
    direct: int
    via: int
    unanswered: int
    out_of_scope: int = 0


@dataclass(frozen=True)
class Tracing:
    """The multi-level part of a report: links between levels, skipped levels, coverage per level."""

    links: tuple[LevelLink, ...] = ()
    skipped: tuple[SkippedLevel, ...] = ()
    coverage: tuple[LevelCoverage, ...] = ()


@dataclass(frozen=True)
class Analysis:
    """Everything a report carries beyond directive matching; each part may be empty."""

    targets: tuple[TargetComparison, ...] = ()
    tasks: tuple[Task, ...] = ()
    formulations: tuple[FormulationCheck, ...] = ()
    tracing: Tracing = field(default_factory=Tracing)


@dataclass(frozen=True)
class DraftChange:
    """How one directive's verdict changed between two plan drafts.

    ``kind``: ``newly_covered`` (missing before, covered or partial now), ``newly_uncovered`` (the
    reverse) or ``changed`` (still answered, by other passages or with another status).
    """

    directive: str
    text: str
    kind: str
    old_status: str
    new_status: str
    old_units: tuple[str, ...] = ()
    new_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftDiff:
    """The comparison of two drafts of a plan against the same directives."""

    old: str
    new: str
    changes: tuple[DraftChange, ...] = ()
    old_coverage: float | None = None
    new_coverage: float | None = None
