"""The pipeline, stage by stage: extract -> structure -> units -> segment/embed -> align -> coverage.

Nothing more lives here: each stage is a function of its own module, and this module only wires
them. The CLI, the evaluation scripts and the benchmarks all run this same code.
"""
from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from alignment.errors import AlignmentError, ConfigError
from alignment.manifest import Entry, bundled_corpus, expand_inputs
from alignment.schema import Directive, DirectiveResult, Document, Failure, ParsedDocument, Report, Unit

log = logging.getLogger(__name__)

DEFAULT_EMBEDDER = "e5-small"
DEFAULT_METHOD = "hybrid"
#: Candidate plan units per directive and signal.
DEFAULT_K = 12
#: The embedding prefix used for both sides: directives and plan text are compared as peers.
EMBED_KIND = "passage"

_WS = re.compile(r"\s+")


def parse_path(path: str | Path, *, level: str | None = None, role: str | None = None,
               ocr: str = "auto") -> ParsedDocument:
    """Extract one file and parse its section tree (``ocr``: see :data:`alignment.schema.OCR_MODES`)."""
    from alignment.ingest import extract
    from alignment.structure import parse

    return parse(extract(path, level=level, role=role, ocr=ocr))


def parse_entry(entry: Entry) -> ParsedDocument:
    """Extract and parse a manifest entry, with the entry's facts overriding what the text suggests."""
    parsed = parse_path(entry.path, level=entry.level or None, role=entry.role or None, ocr=entry.ocr)
    doc = parsed.document
    meta = replace(
        doc.meta,
        title=entry.title or doc.meta.title,
        issuer=entry.issuer or doc.meta.issuer,
        date=entry.date or doc.meta.date,
        doc_number=entry.doc_number or doc.meta.doc_number,
    )
    return replace(parsed, document=replace(doc, meta=meta))


def parse_entries(entries: Sequence[Entry], progress: Callable[[str], None] | None = None) -> tuple[list[ParsedDocument], list[Failure]]:
    """Parse every entry; a file that fails becomes a :class:`Failure`, the rest go on."""
    parsed, failures = [], []
    for e in entries:
        if progress:
            progress(e.path.name)
        try:
            parsed.append(parse_entry(e))
        except AlignmentError as exc:
            failures.append(Failure(path=str(e.path), message=str(exc)))
    return parsed, failures


def in_scope(path: Sequence[str], patterns: Sequence[str]) -> bool:
    """True when ``patterns`` is empty or one of them occurs (whitespace ignored) in a path element."""
    if not patterns:
        return True
    elems = [_WS.sub("", p) for p in path]
    return any(any(_WS.sub("", pat) in e for e in elems) for pat in patterns)


@dataclass
class Timings:
    """Seconds spent per stage of one run."""

    stages: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds


