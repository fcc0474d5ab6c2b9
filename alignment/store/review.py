"""Reviewers' decisions and how they override the machine's verdicts in a :class:`~alignment.schema.Report`.

A decision is about one directive, and about one of its links when ``unit_id`` is set:

========================  ===================================================================
``accept``  (link)        the plan unit does implement the directive
``reject``  (link)        it does not: the link leaves the report's lists (kept in the JSON, marked)
``add``     (link)        a plan unit the machine did not propose implements the directive
``out_of_scope``          the directive needs no implementation in this plan (不适用)
``comment``               a remark only; it changes nothing else
``clear``                 withdraws the link decision (or, without a unit, the ``out_of_scope``)
========================  ===================================================================

Decisions are kept as an append-only log; the latest per (directive, unit) is in force, and every
comment is kept. Each decision records a fingerprint of the directive's text and of the unit's
text as the reviewer saw them. When either text has changed since, the decision is *suspect*: it
is shown, marked, but no longer changes the status until someone decides again.

How the status is derived (:func:`apply_decisions`), from the decisions in force and not suspect:

1. ``out_of_scope`` on the directive: 不适用.
2. an accepted or added link: the machine's status if it was covered or partial, else covered.
3. every machine link rejected and none accepted or added: missing.
4. otherwise the machine's status stands.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from alignment.schema import DirectiveResult, Match, PlanUnitResult, Report, Review, Unit

#: Every action a decision may take; link actions need a ``unit_id``.
ACTIONS: tuple[str, ...] = ("accept", "reject", "add", "out_of_scope", "comment", "clear")
LINK_ACTIONS: tuple[str, ...] = ("accept", "reject", "add")
ACTION_NAMES_ZH = {
    "accept": "采纳",
    "reject": "驳回",
    "add": "人工添加",
    "out_of_scope": "不适用",
    "comment": "意见",
    "clear": "撤销",
}

_SPACE = re.compile(r"[\s\u3000]+")


def fingerprint(text: str) -> str:
    """A short hash of ``text`` with all whitespace removed: changes when the words change, not the layout."""
    return hashlib.sha1(_SPACE.sub("", text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Decision:
    """One reviewer decision (a row of the store's append-only ``decisions`` log).

    ``directive_fp``/``unit_fp`` fingerprint the texts the reviewer saw (:func:`fingerprint`);
    ``directive_text``/``unit_text`` keep those texts, to show what changed when a decision turns
    suspect. ``score`` is the link's machine score when decided (None for an added link).
    """

    directive_id: str
    action: str
    reviewer: str
    unit_id: str = ""
    comment: str = ""
    time: str = ""
    directive_fp: str = ""
    unit_fp: str = ""
    directive_text: str = ""
    unit_text: str = ""
    score: float | None = None
    run_id: int | None = None
    id: int = 0

    @property
    def key(self) -> tuple[str, str]:
        """What the decision is about: (directive id, unit id or '')."""
        return (self.directive_id, self.unit_id)


def in_force(decisions: Iterable[Decision]) -> dict[tuple[str, str], Decision]:
    """The latest state-changing decision per (directive, unit), ``clear`` and ``comment`` left out.

    ``decisions`` may come in any order; ``id`` (the log position) decides which is latest.
    """
    latest: dict[tuple[str, str], Decision] = {}
    for d in sorted(decisions, key=lambda d: d.id):
        if d.action == "comment":
            continue
        latest[d.key] = d
    return {k: d for k, d in latest.items() if d.action != "clear"}


def is_suspect(decision: Decision, directive_text: str, unit_text: str | None) -> bool:
    """True when the directive's text, or the linked unit's text, differs from what the reviewer saw."""
    if decision.directive_fp and decision.directive_fp != fingerprint(directive_text):
        return True
    if decision.unit_id and decision.unit_fp:
        return unit_text is None or decision.unit_fp != fingerprint(unit_text)
    return False


def _review(d: Decision, *, suspect: bool, machine_status: str = "") -> Review:
    return Review(decision=d.action, reviewer=d.reviewer, time=d.time, comment=d.comment, suspect=suspect,
                  machine_status=machine_status)


def _note_line(d: Decision, units: dict[str, Unit]) -> str:
    """``张三（采纳 第三章 第四十一条）：意见`` for the report's note."""
    what = ACTION_NAMES_ZH.get(d.action, d.action)
    unit = units.get(d.unit_id)
    if unit is not None:
        what += " " + (" ".join(unit.section_path) or unit.id)
    line = f"{d.reviewer}（{what}）"
    return f"{line}：{d.comment}" if d.comment else line


def apply_decisions(report: Report, decisions: Sequence[Decision]) -> Report:
    """``report`` with the decisions applied: statuses overridden, links marked, added and re-ordered.

    Per directive: matches come accepted and added first, then the unreviewed ones in machine order,
    rejected last (every renderer but JSON leaves rejected links out). ``reviewed`` is true when a
    decision in force applies; ``review`` holds the latest decision about the directive (with the
    machine's status); ``note`` gets one line per decision that carries a comment, or changed the
    status, oldest first. Plan units list the directives they implement after the decisions.
    Decisions about directives not in the report are ignored (they stay in the store).
    """
    if not decisions:
        return report
    plan_units = {p.unit.id: p.unit for p in report.plan_units}
    for r in report.directives:
        for m in r.matches:
            plan_units.setdefault(m.unit.id, m.unit)
    by_directive: dict[str, list[Decision]] = {}
    for d in sorted(decisions, key=lambda d: d.id):
        by_directive.setdefault(d.directive_id, []).append(d)

    results: list[DirectiveResult] = []
    link_changes: dict[str, dict[str, float | None]] = {}  # directive id -> unit id -> score (None: removed)
    for result in report.directives:
        log = by_directive.get(result.directive.id)
        if not log:
            results.append(result)
            continue
        text = result.directive.unit.text
        force = in_force(log)
        suspect = {k: is_suspect(d, text, plan_units[d.unit_id].text if d.unit_id in plan_units else None)
                   for k, d in force.items()}
        applied = {k: d for k, d in force.items() if not suspect[k]}

        matches: list[Match] = []
        known = set()
        for m in result.matches:
            known.add(m.unit.id)
            d = force.get((result.directive.id, m.unit.id))
            matches.append(replace(m, review=_review(d, suspect=suspect[d.key])) if d else m)
        for (_, unit_id), d in force.items():
            if d.action in ("accept", "add") and unit_id and unit_id not in known:
                unit = plan_units.get(unit_id)
                if unit is None:  # the unit is gone from the plan: nothing to show it against
                    continue
                matches.append(Match(unit=unit, score=float(d.score or 0.0), review=_review(d, suspect=suspect[d.key])))

        def order(m: Match) -> int:
            if m.review is None or m.review.suspect:
                return 1
            return {"accept": 0, "add": 0, "reject": 2}.get(m.review.decision, 1)

        matches.sort(key=order)  # stable: machine order within each group

        status = result.status
        confirmed = [d for d in applied.values() if d.action in ("accept", "add")]
        rejected = {d.unit_id for d in applied.values() if d.action == "reject"}
        if (result.directive.id, "") in applied and applied[(result.directive.id, "")].action == "out_of_scope":
            status = "out_of_scope"
        elif confirmed:
            status = result.status if result.status in ("covered", "partial") else "covered"
        elif result.matches and result.status in ("covered", "partial") and known <= rejected:
            status = "missing"

        changes: dict[str, float | None] = {}
        for m in matches:
            if m.review is not None and not m.review.suspect:
                changes[m.unit.id] = None if m.review.decision == "reject" else float(m.score)
        if status in ("missing", "out_of_scope"):
            changes.update({m.unit.id: None for m in matches})
        link_changes[result.directive.id] = changes

        latest = log[-1]
        notes = [result.note] if result.note else []
        notes += [_note_line(d, plan_units) for d in log if d.comment or d.action != "comment"]
        results.append(
            replace(
                result,
                status=status,
                matches=tuple(matches),
                reviewed=result.reviewed or bool(applied) or any(d.action == "comment" for d in log),
                note="\n".join(notes),
                review=_review(latest, suspect=any(suspect.values()), machine_status=result.status),
            )
        )

    plan = []
    for p in report.plan_units:
        links = {did: score for did, score in p.directives}
        for did, changes in link_changes.items():
            if p.unit.id in changes:
                score = changes[p.unit.id]
                if score is None:
                    links.pop(did, None)
                else:
                    links[did] = links.get(did, score)
        plan.append(PlanUnitResult(unit=p.unit, directives=tuple(sorted(links.items(), key=lambda x: -x[1]))))
    return replace(report, directives=tuple(results), plan_units=tuple(plan))


#: Values of the "reviewer decision" filter (web UI and ``policy-align review list``), with their names.
DECISION_FILTERS = {
    "": "全部",
    "unreviewed": "未复核",
    "reviewed": "已复核",
    "accept": "有采纳的条款",
    "reject": "有驳回的条款",
    "add": "有人工添加的条款",
    "out_of_scope": "人工标为不适用",
    "comment": "有意见",
    "suspect": "存疑（原文已改）",
}


def decision_matches(result: DirectiveResult, decision: str) -> bool:
    """Whether a reviewed directive passes the ``decision`` filter (a key of :data:`DECISION_FILTERS`)."""
    if not decision:
        return True
    reviews = [m.review for m in result.matches if m.review is not None]
    if result.review is not None:
        reviews.append(result.review)
    if decision == "unreviewed":
        return not result.reviewed and result.review is None
    if decision == "reviewed":
        return result.reviewed
    if decision == "suspect":
        return any(r.suspect for r in reviews)
    if decision == "comment":
        return any(r.comment for r in reviews)
    if decision == "out_of_scope":
        return result.review is not None and result.status == "out_of_scope" \
            and result.review.machine_status != "out_of_scope"
    return any(r.decision == decision and not r.suspect for r in reviews)


def filter_directives(report: Report, *, status: str = "", decision: str = "", document: str = "",
                      text: str = "") -> Report:
    """``report`` with only the directives that pass every given filter: ``status`` (a status code),
    ``decision`` (a key of :data:`DECISION_FILTERS`), ``document`` (a document id) and ``text``
    (found in the directive's text or a shown match's). Everything else is kept as it was."""
    def keep(r: DirectiveResult) -> bool:
        if status and r.status != status:
            return False
        if document and r.directive.unit.document != document:
            return False
        if text and text not in r.directive.unit.text and not any(text in m.unit.text for m in r.matches):
            return False
        return decision_matches(r, decision)

    return replace(report, directives=tuple(r for r in report.directives if keep(r)))
