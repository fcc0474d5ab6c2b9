"""Directive-to-plan alignment: candidates, features, calibrated scores, statuses and evidence."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
import re
from difflib import SequenceMatcher

import numpy as np

from alignment.align.features import METHODS, PairTable, Side, pair_features
from alignment.align.coverage import directive_features
from alignment.align.scorer import CoverageRule, PairScorer
from alignment.schema import Directive, DirectiveResult, Evidence, Match, PlanUnitResult, Unit

#: Matches kept per directive in a report (the best first).
MAX_MATCHES = 5
#: A clause shorter than this joins the one after it.
MIN_CLAUSE_CHARS = 8
_CLAUSE_END = re.compile(r"[。；;！？!?\n]+")


def clauses(text: str) -> list[str]:
    """The clauses of a directive (split after 。；！？ and at line breaks); short ones join the next.

    A directive of one clause is its own only clause."""
    parts = [p.strip() for p in _CLAUSE_END.split(text)]
    out: list[str] = []
    carry = ""
    for part in parts:
        if not part:
            continue
        part = carry + part
        if len(part) < MIN_CLAUSE_CHARS:
            carry = part + "，"
            continue
        carry = ""
        out.append(part)
    if carry and out:
        out[-1] += carry.rstrip("，")
    elif carry:
        out.append(carry.rstrip("，"))
    return out or [text]


@dataclass(frozen=True)
class Prepared:
    """Both sides tokenized and embedded, ready for any method."""

    directives: Sequence[Directive]
    units: Sequence[Unit]
    d_side: Side
    u_side: Side
    sub_side: Side


@dataclass
class Scored:
    """Pair probabilities of one run: ``proba`` aligned with ``pairs`` rows."""

    pairs: PairTable
    proba: np.ndarray
    extra: dict = field(default_factory=dict)


def prepare(
    directives: Sequence[Directive],
    units: Sequence[Unit],
    *,
    terms: Callable[[str], list[str]],
    bigrams: Callable[[str], list[str]],
    embed: Callable[[list[str], str], np.ndarray] | None,
    groups: Sequence[int] | None = None,
    u_side: Side | None = None,
) -> Prepared:
    """Tokenize and embed both sides. ``embed(texts, kind)`` returns (n, d) L2-normalised rows,
    with ``kind`` 'query' for directives and 'passage' for plan units; None skips the dense signal.
    ``u_side``: the units already prepared (by :func:`prepare_units`), reused as they are."""
    d_texts = [d.unit.text for d in directives]
    d_side = Side(
        texts=d_texts,
        contexts=[d.unit.context for d in directives],
        terms=[terms(t) for t in d_texts],
        bigrams=[bigrams(t) for t in d_texts],
        vectors=embed(d_texts, "query") if embed else None,
    )
    subs = [(i, c) for i, t in enumerate(d_texts) for c in clauses(t)]
    sub_texts = [c for _, c in subs]
    sub_side = Side(
        texts=sub_texts,
        contexts=[d_side.contexts[i] for i, _ in subs],
        terms=[terms(t) for t in sub_texts],
        bigrams=[bigrams(t) for t in sub_texts],
        vectors=embed(sub_texts, "query") if embed else None,
        parent=[i for i, _ in subs],
    )
    if u_side is None:
        u_side = prepare_units(units, terms=terms, bigrams=bigrams, embed=embed, groups=groups)
    return Prepared(directives=directives, units=units, d_side=d_side, u_side=u_side, sub_side=sub_side)


def prepare_units(
    units: Sequence[Unit],
    *,
    terms: Callable[[str], list[str]],
    bigrams: Callable[[str], list[str]],
    embed: Callable[[list[str], str], np.ndarray] | None,
    groups: Sequence[int] | None = None,
) -> Side:
    """The plan side alone, tokenized and embedded (see :func:`prepare`)."""
    u_texts = [u.text for u in units]
    return Side(
        texts=u_texts,
        contexts=[u.context for u in units],
        terms=[terms(t) for t in u_texts],
        bigrams=[bigrams(t) for t in u_texts],
        vectors=embed(u_texts, "passage") if embed else None,
        groups=groups,
    )


def score_pairs(prep: Prepared, scorer: PairScorer, *, method: str = "hybrid", k: int = 12,
                rev_reference: np.ndarray | None = None) -> Scored:
    """Candidate pairs of ``method`` and their calibrated probabilities (``rev_reference``: see
    :func:`~alignment.align.features.pair_features`)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    table = pair_features(prep.d_side, prep.u_side, sub=prep.sub_side, method=method, k=k, rev_reference=rev_reference)
    return Scored(pairs=table, proba=scorer.predict_proba(table.X))