class Engine:
    """What one run loads once and reuses: segmenter, embedder, scorer.

    ``embedder``: a name for :func:`alignment.embed.get_embedder` ('e5-small', 'lexical', 'st:…').
    ``cache``: the embedding cache, or None for the default on-disk cache; ``False`` disables it.
    """

    def __init__(self, *, embedder: str = DEFAULT_EMBEDDER, method: str = DEFAULT_METHOD,
                 scorer_path: Path | None = None, cache=None) -> None:
        from alignment.align.features import METHODS

        if method not in METHODS:
            raise ConfigError(f"未知的评分方法 --method {method!r}：可选 {'、'.join(METHODS)}。")
        self.embedder_name = embedder
        self.method = method
        self.scorer_path = scorer_path
        self.cache = cache
        self._segmenter = None
        self._embedder = None
        self._models = None
        self._memo = None
        self.timings = Timings()
        #: Called as ``on_embed(done, total)`` while texts are embedded (the CLI's progress bar).
        self.on_embed: Callable[[int, int], None] | None = None

    @property
    def segmenter(self):
        if self._segmenter is None:
            from alignment.segment import Segmenter

            self._segmenter = Segmenter()
        return self._segmenter

    @property
    def embedder(self):
        if self._embedder is None:
            from alignment.embed import get_embedder

            self._embedder = get_embedder(self.embedder_name)
        return self._embedder

    def models(self):
        """(PairScorer, CoverageRule, metadata) for this engine's method."""
        if self._models is None:
            from alignment.align.scorer import SCORER_FILE, load_models
            from alignment.segment import models_dir

            path = self.scorer_path or models_dir() / SCORER_FILE
            self._models = load_models(Path(path), self.method)
            trained_with = self._models[2].get("embedder")
            if self.method in ("dense", "hybrid") and trained_with and trained_with != self.embedder_name:
                log.warning("评分权重是用向量模型 %s 校准的，不是 %s：分数可能有偏差；"
                            "请用 scripts/train_scorer.py --embedder %s 重新校准",
                            trained_with, self.embedder_name, self.embedder_name)
        return self._models

    def embed(self, texts: list[str], kind: str) -> np.ndarray:
        t = time.perf_counter()
        kwargs: dict = {} if self.cache is None else {"cache": self.cache}
        if self.on_embed is not None:
            done = [0]

            def step(n: int) -> None:
                done[0] += n
                self.on_embed(done[0], len(texts))

            kwargs["progress"] = step
        vecs = self.embedder.embed(texts, kind=EMBED_KIND, **kwargs)
        self.timings.add("embed", time.perf_counter() - t)
        return vecs

    @property
    def memo(self):
        """The memo of tokens and pair features (:mod:`alignment.memo`), or None when caching is
        off (``cache=False``) or its file cannot be opened."""
        if self._memo is None and self.cache is not False:
            from alignment.memo import Memo
            from alignment.segment import default_cache_dir

            try:
                self._memo = Memo(default_cache_dir() / "memo.db")
            except (OSError, sqlite3.Error) as exc:
                log.warning("无法使用分词与特征缓存（%s）：每次运行都将重新计算", exc)
                self._memo = False
        return self._memo or None

    def _terms(self, texts: Sequence[str]):
        """``segmenter.terms`` for ``texts`` through the memo, as a function of one text."""
        from alignment.memo import memo_terms

        seg = self.segmenter
        table = memo_terms(self.memo, seg.fingerprint(), texts, seg.terms)
        return lambda text: table[text] if text in table else seg.terms(text)

    def prepare(self, directives, units, *, u_side=None):
        """Tokenize and embed both sides (see :func:`alignment.align.prepare`); ``u_side``: the
        units as :meth:`prepare_units` made them, reused."""
        from alignment.align import clauses, prepare
        from alignment.units import article_groups

        seg = self.segmenter
        t = time.perf_counter()
        embed_before = self.timings.stages.get("embed", 0.0)
        texts = [d.unit.text for d in directives]
        texts += [c for text in texts for c in clauses(text)]
        if u_side is None:
            texts += [u.text for u in units]
        prep = prepare(directives, units, terms=self._terms(texts), bigrams=seg.bigrams, embed=self._dense_embed(),
                       groups=None if u_side is not None else article_groups(units), u_side=u_side)
        embedded = self.timings.stages.get("embed", 0.0) - embed_before
        self.timings.add("segment", time.perf_counter() - t - embedded)
        return prep

    def prepare_units(self, units):
        """The plan side alone, tokenized and embedded (see :func:`alignment.align.prepare_units`)."""
        from alignment.align import prepare_units
        from alignment.units import article_groups

        seg = self.segmenter
        return prepare_units(units, terms=self._terms([u.text for u in units]), bigrams=seg.bigrams,
                             embed=self._dense_embed(), groups=article_groups(units))

    def score_pairs(self, prep, scorer, *, k: int = DEFAULT_K):
        """Candidate pairs and their probabilities (:func:`alignment.align.score_pairs`), with the
        pair features taken from the memo when the same inputs were scored before."""
        from alignment.align import Scored, score_pairs
        from alignment.align.features import PairTable, pair_features

        memo = self.memo
        if memo is None:
            return score_pairs(prep, scorer, method=self.method, k=k)
        from alignment import memo as m
        from alignment.align import features, lexical, lexicon

        def side(s):
            groups = "" if s.groups is None else ",".join(map(str, s.groups))
            parent = "" if s.parent is None else ",".join(map(str, s.parent))
            return m.digest("\x1f".join(s.texts), "\x1f".join(s.contexts), groups, parent)

        key = m.digest(self.method, str(k), self.embedder_name, self.segmenter.fingerprint(),
                       m.code_digest(features, lexical, lexicon), side(prep.d_side), side(prep.sub_side),
                       side(prep.u_side))
        hit = memo.get("pairs", key)
        if hit is not None:
            a = m.unpack_arrays(hit)
            table = PairTable(d_idx=a["d_idx"], u_idx=a["u_idx"], X=a["X"], names=tuple(a["names"].tolist()))
        else:
            table = pair_features(prep.d_side, prep.u_side, sub=prep.sub_side, method=self.method, k=k)
            memo.put("pairs", key, m.pack_arrays(d_idx=table.d_idx, u_idx=table.u_idx, X=table.X,
                                                  names=np.array(table.names)))
        return Scored(pairs=table, proba=scorer.predict_proba(table.X))

    def _dense_embed(self):
        return self.embed if self.method in ("dense", "hybrid") else None


