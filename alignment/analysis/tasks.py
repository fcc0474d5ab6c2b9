"""Task lists (清单化、项目化): plan tasks with their responsible units and time nodes.

A task is a paragraph of a plan that asks for an action (see :func:`alignment.align.lexicon.actions_in`),
or a row of a task table (重点任务分工表). Its owners come from, in this order:

* an annotation: ``（责任单位：市民政局、市财政局）``, ``（牵头单位：…；配合单位：…）``;
* a table column named 牵头单位 / 责任单位 / 配合单位 (or …部门);
* the text itself: ``市民政部门负责…``, ``由市财政局负责``, ``民政部门牵头，教育、卫生健康部门配合``;
* an annotation on the section above (a heading's 责任单位 covers its items).

Vague owners (有关部门, 各地, 各级人民政府) do not count: flagging them is the point. Time nodes are
到2025年, 2023年底前, 2024年6月前, 每年, 每季度, 年内, “十四五”期间 and the like.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from alignment.align.lexicon import actions_in
from alignment.analysis.quantities import FIVE_YEAR_PLAN, YEAR, plan_period_end, year_value
from alignment.analysis.records import TASK_FLAGS_ZH, Source, Task
from alignment.schema import ParsedDocument, Section

#: Role words in annotations and table headers -> role.
_ROLE = {
    "牵头": "lead", "主责": "lead", "主办": "lead",
    "责任": "responsible", "负责": "responsible", "承办": "responsible", "实施": "responsible",
    "配合": "cooperating", "参与": "cooperating", "协办": "cooperating", "协同": "cooperating",
}
# （责任单位：市民政局、市财政局） and （牵头单位：市民政局；配合单位：市卫生健康委）: one or more
# role: units parts inside brackets, or at the end of a line without them.
_ANNOTATION = re.compile(
    r"[（(【\[]\s*(?P<body>(?:牵头|主责|主办|责任|负责|承办|实施|配合|参与|协办|协同)(?:单位|部门)\s*[：:][^（）()【】\[\]\n]+)[）)】\]]"
    r"|(?P<bare>(?:牵头|责任|配合)(?:单位|部门)\s*[：:][^\n]+)$",
    re.M,
)
_ROLE_PART = re.compile(r"(?P<role>牵头|主责|主办|责任|负责|承办|实施|配合|参与|协办|协同)(?:单位|部门)\s*[：:]\s*(?P<units>[^；;]+)")
# Separators between units. Not 和: 市人力资源和社会保障局 is one unit.
_UNIT_SEP = re.compile(r"[、，,／/]|及其?|\s+")
#: A body that can own a task: 市民政局, 市卫生健康委, 民政部门, 县级以上人民政府, 街道办事处, 市残联,
#: 市、县（市、区）人民政府 (a bracketed list of levels inside the name).
_ORG = (r"(?:[市区县省镇乡][、和])*(?:[^\s，。；：、的是对在为与把被将由和及等其要应可并或（）()“”《》]|[（(][市区县旗、]{1,7}[）)]){0,16}?"
        r"(?:部门|局|委员会|委|厅|办公室|办事处|政府|中心|残联|妇联|总工会|团委|工委办公室|民政|财政|"
        r"人力资源社会保障|卫生健康|医疗保障|住房城乡建设|教育|公安|司法行政|市场监管)")
#: 镇人民政府（街道办事处）: a body with its counterpart in brackets is one owner.
_ORG_PAIR = rf"{_ORG}(?:[（(]{_ORG}[）)])?"
_ORG_LIST = rf"{_ORG_PAIR}(?:、{_ORG_PAIR})*(?:等(?:部门|单位))?"
# X负责 / X牵头 / 由X负责 / X会同Y / Y配合 — inline ownership in the task text.
_INLINE_LEAD = re.compile(rf"(?P<org>{_ORG_LIST})(?:要|应当|应)?(?:发挥)?牵头")
_INLINE_RESP = re.compile(rf"(?:由)?(?P<org>{_ORG_LIST})(?:要|应当|应|具体|共同)?(?:负责|承担|组织实施|会同)")
_INLINE_COOP = re.compile(
    r"(?:会同|配合)(?P<org>[^，。；：将把对按\n]{2,30}?)(?:等有关部门|等部门|等单位|等|[，。；将把对按]|共同|做好|开展|建立|制定|加强|研究|综合)"
    rf"|(?P<org2>{_ORG_LIST})(?:要|应当|应)?(?:配合|协助|参与)")
# 县级人民政府要… / 市民政局应当…: the subject of a duty at the start of a sentence or clause.
_INLINE_SUBJECT = re.compile(rf"(?:^|[。；，：\s])(?P<org>{_ORG_PAIR}(?:(?:[、和]|及其?){_ORG_PAIR})*(?:等(?:部门|单位))?)(?:要|应当|应|必须|是)")
# Owners too vague to count.
_VAGUE = re.compile(r"^(?:有关|相关|各有关|其他有关|各|各级|各地|地方各级|本级)?(?:部门|单位|政府|人民政府|机构|组织|方面)$|^有关|^相关|^各级|^各地|^其他")
# Time nodes.
_DEADLINE = re.compile(
    rf"(?:到|至|截至|在)?{YEAR.pattern}(?:\d{{1,2}}月)?(?:底|末)?(?:前|之前|以前|完成|建成|实现)?"
    rf"|(?:\d{{4}}\s*[—\-－~～至]\s*\d{{4}})年"
    r"|每(?:年|季度|半年|月|两年)|年内|年底前|当年|长期坚持|持续推进|定期"
    r"|“?十[一二三四五六七八九]五”?(?:时期|期间|期末|末)"
)
_RECURRING = re.compile(r"^(?:每|长期坚持|持续推进|定期)")
# Parts of a plan that are not tasks: guidance, principles, targets, background.
_NOT_TASK_HEADING = re.compile(r"指导思想|基本原则|发展目标|主要目标|总体目标|规划背景|发展基础|形势|面临|回顾|成就|名词解释|附则")
# Task-table columns.
_COL_TASK = re.compile(r"任务|内容|措施|事项|工作|项目")
_COL_OWNER = re.compile(r"(?P<role>牵头|主责|主办|责任|负责|承办|配合|参与|协办|协同)(?:单位|部门)")
_COL_DEADLINE = re.compile(r"时限|时间|完成|节点|进度")


def _split_units(text: str) -> tuple[str, ...]:
    units = []
    # 市、区民政部门 and 区、镇人民政府 name one unit at several levels: keep them whole.
    text = re.sub(r"(?<![\u4e00-\u9fff])((?:[市区县省镇]、)+)(?=[\u4e00-\u9fff])", lambda m: m.group(1).replace("、", "\x00"), text)
    # 区民政部门和镇人民政府: 和 joins two units when the first ends like a unit.
    text = re.sub(r"(部门|局|政府|委|厅|办事处|中心|委员会)和", r"\1、", text)
    for u in _UNIT_SEP.split(text):
        u = u.replace("\x00", "、")
        u = u.strip(" 。；;：:等")
        if u and not _VAGUE.search(u):
            units.append(u)
    return tuple(dict.fromkeys(units))


def parse_annotation(body: str) -> dict[str, tuple[str, ...]]:
    """Units by role from an annotation body: ``'牵头单位：市民政局；配合单位：市财政局'`` ->
    ``{'lead': ('市民政局',), 'cooperating': ('市财政局',)}``."""
    out: dict[str, tuple[str, ...]] = {}
    for m in _ROLE_PART.finditer(body):
        role = _ROLE[m.group("role")]
        out[role] = out.get(role, ()) + _split_units(m.group("units"))
    return out


def annotations_in(text: str) -> tuple[dict[str, tuple[str, ...]], list[tuple[int, int]]]:
    """Owners by role from every annotation in ``text``, and the annotations' spans."""
    roles: dict[str, tuple[str, ...]] = {}
    spans = []
    for m in _ANNOTATION.finditer(text):
        for role, units in parse_annotation(m.group("body") or m.group("bare")).items():
            roles[role] = tuple(dict.fromkeys(roles.get(role, ()) + units))
        spans.append((m.start(), m.end()))
    return roles, spans


