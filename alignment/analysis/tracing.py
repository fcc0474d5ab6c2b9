"""Multi-level tracing: central -> provincial -> municipal -> plan.

When the directive documents span levels, each lower-level directive document is aligned, as if it
were a plan, with the documents above it. A lower directive whose text answers a higher one is a
:class:`LevelLink` (山东省条例第十二条 restates 老年人权益保障法第五条). Then every plan match of
the lower directive also counts toward the higher one, as a :class:`~alignment.schema.Match` whose
``via`` names the lower directive(s) the chain passes through, so the report can show
``法第五条 -> 省条例第十二条 -> 规划第八条``.

A higher directive keeps its direct matches; chained ones are added after them. Its status becomes
the better of its direct status and its chains' (a chain is ``covered`` only when both links are).
:func:`skipped_levels` flags chains where the plan answers one level but not the other.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import cast

from alignment.analysis.records import LevelCoverage, LevelLink, SkippedLevel, Tracing
from alignment.schema import LEVELS, DirectiveResult, Match, ParsedDocument, PlanUnitResult, Report, Status

#: Rank of each level from the top; ``unknown`` documents take no part in tracing.
LEVEL_RANK = {"central": 0, "provincial": 1, "municipal": 2, "district": 3}
#: Chained matches added to one directive at most (its direct ones are all kept).
MAX_VIA_MATCHES = 3
#: A higher directive answered in a lower document links to the lower directive under its best
#: passage, and under any other passage scoring at least this: the weak runners-up a report lists
#: for context must not become chains.
LINK_MIN_SCORE = 0.5
_ANSWERED = ("covered", "partial")
_STATUS_ORDER = {"covered": 3, "partial": 2, "missing": 1, "out_of_scope": 0}

#: ``align(upper_docs, [lower_doc]) -> Report``: the pipeline's alignment, without tracing.
AlignFn = Callable[[Sequence[ParsedDocument], Sequence[ParsedDocument]], Report]


def _rank(parsed: ParsedDocument) -> int | None:
    return LEVEL_RANK.get(parsed.document.meta.level)


def spans_levels(directive_docs: Sequence[ParsedDocument]) -> bool:
    """True when the directive documents hold at least two known levels."""
    return len({r for r in map(_rank, directive_docs) if r is not None}) >= 2


def _answering(matches: Sequence[Match]) -> list[Match]:
    """The passages that answer an answered directive: its best, and any other scoring LINK_MIN_SCORE+."""
    return [m for n, m in enumerate(matches) if n == 0 or m.score >= LINK_MIN_SCORE]


def level_links(report: Report, directive_docs: Sequence[ParsedDocument], align: AlignFn) -> list[LevelLink]:
    """Links from each higher-level directive to the lower-level directives that answer it.

    Each lower document is aligned with every document above it; a plan unit of the lower
    document that answers a higher directive is mapped back to the lower directives whose spans
    it overlaps (units and directives of one document index the same text).
    """
    by_doc: dict[str, list[DirectiveResult]] = defaultdict(list)
    for r in report.directives:
        by_doc[r.directive.unit.document].append(r)
    links: dict[tuple[str, str], LevelLink] = {}
    for lower in directive_docs:
        rank = _rank(lower)
        uppers = [d for d in directive_docs if (up := _rank(d)) is not None and rank is not None and up < rank]
        if not uppers or not by_doc.get(lower.document.id):
            continue
        sub = align(uppers, [lower])
        lower_dirs = by_doc[lower.document.id]
        for res in sub.directives:
            if res.status not in _ANSWERED:
                continue
            for m in _answering(res.matches):
                for d in lower_dirs:
                    u = d.directive.unit
                    if u.char_start < m.unit.char_end and m.unit.char_start < u.char_end:
                        key = (res.directive.id, d.directive.id)
                        status = res.status
                        old = links.get(key)
                        if old is None or m.score > old.score:
                            links[key] = LevelLink(upper=key[0], lower=key[1], score=round(float(m.score), 4),
                                                   status=status)
    return sorted(links.values(), key=lambda link: (link.upper, -link.score))


def apply_links(report: Report, links: Sequence[LevelLink], level_of: Mapping[str, str]) -> Report:
    """``report`` with chained matches (``via``) and upgraded statuses from ``links``.

    Lower levels are settled first, so a central directive reaches the plan through a provincial
    one that itself reaches it through a municipal one (``via`` lists both, top down).
    """
    results = {r.directive.id: r for r in report.directives}
    titles = {d.id: d.meta.title or d.id for d in report.documents}

    def label(did: str) -> str:  # 山东省老年人权益保障条例 第十五条: what a reader can look up
        unit = results[did].directive.unit
        return " ".join([titles.get(unit.document, unit.document), *unit.section_path[-1:]]).strip()

    down: dict[str, list[LevelLink]] = defaultdict(list)
    for link in links:
        down[link.upper].append(link)

    def rank(did: str) -> int:
        doc = results[did].directive.unit.document
        return LEVEL_RANK.get(level_of.get(doc, "unknown"), 9)

    for did in sorted(down, key=rank, reverse=True):
        res = results.get(did)
        if res is None:
            continue
        direct_units = {m.unit.id for m in res.matches}
        chained: list[Match] = []
        best_status: str = res.status
        best_conf = res.confidence
        via_ids = []
        for link in down[did]:
            lower = results.get(link.lower)
            if lower is None or lower.status not in _ANSWERED:
                continue
            chain_status = "covered" if link.status == "covered" and lower.status == "covered" else "partial"
            conf = round(min(link.score, lower.confidence), 4)
            if _STATUS_ORDER[chain_status] > _STATUS_ORDER[best_status] or (
                    chain_status == best_status and best_status not in _ANSWERED):
                best_status, best_conf = chain_status, conf
            via_ids.append(link.lower)
            for m in _answering(lower.matches):
                if m.unit.id in direct_units:
                    continue
                chained.append(Match(unit=m.unit, score=round(min(link.score, m.score), 4), evidence=m.evidence,
                                     via=(link.lower,) + m.via))
        if not via_ids:
            continue
        seen: set[str] = set()
        extra = []
        for m in sorted(chained, key=lambda m: -m.score):
            if m.unit.id not in seen:
                seen.add(m.unit.id)
                extra.append(m)
        note = res.note
        if best_status != res.status:
            note = (note + "；" if note else "") + "经由下级文件落实：" + "、".join(label(v) for v in via_ids[:3])
        results[did] = replace(res, status=cast(Status, best_status),
                               confidence=best_conf if best_status != res.status else res.confidence,
                               matches=res.matches + tuple(extra[:MAX_VIA_MATCHES]), note=note)
    directives = tuple(results[r.directive.id] for r in report.directives)
    return replace(report, directives=directives, plan_units=_plan_units(report.plan_units, directives))


def _plan_units(plan_units: Sequence[PlanUnitResult], directives: Sequence[DirectiveResult]) -> tuple[PlanUnitResult, ...]:
    """Plan units with the directives they reach through chains added to their links."""
    extra: dict[str, dict[str, float]] = defaultdict(dict)
    for r in directives:
        if r.status not in _ANSWERED:
            continue
        for m in r.matches:
            if m.via:
                extra[m.unit.id][r.directive.id] = max(m.score, extra[m.unit.id].get(r.directive.id, 0.0))
    out = []
    for p in plan_units:
        have = {d for d, _ in p.directives}
        more = [(d, s) for d, s in extra.get(p.unit.id, {}).items() if d not in have]
        out.append(replace(p, directives=tuple(sorted(p.directives + tuple(more), key=lambda x: -x[1]))) if more else p)
    return tuple(out)


def skipped_levels(before: Report, after: Report, links: Sequence[LevelLink]) -> list[SkippedLevel]:
    """Chains where the plan answers one level directly but not the other.

    ``before`` holds the direct verdicts, ``after`` the verdicts with chains applied. A higher
    directive answered directly whose lower restatement goes unanswered is ``lower_unanswered``;
    a lower restatement answered while the higher directive has no direct answer is
    ``upper_unanswered`` (the plan follows the lower wording only).
    """
    direct = {r.directive.id: r.status for r in before.directives}
    final = {r.directive.id: r.status for r in after.directives}
    out = []
    for link in links:
        up_direct = direct.get(link.upper) in _ANSWERED
        low = final.get(link.lower) in _ANSWERED
        if up_direct and not low:
            out.append(SkippedLevel(link.upper, link.lower, "lower_unanswered",
                                    "本规划直接落实上级要求，但未回应下级文件的细化规定"))
        elif low and not up_direct:
            out.append(SkippedLevel(link.upper, link.lower, "upper_unanswered",
                                    "本规划仅回应下级文件的表述，未直接回应上级要求"))
    return out


def level_coverage(before: Report, after: Report, level_of: Mapping[str, str]) -> list[LevelCoverage]:
    """Per level, from central down: directives answered directly, only through a chain, or not at all."""
    direct = {r.directive.id: r.status for r in before.directives}
    rows: dict[str, list[int]] = {}
    for r in after.directives:
        level = level_of.get(r.directive.unit.document, "unknown")
        row = rows.setdefault(level, [0, 0, 0, 0, 0])
        row[0] += 1
        if direct.get(r.directive.id) in _ANSWERED:
            row[1] += 1
        elif r.status in _ANSWERED:
            row[2] += 1
        elif r.status == "out_of_scope":
            row[4] += 1
        else:
            row[3] += 1
    return [LevelCoverage(level, *rows[level]) for level in LEVELS if level in rows]


def trace(report: Report, directive_docs: Sequence[ParsedDocument], align: AlignFn) -> tuple[Report, Tracing]:
    """The report with multi-level chains applied, and the :class:`Tracing` that explains them.

    With directive documents of a single level, the report comes back unchanged and the tracing
    holds only the coverage of that level.
    """
    level_of = {p.document.id: p.document.meta.level for p in directive_docs}
    if not spans_levels(directive_docs):
        return report, Tracing(coverage=tuple(level_coverage(report, report, level_of)))
    links = level_links(report, directive_docs, align)
    traced = apply_links(report, links, level_of)
    return traced, Tracing(links=tuple(links), skipped=tuple(skipped_levels(report, traced, links)),
                           coverage=tuple(level_coverage(report, traced, level_of)))
