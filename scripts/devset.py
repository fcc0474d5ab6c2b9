"""The labelled development set: loading, locating keys in extracted text, and scoring reports.

Cases come from ``../shared/devset/dev_gold*.json`` (198 hand-judged directives over four pairs) and
``corpus/labels/dev_gold_*.json`` (pairs this project labelled the same way). Scoring follows
``../shared/devset/README.md``: a gold directive is found in a report by text (the report directive
whose text contains the key, whitespace ignored); it is predicted implemented when its status is
covered or partial, and a correct hit when one of its three best matches overlaps a gold plan key.
Gaps are scored the same way (missing or out_of_scope against degree none); a directive the report
never extracted counts against both.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED_DEVSET = ROOT.parent / "shared" / "devset"
LABELS = ROOT / "corpus" / "labels"
CORPUS = ROOT / "corpus"

_WS = re.compile(r"[\s\u3000\u200b\ufeff]+")

#: Plan scope of cases whose plan is only part of a document (section heading patterns), as their
#: ``scope`` text says.
PLAN_SCOPE = {
    "dev-19th-congress-part8-to-2021-gwr": ["三、2021年重点工作"],
}
#: Directive scope, likewise (only these parts' directives are judged; the others are still aligned).
DIRECTIVE_SCOPE = {
    "dev-19th-congress-part8-to-2021-gwr": ["八、提高保障和改善民生水平"],
    "dev-19th-congress-part5-to-2018-no1-document": ["五、贯彻新发展理念"],
}


@dataclass(frozen=True)
class GoldDirective:
    key: str
    label: str
    file: Path
    degree: str
    implemented_by: tuple[tuple[Path, str], ...]


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    directive_files: tuple[Path, ...]
    plan_files: tuple[Path, ...]
    directives: tuple[GoldDirective, ...]
    plan_scope: tuple[str, ...] = ()
    directive_scope: tuple[str, ...] = ()


def _path(p: str) -> Path:
    return CORPUS / p.split("shared/corpus/", 1)[1]


def load_cases(files: list[Path] | None = None) -> list[Case]:
    """Every case of the given gold files (default: the shared dev set and corpus/labels)."""
    if files is None:
        files = sorted(SHARED_DEVSET.glob("dev_gold*.json")) + sorted(LABELS.glob("dev_gold*.json"))
    cases = []
    for f in files:
        data = json.loads(Path(f).read_text(encoding="utf-8"))
        for c in data["cases"]:
            cases.append(
                Case(
                    name=c["name"],
                    source=Path(f).name,
                    directive_files=tuple(_path(p) for p in c["directive_files"]),
                    plan_files=tuple(_path(p) for p in c["plan_files"]),
                    directives=tuple(
                        GoldDirective(
                            key=d["key"],
                            label=d["label"],
                            file=_path(d["file"]),
                            degree=d["degree"],
                            implemented_by=tuple((_path(i["file"]), i["key"]) for i in d["implemented_by"]),
                        )
                        for d in c["directives"]
                    ),
                    plan_scope=tuple(PLAN_SCOPE.get(c["name"], ())),
                    directive_scope=tuple(DIRECTIVE_SCOPE.get(c["name"], ())),
                )
            )
    return cases


def strip_ws(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and for each kept character its index in ``text``."""
    kept, index = [], []
    for i, ch in enumerate(text):
        if not _WS.match(ch):
            kept.append(ch)
            index.append(i)
    return "".join(kept), index


def locate(text: str, key: str, _cache: dict = {}) -> tuple[int, int] | None:
    """Span of ``key`` in ``text`` with whitespace ignored, as offsets into ``text``; None if absent."""
    k = id(text)
    if k not in _cache or _cache[k][0] is not text:
        _cache[k] = (text, strip_ws(text))
    stripped, index = _cache[k][1]
    pos = stripped.find(_WS.sub("", key))
    if pos < 0:
        return None
    return index[pos], index[pos + len(_WS.sub("", key)) - 1] + 1