def _org_units(match: re.Match[str], group: str = "org") -> tuple[str, ...]:
    text = match.group(group) or ""
    text = re.sub(r"^(?:由|并|要|应当|和|及)", "", text)
    text = re.sub(r"等(?:有关)?(?:部门|单位)$|有关部门$", "", text)
    # 教育、卫生健康、人力资源社会保障等部门 / 市、区民政部门: the list shares its last word.
    return _split_units(text)


def inline_owners(text: str) -> dict[str, tuple[str, ...]]:
    """Owners named in running text: ``X牵头`` (lead), ``X负责`` / ``由X负责`` (responsible),
    ``会同Y`` / ``Y配合`` (cooperating)."""
    roles: dict[str, tuple[str, ...]] = {}

    def add(role: str, units: Iterable[str]) -> None:
        roles[role] = tuple(dict.fromkeys(roles.get(role, ()) + tuple(units)))

    for m in _INLINE_LEAD.finditer(text):
        add("lead", _org_units(m))
    for m in _INLINE_RESP.finditer(text):
        add("responsible", _org_units(m))
    for m in _INLINE_SUBJECT.finditer(text):
        add("responsible", _org_units(m))
    for m in _INLINE_COOP.finditer(text):
        add("cooperating", _org_units(m, "org" if m.group("org") else "org2"))
    return {k: v for k, v in roles.items() if v}