def collect_units(directive_docs: Sequence[ParsedDocument], plan_docs: Sequence[ParsedDocument], *,
                  scope: Sequence[str] = (), directive_scope: Sequence[str] = ()):
    """Directives of the directive documents and units of the plan documents, filtered by scope."""
    from alignment.units import directive_units, plan_units

    directives = [d for p in directive_docs for d in directive_units(p) if in_scope(d.unit.section_path, directive_scope)]
    units = [u for p in plan_docs for u in plan_units(p) if in_scope(u.section_path, scope)]
    return directives, units


def out_of_scope_flags(prep, is_policy_term: Callable[[str], bool]) -> list[bool]:
    """A directive is out of scope when none of its policy-dictionary terms occurs anywhere in the plan.

    Such a directive is about a field the plan does not address at all (e.g. pension insurance in a
    municipal elderly-care services regulation); it is reported apart from the real gaps.
    """
    plan_terms = set().union(*map(set, prep.u_side.terms)) if prep.units else set()
    flags = []
    for terms in prep.d_side.terms:
        salient = {t for t in terms if len(t) >= 3 and is_policy_term(t)}
        flags.append(bool(salient) and not (salient & plan_terms))
    return flags


def align(directive_docs: Sequence[ParsedDocument], plan_docs: Sequence[ParsedDocument], engine: Engine, *,
          scope: Sequence[str] = (), directive_scope: Sequence[str] = (), k: int = DEFAULT_K,
          failures: Sequence[Failure] = ()) -> Report:
    """Align parsed directive documents with parsed plan documents into a :class:`Report`."""
    from alignment.align import decide

    t = time.perf_counter()
    directives, units = collect_units(directive_docs, plan_docs, scope=scope, directive_scope=directive_scope)
    engine.timings.add("units", time.perf_counter() - t)
    if not directives:
        within = f"（在 --directive-scope {'、'.join(directive_scope)} 范围内）" if directive_scope else ""
        raise ConfigError("上位文件中没有识别出任何要求" + within
                          + "：请检查 --directives 给出的文件" + ("和 --directive-scope。" if directive_scope else "。"))
    if not units:
        raise ConfigError("规划文件中没有可比对的正文" + (f"（在 --scope {'、'.join(scope)} 范围内）" if scope else "")
                          + "：请检查 --plan 给出的文件" + ("和 --scope。" if scope else "。"))
    prep = engine.prepare(directives, units)
    scorer, rule, _ = engine.models()
    t = time.perf_counter()
    scored = engine.score_pairs(prep, scorer, k=k)
    engine.timings.add("score", time.perf_counter() - t)
    t = time.perf_counter()
    from alignment.align.lexical import LexicalIndex

    idf_index = LexicalIndex().fit(prep.u_side.terms)
    flags = out_of_scope_flags(prep, engine.segmenter.is_policy_term)
    results, plan = decide(prep, scored, rule, idf=idf_index.idf, out_of_scope=flags)
    engine.timings.add("decide", time.perf_counter() - t)
    docs = tuple(p.document for p in list(directive_docs) + list(plan_docs))
    return Report(
        documents=docs,
        directives=tuple(results),
        plan_units=tuple(plan),
        method=engine.method,
        embedder=engine.embedder_name if engine.method in ("dense", "hybrid") else "none",
        failures=tuple(failures),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        scope=tuple(scope),
        directive_scope=tuple(directive_scope),
    )


