"""Incremental runs through the real pipeline (lexical embedder): only a changed document is read and
embedded again, and reviewed links whose text changed turn suspect."""
from __future__ import annotations

from alignment.store import Store

from .conftest import run_pipeline


def _two_links(report):
    """Two (directive id, candidate unit) pairs of ``report`` with different plan units."""
    pairs = [(r.directive.id, r.matches[0].unit) for r in report.directives if r.matches]
    first = pairs[0]
    second = next(p for p in pairs if p[1].id != first[1].id and p[1].text not in first[1].text)
    return first, second


def test_a_rerun_reads_and_embeds_nothing_again(tmp_path, corpus):
    with Store.open(tmp_path / "store.db") as store:
        first = run_pipeline(store, corpus)
        embedded = store.count("embeddings")
        assert embedded > 100
        second = run_pipeline(store, corpus)
        runs = store.runs()
        assert [r.run_id for r in runs] == [2, 1]
        assert runs[1].options["parsed"] == sorted(str(p) for p in corpus.values())
        assert runs[0].options["reused"] == sorted(str(p) for p in corpus.values())
        assert runs[0].options.get("parsed", []) == []
        assert store.count("embeddings") == embedded
        assert store.count("documents") == 2
        assert [(r.directive.id, r.status, r.matches) for r in second.directives] == \
               [(r.directive.id, r.status, r.matches) for r in first.directives]


def test_after_one_document_changed_only_it_is_read_and_only_new_text_embedded(tmp_path, corpus):
    with Store.open(tmp_path / "store.db") as store:
        first = run_pipeline(store, corpus)
        embedded = store.count("embeddings")
        (changed_id, changed_unit), (kept_id, kept_unit) = _two_links(first)
        assert changed_unit.id != kept_unit.id
        store.record_decision(changed_id, "accept", reviewer="张三", unit_id=changed_unit.id)
        store.record_decision(kept_id, "accept", reviewer="张三", unit_id=kept_unit.id)

        plan = corpus["plan"]
        text = plan.read_text(encoding="utf-8")
        assert text.count(changed_unit.text) == 1
        plan.write_text(text.replace(changed_unit.text, changed_unit.text.rstrip("。") + "，并定期评估落实情况。"),
                        encoding="utf-8")

        third = run_pipeline(store, corpus)
        run = store.latest_run()
        assert run.options["parsed"] == [str(plan)]
        assert run.options["reused"] == [str(corpus["directive"])]
        new_vectors = store.count("embeddings") - embedded
        assert 1 <= new_vectors <= 3  # the edited passage (and a chunk of it, if it was split)
        assert len([v for v in store.document_versions() if v.path == str(plan)]) == 2

        reviewed = {r.directive.id: r for r in third.directives}
        edited = next(m for m in reviewed[changed_id].matches if m.unit.id == changed_unit.id)
        assert edited.review.decision == "accept" and edited.review.suspect
        assert edited.unit.text != changed_unit.text
        untouched = next(m for m in reviewed[kept_id].matches if m.unit.id == kept_unit.id)
        assert untouched.review.decision == "accept" and not untouched.review.suspect


def test_the_cli_runs_incrementally_with_a_bare_store_option(tmp_path, corpus, monkeypatch):
    import json

    from click.testing import CliRunner

    from alignment.cli import cli

    monkeypatch.chdir(tmp_path)
    args = ["report", "-d", str(corpus["directive"]), "-p", str(corpus["plan"]), "--embedder", "lexical", "--store"]
    res = CliRunner().invoke(cli, [*args, "-o", "r1.json"])
    assert res.exit_code == 0, res.output
    store_path = corpus["directive"].parent / ".policy-align" / "store.db"
    assert f"复核库 {store_path}：第 1 次运行已记录" in res.output
    directive = json.loads((tmp_path / "r1.json").read_text(encoding="utf-8"))["directives"][0]
    res = CliRunner().invoke(cli, ["review", "out-of-scope", directive["id"], "--store", str(store_path),
                                   "--reviewer", "张三", "-m", "省级事项"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, [*args, "-o", "r2.json", "-q"])
    assert res.exit_code == 0, res.output
    again = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))["directives"][0]
    assert (again["id"], again["status"], again["reviewed"]) == (directive["id"], "out_of_scope", True)
    assert again["note"] == "张三（不适用）：省级事项"
    with Store.open(store_path) as store:
        assert store.runs()[0].options["reused"] == sorted(str(p) for p in corpus.values())