def deadlines_in(text: str) -> tuple[tuple[str, ...], int | None, bool]:
    """Time nodes in ``text`` as written, the latest year among them, and whether one recurs (每年)."""
    found = []
    years = []
    recurring = False
    for m in _DEADLINE.finditer(text):
        found.append(m.group(0))
        if m.groupdict().get("year"):
            years.append(year_value(m.group("year")))
        fm = FIVE_YEAR_PLAN.search(m.group(0))
        if fm and plan_period_end(fm):
            years.append(plan_period_end(fm))  # type: ignore[arg-type]
        span_years = re.findall(r"(\d{4})\s*[—\-－~～至]\s*(\d{4})", m.group(0))
        years.extend(int(b) for _, b in span_years)
        recurring = recurring or bool(_RECURRING.match(m.group(0)))
    return tuple(dict.fromkeys(found)), max(years) if years else None, recurring


def _walk(section: Section, stack: tuple[Section, ...] = ()) -> Iterable[tuple[Section, tuple[Section, ...]]]:
    yield section, stack
    for child in section.children:
        yield from _walk(child, stack + (section,))


def _path(stack: Sequence[Section], sec: Section) -> tuple[str, ...]:
    return tuple(f"{s.label} {s.heading}".strip()[:40] for s in (*stack, sec) if s.kind != "root" and (s.label or s.heading))


def _lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    pos = start
    for line in text[start:end].split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        stripped = line.strip(" \t\u3000\u00a0")
        if stripped:
            s += len(line) - len(line.lstrip(" \t\u3000\u00a0"))
            yield s, s + len(stripped)


def _make_task(doc_id: str, parsed: ParsedDocument, s: int, e: int, stack: Sequence[Section], sec: Section,
               roles: dict[str, tuple[str, ...]], origin: str, deadline_text: str | None = None) -> Task:
    text = parsed.document.text[s:e]
    deadlines, year, recurring = deadlines_in(text if deadline_text is None else deadline_text)
    task = Task(
        source=Source(document=doc_id, char_start=s, char_end=e, page=parsed.document.page_of(s),
                      line=parsed.document.line_at(s), section_path=_path(stack, sec), text=text),
        lead=roles.get("lead", ()), responsible=roles.get("responsible", ()),
        cooperating=roles.get("cooperating", ()), deadlines=deadlines, deadline_year=year, recurring=recurring,
        owner_origin=origin if any(roles.values()) else "",
    )
    flags = tuple(f for f, bad in (("no_owner", not task.owners), ("no_deadline", not deadlines)) if bad)
    return Task(**{**task.__dict__, "flags": flags})