def _with_role(parsed: ParsedDocument, role: str) -> ParsedDocument:
    doc = parsed.document
    return replace(parsed, document=replace(doc, meta=replace(doc.meta, role=role)))


def run_report(directives: Sequence[str | Path] = (), plans: Sequence[str | Path] = (), *,
               engine: Engine | None = None, scope: Sequence[str] = (), directive_scope: Sequence[str] = (),
               k: int = DEFAULT_K, progress: Callable[[str], None] | None = None, store=None,
               ocr: str | None = None) -> Report:
    """The whole job from paths: files, folders or manifests for each side.

    With neither given, runs the bundled demo (``corpus/manifest.toml``). A manifest given on one
    side may hold both roles; its entries' own roles decide. With a ``store``
    (:class:`alignment.store.Store`) the run is incremental and reviewed: unchanged documents are
    not extracted again, embeddings are kept in the store, the run is recorded there and the
    returned report has the reviewers' decisions applied. ``ocr``, when given, overrides every
    entry's OCR mode (see :data:`alignment.schema.OCR_MODES`).
    """
    engine = engine or Engine()
    t = time.perf_counter()
    if not directives and not plans:
        entries = expand_inputs([bundled_corpus() / "manifest.toml"], ocr=ocr)
    else:
        entries = (expand_inputs(list(directives), role="directive", ocr=ocr)
                   + expand_inputs(list(plans), role="plan", ocr=ocr))
    if store is None:
        parsed, failures = parse_entries(entries, progress)
    else:
        parsed, failures = store.parse_entries(entries, progress)
        if engine.cache is None:
            engine.cache = store.embeddings
    engine.timings.add("extract+parse", time.perf_counter() - t)
    role_of = {str(e.path): e.role for e in entries}
    d_docs = [_with_role(p, "directive") for p in parsed if role_of.get(p.document.path) == "directive"]
    p_docs = [_with_role(p, "plan") for p in parsed if role_of.get(p.document.path) == "plan"]
    if not d_docs:
        raise ConfigError("没有读到任何上位文件：请用 --directives 给出文件、文件夹或清单（FILE|FOLDER|MANIFEST）。"
                          + _failure_hint(failures))
    if not p_docs:
        raise ConfigError("没有读到任何规划文件：请用 --plan 给出文件、文件夹或清单（FILE|FOLDER|MANIFEST）。"
                          + _failure_hint(failures))
    report = align(d_docs, p_docs, engine, scope=scope, directive_scope=directive_scope, k=k, failures=failures)
    # Levels (central -> provincial -> plan chains), 指标对标, 任务分解 and 提法 (alignment.analysis).
    from alignment.analysis import analyze_report

    t = time.perf_counter()
    report = analyze_report(report, d_docs, p_docs, lambda uppers, lowers: align(
        uppers, [_with_role(p, "plan") for p in lowers], engine, directive_scope=directive_scope, k=k))
    engine.timings.add("analysis", time.perf_counter() - t)
    if store is not None:
        report = store.record_run(report, options={"scope": list(scope), "directive_scope": list(directive_scope),
                                                   "k": k}, timings=engine.timings.stages)
    return report


def _failure_hint(failures: Sequence[Failure]) -> str:
    """The failures' messages, each a sentence of its own (they end in 。)."""
    return "".join(f.message for f in failures)