def ranked_matches(scored: Scored, n_directives: int) -> list[list[tuple[int, float]]]:
    """Per directive, (unit index, probability) pairs best first."""
    out: list[list[tuple[int, float]]] = [[] for _ in range(n_directives)]
    for i, j, p in zip(scored.pairs.d_idx, scored.pairs.u_idx, scored.proba):
        out[int(i)].append((int(j), float(p)))
    for lst in out:
        lst.sort(key=lambda x: -x[1])
    return out


def evidence(d_text: str, u_text: str, d_terms: Sequence[str], u_terms: Sequence[str], idf: Callable[[str], float]) -> Evidence:
    """Shared terms (rarest first) and where they, and the longest shared run of text, sit in each text."""
    shared = sorted(set(d_terms) & set(u_terms), key=lambda t: (-idf(t), t))
    shared = [t for t in shared if len(t) > 1][:10]
    d_spans, u_spans = _term_spans(d_text, shared), _term_spans(u_text, shared)
    m = SequenceMatcher(None, d_text, u_text, autojunk=False).find_longest_match(0, len(d_text), 0, len(u_text))
    if m.size >= 4:
        d_spans.append((m.a, m.a + m.size))
        u_spans.append((m.b, m.b + m.size))
    return Evidence(shared_terms=tuple(shared), directive_spans=_merge(d_spans), unit_spans=_merge(u_spans))


def _term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    spans = []
    for t in terms:
        start = text.find(t)
        while start >= 0:
            spans.append((start, start + len(t)))
            start = text.find(t, start + len(t))
    return spans


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def coverage_proba(prep: Prepared, scored: Scored, rule: CoverageRule,
                   ranked: list[list[tuple[int, float]]] | None = None,
                   run_reference: np.ndarray | None = None) -> np.ndarray:
    """(n_directives,) probability that each directive is answered in the plan, in [0, 1]."""
    if ranked is None:
        ranked = ranked_matches(scored, len(prep.directives))
    F, _ = directive_features(prep.directives, scored.pairs.d_idx, scored.pairs.X, scored.pairs.names, ranked,
                              run_reference=run_reference)
    return rule.predict_proba(F) if len(F) else np.zeros(0)


def decide(
    prep: Prepared,
    scored: Scored,
    rule: CoverageRule,
    *,
    idf: Callable[[str], float],
    out_of_scope: Sequence[bool] | None = None,
    max_matches: int = MAX_MATCHES,
    run_reference: np.ndarray | None = None,
) -> tuple[list[DirectiveResult], list[PlanUnitResult]]:
    """Statuses, confidences and evidence for every directive; the reverse map for plan units.

    A directive's confidence is the probability of its status being right under the calibrated
    coverage model: P(answered) for covered/partial, one minus it for missing and out_of_scope.
    ``run_reference``: the best pair probabilities of a run's other directives, when ``prep`` holds
    only a few directives to be judged as members of that run (a query).
    """
    ranked = ranked_matches(scored, len(prep.directives))
    answered_p = coverage_proba(prep, scored, rule, ranked, run_reference)
    results: list[DirectiveResult] = []
    reverse: list[list[tuple[str, float]]] = [[] for _ in prep.units]
    bar = rule.pair_bar_
    floor = bar / 2
    for i, d in enumerate(prep.directives):
        p_answered = float(answered_p[i])
        status = rule.status(p_answered)
        if status == "missing" and out_of_scope is not None and out_of_scope[i]:
            status = "out_of_scope"
        answered = status in ("covered", "partial")
        if answered:
            # The three best always (the reviewer checks them), then any others that pass the bar.
            keep = ranked[i][:3] + [(j, p) for j, p in ranked[i][3:max_matches] if p >= bar]
        else:
            keep = [(j, p) for j, p in ranked[i][:max_matches] if p >= floor]
        matches = tuple(
            Match(
                unit=prep.units[j],
                score=round(p, 4),
                evidence=evidence(
                    d.unit.text, prep.units[j].text, prep.d_side.terms[i], prep.u_side.terms[j], idf
                ),
            )
            for j, p in keep
        )
        if answered:
            for j, p in keep:
                if p >= bar:
                    reverse[j].append((d.id, round(p, 4)))
        confidence = p_answered if answered else 1.0 - p_answered
        results.append(DirectiveResult(directive=d, status=status, confidence=round(float(confidence), 4), matches=matches))
    plan = [
        PlanUnitResult(unit=u, directives=tuple(sorted(reverse[j], key=lambda x: -x[1])))
        for j, u in enumerate(prep.units)
    ]
    return results, plan