def _table_tasks(parsed: ParsedDocument, table: Section, stack: Sequence[Section]) -> list[Task] | None:
    """Tasks of a task table, or None when the table has no task column and owner/deadline column."""
    text = parsed.document.text
    rows = []
    pos = table.char_start
    for line in text[table.char_start:table.char_end].split("\n"):
        if "\t" in line:
            rows.append((pos, line.split("\t")))
        pos += len(line) + 1
    if len(rows) < 2:
        return None
    header = [h.strip() for h in rows[0][1]]
    owner_cols = {i: _ROLE[m.group("role")] for i, h in enumerate(header) if (m := _COL_OWNER.search(h))}
    deadline_col = next((i for i, h in enumerate(header) if _COL_DEADLINE.search(h) and i not in owner_cols), None)
    task_col = next((i for i, h in enumerate(header) if _COL_TASK.search(h) and i not in owner_cols and i != deadline_col), None)
    if task_col is None or (not owner_cols and deadline_col is None):
        return None
    out = []
    for offset, cells in rows[1:]:
        if task_col >= len(cells) or not cells[task_col].strip():
            continue
        roles: dict[str, tuple[str, ...]] = {}
        for i, role in owner_cols.items():
            if i < len(cells):
                roles[role] = roles.get(role, ()) + _split_units(cells[i])
        deadline_text = cells[deadline_col] if deadline_col is not None and deadline_col < len(cells) else ""
        start = offset + sum(len(c) + 1 for c in cells[:task_col])
        end = start + len(cells[task_col])
        task = _make_task(parsed.document.id, parsed, start, end, stack, table, roles, "table",
                          deadline_text=deadline_text + " " + cells[task_col])
        # The row as a whole is the evidence a reviewer reads.
        row_end = offset + len("\t".join(cells))
        src = Source(document=task.source.document, char_start=offset, char_end=row_end, page=task.source.page,
                     line=task.source.line, section_path=task.source.section_path, text=text[start:end])
        out.append(Task(**{**task.__dict__, "source": src}))
    return out


def extract_tasks(parsed: ParsedDocument) -> list[Task]:
    """The tasks of a plan, in document order, with owners, time nodes and flags."""
    doc = parsed.document
    text = doc.text
    out: list[Task] = []
    for sec, stack in _walk(parsed.root):
        if sec.kind in ("root", "toc", "colophon", "preamble", "table_row"):
            continue
        if any(_NOT_TASK_HEADING.search(s.heading or "") for s in (*stack, sec)):
            continue
        if sec.kind == "table":
            out.extend(_table_tasks(parsed, sec, stack) or [])
            continue
        # Owners annotated on a section's own lines cover the items below it.
        inherited: dict[str, tuple[str, ...]] = {}
        for anc in stack:
            roles, _ = annotations_in(text[anc.own_start:anc.own_end])
            for role, units in roles.items():
                inherited[role] = inherited.get(role, ()) + units
        lines = list(_lines(text, sec.own_start, sec.own_end))
        annotated = [annotations_in(text[s:e]) for s, e in lines]
        if any(roles for roles, _ in annotated):
            spans = [(s, e, roles) for (s, e), (roles, _) in zip(lines, annotated)]
        else:
            spans = [(lines[0][0], lines[-1][1], {})] if lines else []
        for s, e, roles in spans:
            body = text[s:e]
            if not actions_in(body) or len(body) < 12:
                continue
            origin = "annotation" if roles else ""
            if not roles:
                roles = inline_owners(body)
                origin = "inline" if roles else ""
            if not roles and inherited:
                roles, origin = inherited, "annotation"
            out.append(_make_task(doc.id, parsed, s, e, stack, sec, roles, origin))
    return out


def tasks_by_owner(tasks: Sequence[Task]) -> dict[str, list[tuple[str, Task]]]:
    """Each unit's task list: unit -> [(role, task)], units in order of first appearance.

    Tasks without an owner are listed under ``'（未明确责任单位）'`` so none is dropped.
    """
    out: dict[str, list[tuple[str, Task]]] = {}
    for task in tasks:
        named = [("牵头", u) for u in task.lead] + [("负责", u) for u in task.responsible] + [("配合", u) for u in task.cooperating]
        if not named:
            named = [("", "（未明确责任单位）")]
        seen = set()
        for role, unit in named:
            if unit in seen:
                continue
            seen.add(unit)
            out.setdefault(unit, []).append((role, task))
    return out


def task_dict(t: Task) -> dict[str, object]:
    """A task as JSON-ready data (the ``task`` object of docs/report-schema.md)."""
    return {
        "text": t.source.text,
        "document": t.source.document,
        "section_path": list(t.source.section_path),
        "page": t.source.page,
        "line": t.source.line,
        "char_start": t.source.char_start,
        "char_end": t.source.char_end,
        "lead": list(t.lead),
        "responsible": list(t.responsible),
        "cooperating": list(t.cooperating),
        "owner_origin": t.owner_origin,
        "deadlines": list(t.deadlines),
        "deadline_year": t.deadline_year,
        "recurring": t.recurring,
        "flags": list(t.flags),
        "flag_names": [TASK_FLAGS_ZH[f] for f in t.flags],
    }
