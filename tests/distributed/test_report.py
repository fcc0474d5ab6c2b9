"""The report on a cluster equals the in-process report: same statuses, matches, scores, evidence."""
from __future__ import annotations

from dataclasses import replace

import pytest

pytest.importorskip("distributed", reason="needs the dist extra: pip install 'policy-align[dist]'")

from alignment.distributed import distributed_report  # noqa: E402
from alignment.distributed.corpusgen import make_corpus  # noqa: E402
from alignment.pipeline import Engine, run_report  # noqa: E402
from alignment.store import Store  # noqa: E402

pytestmark = pytest.mark.dist


def assert_same_report(got, want):
    """Equal in every field but the creation time; on failure, name the first directive that differs."""
    for a, b in zip(got.directives, want.directives):
        assert (a.directive.id, a.status, a.confidence) == (b.directive.id, b.status, b.confidence)
        assert [(m.unit.id, m.score, m.via) for m in a.matches] == \
            [(m.unit.id, m.score, m.via) for m in b.matches]
        assert a == b, a.directive.id
    assert len(got.directives) == len(want.directives)
    assert got.plan_units == want.plan_units
    assert got.failures == want.failures
    assert replace(got, created="") == replace(want, created="")


def test_500_documents_on_two_workers_give_the_in_process_report(corpus500, client, cache_dir):
    want = run_report([corpus500.manifest], engine=Engine(embedder="lexical"))
    cache_dir("cluster")  # nothing computed above is reused below: tokens and vectors come from the workers
    engine = Engine(embedder="lexical")
    got = distributed_report([corpus500.manifest], scheduler=client, engine=engine, shard_cells=1 << 18)
    assert corpus500.n_documents >= 500
    assert len(got.documents) == corpus500.n_documents - len(corpus500.broken)
    assert sorted(f.path for f in got.failures) == sorted(str(p) for p in corpus500.broken)
    assert {d.status for d in got.directives} >= {"covered", "missing"}
    # the levels were traced on the cluster: coverage per level for more than one level (whether any
    # lower directive answers a higher one at the link bar depends on the scorer; equality below checks them)
    assert got.analysis is not None and len({c.level for c in got.analysis.tracing.coverage}) >= 2
    assert_same_report(got, want)
    assert {"extract+parse", "embed", "score", "decide"} <= set(engine.timings.stages)


def test_the_default_e5_embedder_gives_the_same_report(tmp_path, client, cache_dir):
    corpus = make_corpus(tmp_path / "e5", n_directives=3, n_plans=3, articles=(3, 4), plan_articles=(4, 6),
                         seed=3)
    want = run_report([corpus.manifest], engine=Engine())
    cache_dir("cluster")  # the workers embed every text again, with their own copy of the model
    got = distributed_report([corpus.manifest], scheduler=client, engine=Engine(), local_cells=0)
    assert got.embedder == "e5-small" and any(d.matches for d in got.directives)
    assert_same_report(got, want)


def test_with_a_store_the_run_is_recorded_and_unchanged_documents_are_reused(small_corpus, client, tmp_path):
    with Store.open(tmp_path / "store.db") as store:
        first, second = (distributed_report([small_corpus.manifest], scheduler=client, store=store,
                                            engine=Engine(embedder="lexical"), local_cells=0)
                         for _ in range(2))
        runs = store.runs()
        in_process = run_report([small_corpus.manifest], engine=Engine(embedder="lexical"), store=store)
    assert [r.state for r in runs] == ["complete", "complete"]
    n_read = small_corpus.n_documents - len(small_corpus.broken)
    assert len(runs[1].options["parsed"]) == n_read and runs[1].options.get("reused", []) == []
    assert len(runs[0].options["reused"]) == n_read and runs[0].options.get("parsed", []) == []
    assert runs[0].options["scheduler"] == "dask"
    assert_same_report(second, first)
    assert_same_report(in_process, first)