class QueryIndex:
    """Plan units prepared once (tokenized, embedded, lexical index fitted) for many queries.

    A query is judged as one directive of a run: two of the scorer's signals compare a directive
    with the run's others (is a passage closer to another directive? where does this directive's
    best score sit among the run's?), and a text scored alone would score high against anything.
    ``reference`` is that run: the directives of a report (``query --report``) or, by default, the
    directives of the bundled corpus (:func:`reference_directives`). Building the index scores
    them once; each :meth:`query` then tokenizes and embeds only its text and scores it against
    every unit, placed among the reference. ``reference=()`` scores a text alone.
    """

    def __init__(self, plans: Sequence[ParsedDocument], engine: Engine, *, scope: Sequence[str] = (),
                 reference: Sequence[Directive] | None = None) -> None:
        from alignment.align import ranked_matches
        from alignment.align.lexical import LexicalIndex

        self.engine = engine
        _, self.units = collect_units([], plans, scope=scope)
        self.u_side = engine.prepare_units(self.units)
        self.idf = LexicalIndex().fit(self.u_side.terms).idf
        self.reference = list(reference_directives() if reference is None else reference)
        self.rev_reference = self.run_reference = None
        if self.reference and self.units:
            prep = engine.prepare(self.reference, self.units, u_side=self.u_side)
            scorer, _, _ = engine.models()
            scored = engine.score_pairs(prep, scorer, k=DEFAULT_K)
            self.run_reference = np.array([r[0][1] if r else 0.0 for r in ranked_matches(scored, len(self.reference))])
            if prep.d_side.vectors is not None and prep.u_side.vectors is not None:
                self.rev_reference = prep.d_side.vectors @ prep.u_side.vectors.T

    def query(self, text: str, *, top: int = 5, position: int | None = None) -> DirectiveResult:
        """The plan passages that answer one directive text, ranked, with a verdict.

        With ``position`` (an index into the reference) the result is that reference directive's,
        computed exactly as in a report on the same plan; otherwise ``text`` is placed among the
        reference directives.
        """
        from alignment.align import decide, evidence, ranked_matches, score_pairs
        from alignment.align.lexicon import actions_in, strength_of
        from alignment.schema import Match

        engine = self.engine
        scorer, rule, _ = engine.models()
        if position is not None:  # the reference's own directive: the whole run, as align() scores it
            directives = self.reference
            prep = engine.prepare(directives, self.units, u_side=self.u_side)
            scored = engine.score_pairs(prep, scorer, k=DEFAULT_K)
            flags = out_of_scope_flags(prep, engine.segmenter.is_policy_term)
            results, _ = decide(prep, scored, rule, idf=self.idf, out_of_scope=flags, max_matches=top)
        else:
            unit = Unit(id="query", document="query", kind="query", text=text, char_start=0, char_end=len(text),
                        page=1, section_path=())
            directives = [Directive(unit=unit, strength=strength_of(text), actions=actions_in(text))]
            position = 0
            prep = engine.prepare(directives, self.units, u_side=self.u_side)
            scored = score_pairs(prep, scorer, method=engine.method, k=max(top, DEFAULT_K),
                                 rev_reference=self.rev_reference)
            results, _ = decide(prep, scored, rule, idf=self.idf, max_matches=top, run_reference=self.run_reference)
        res = results[position]
        if len(res.matches) < top:
            # A query always shows its best passages, however weak: the reviewer decides.
            ranked = ranked_matches(scored, len(directives))[position][:top]
            res = replace(res, matches=tuple(
                Match(unit=self.units[j], score=round(p, 4),
                      evidence=evidence(res.directive.unit.text, self.units[j].text, prep.d_side.terms[position],
                                        prep.u_side.terms[j], self.idf))
                for j, p in ranked))
        return replace(res, matches=res.matches[:top])


def reference_directives() -> list[Directive]:
    """The directives a query is placed among when no report is given: those of the bundled corpus's
    directive documents (corpus/manifest.toml), a real run of the kind the scorer was calibrated on."""
    entries = [e for e in expand_inputs([bundled_corpus() / "manifest.toml"]) if e.role == "directive"]
    parsed, _ = parse_entries(entries)
    directives, _ = collect_units(parsed, [])
    return directives


def query(text: str, plans: Sequence[ParsedDocument], engine: Engine, *, top: int = 5, scope: Sequence[str] = (),
          reference: Sequence[Directive] | None = None, position: int | None = None) -> DirectiveResult:
    """The plan passages that answer one directive text, ranked (see :class:`QueryIndex`)."""
    return QueryIndex(plans, engine, scope=scope, reference=reference).query(text, top=top, position=position)


def report_directives(data: dict) -> list[Directive]:
    """The directives of a JSON report (``policy-align report -o R.json``), in the report's order."""
    out = []
    for d in data.get("directives", []):
        unit = Unit(id=d["id"], document=d["document"], kind=d["kind"], text=d["text"], char_start=d["char_start"],
                    char_end=d["char_end"], page=d.get("page") or 1, section_path=tuple(d["section_path"]),
                    context=d.get("context") or "")
        out.append(Directive(unit=unit, strength=int(d.get("strength", 2)), actions=tuple(d.get("actions", ()))))
    return out


def documents_by_id(report: Report) -> dict[str, Document]:
    return {d.id: d for d in report.documents}