@dataclass(frozen=True)
class Outcome:
    """How one gold directive fared in a report."""

    case: str
    label: str
    degree: str
    found: bool
    predicted: str  # status, or '' when not found
    hit: bool  # a gold passage among the three best matches
    hit_any: bool  # a gold passage among all matches
    rank: int  # rank (1-based) of the first gold passage among the matches, 0 if none


def score_case(case: Case, results, texts: dict[str, str], doc_ids: dict[Path, str]) -> list[Outcome]:
    """Outcomes of ``case`` given DirectiveResults, document texts by id, and document ids by path."""
    by_doc: dict[str, list] = {}
    for r in results:
        by_doc.setdefault(r.directive.unit.document, []).append(r)
    outcomes = []
    for g in case.directives:
        doc_id = doc_ids[g.file.resolve()]
        key = _WS.sub("", g.key)
        match = next((r for r in by_doc.get(doc_id, []) if key in _WS.sub("", r.directive.unit.text)), None)
        if match is None:
            outcomes.append(Outcome(case.name, g.label, g.degree, False, "", False, False, 0))
            continue
        gold_spans = []
        for f, k in g.implemented_by:
            pid = doc_ids[f.resolve()]
            span = locate(texts[pid], k)
            if span is not None:
                gold_spans.append((pid, span))
        rank = 0
        for n, m in enumerate(match.matches, 1):
            u = m.unit
            if any(pid == u.document and s < u.char_end and u.char_start < e for pid, (s, e) in gold_spans):
                rank = n
                break
        outcomes.append(Outcome(case.name, g.label, g.degree, True, match.status, 0 < rank <= 3, rank > 0, rank))
    return outcomes


def f1_table(outcomes: list[Outcome]) -> dict[str, float]:
    """Directive-level and gap precision/recall/F1 over outcomes, as the dev set README defines them."""
    impl_pred = [o for o in outcomes if o.found and o.predicted in ("covered", "partial")]
    impl_gold = [o for o in outcomes if o.degree != "none"]
    tp = sum(1 for o in impl_pred if o.degree != "none" and o.hit)
    p = tp / max(len(impl_pred), 1)
    r = tp / max(len(impl_gold), 1)
    gap_pred = [o for o in outcomes if o.found and o.predicted in ("missing", "out_of_scope")]
    gap_gold = [o for o in outcomes if o.degree == "none"]
    tpg = sum(1 for o in gap_pred if o.degree == "none")
    pg = tpg / max(len(gap_pred), 1)
    rg = tpg / max(len(gap_gold), 1)
    return {
        "directives": len(outcomes),
        "found": sum(o.found for o in outcomes),
        "impl_p": p, "impl_r": r, "impl_f1": 2 * p * r / max(p + r, 1e-12),
        "gap_p": pg, "gap_r": rg, "gap_f1": 2 * pg * rg / max(pg + rg, 1e-12),
        "hit_at3": sum(o.hit for o in impl_gold) / max(len(impl_gold), 1),
    }


# --------------------------------------------------------------------------------------------
# Features and labels of a case, through the real pipeline (alignment.pipeline).

_WSK = re.compile(r"[\s\u3000\u200b\ufeff]+")


@dataclass
class CaseData:
    case: Case
    prep: object  # alignment.align.Prepared
    texts: dict  # document id -> normalized text
    ids: dict  # resolved path -> document id
    gold_of: dict  # directive index -> gold directive index
    spans: dict  # directive index -> [(document id, (start, end))] of gold plan keys


def build_case(case: Case, engine) -> CaseData:
    """Parse a case's documents, cut units within its scopes, tokenize and embed them."""
    from alignment.manifest import Entry
    from alignment.pipeline import collect_units, parse_entry

    parsed = {}
    for f in case.directive_files + case.plan_files:
        parsed[f.resolve()] = parse_entry(Entry(path=f.resolve()))
    d_docs = [parsed[f.resolve()] for f in case.directive_files]
    p_docs = [parsed[f.resolve()] for f in case.plan_files]
    directives, units = collect_units(d_docs, p_docs, scope=case.plan_scope, directive_scope=case.directive_scope)
    prep = engine.prepare(directives, units)
    texts = {p.document.id: p.document.text for p in parsed.values()}
    ids = {k: p.document.id for k, p in parsed.items()}
    gold_of, spans = {}, {}
    for gi, g in enumerate(case.directives):
        key = _WSK.sub("", g.key)
        for i, d in enumerate(prep.directives):
            if d.unit.document == ids[g.file.resolve()] and key in _WSK.sub("", d.unit.text):
                gold_of[i] = gi
                break
    for i, gi in gold_of.items():
        sp = []
        for f, k in case.directives[gi].implemented_by:
            pid = ids[f.resolve()]
            s = locate(texts[pid], k)
            if s is not None:
                sp.append((pid, s))
        spans[i] = sp
    return CaseData(case, prep, texts, ids, gold_of, spans)


def pair_labels(data: CaseData, table) -> tuple[np.ndarray, np.ndarray]:
    """(y, labelled): y=1 where the unit overlaps a gold key of the directive; labelled marks pairs
    whose directive is judged in the gold set (only those train and evaluate)."""
    y = np.zeros(len(table.d_idx), dtype=int)
    labelled = np.zeros(len(table.d_idx), dtype=bool)
    units = data.prep.units
    for m, (i, j) in enumerate(zip(table.d_idx, table.u_idx)):
        sp = data.spans.get(int(i))
        if sp is None:
            continue
        labelled[m] = True
        u = units[j]
        y[m] = any(pid == u.document and s < u.char_end and u.char_start < e for pid, (s, e) in sp)
    return y, labelled


def directive_targets(data: CaseData, table, proba) -> tuple[list, list, list, list]:
    """Per judged directive: best probability, gold implemented, top-3 hit, gold full."""
    from alignment.align import Scored, ranked_matches

    y, _ = pair_labels(data, table)
    pos = {(int(i), int(j)) for i, j, v in zip(table.d_idx, table.u_idx, y) if v}
    ranked = ranked_matches(Scored(table, proba), len(data.prep.directives))
    best, impl, hit, full = [], [], [], []
    for i, gi in data.gold_of.items():
        g = data.case.directives[gi]
        best.append(ranked[i][0][1] if ranked[i] else 0.0)
        impl.append(g.degree != "none")
        full.append(g.degree == "full")
        hit.append(any((i, j) in pos for j, _ in ranked[i][:3]))
    return best, impl, hit, full


def coverage_targets(data: CaseData, table, proba):
    """Per judged directive: directive features (F, names) and the targets of
    :func:`directive_targets` (best, implemented, hit, full), as arrays."""
    from alignment.align import Scored, ranked_matches
    from alignment.align.coverage import directive_features

    ranked = ranked_matches(Scored(table, proba), len(data.prep.directives))
    F, names = directive_features(data.prep.directives, table.d_idx, table.X, table.names, ranked)
    rows = list(data.gold_of)
    best, impl, hit, full = (np.array(v) for v in directive_targets(data, table, proba))
    return F[rows], names, best, impl, hit, full


def recall_at(data: CaseData, table, proba, n: int = 5) -> tuple[int, int]:
    """(hits, judged implemented directives): a gold passage among the n best-scored units (query)."""
    from alignment.align import Scored, ranked_matches

    y, _ = pair_labels(data, table)
    pos = {(int(i), int(j)) for i, j, v in zip(table.d_idx, table.u_idx, y) if v}
    ranked = ranked_matches(Scored(table, proba), len(data.prep.directives))
    hits = total = 0
    for i, gi in data.gold_of.items():
        if data.case.directives[gi].degree == "none":
            continue
        total += 1
        hits += any((i, j) in pos for j, _ in ranked[i][:n])
    return hits, total
