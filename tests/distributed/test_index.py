"""policy-align index on a cluster: the in-process store contents, no document lost to a killed worker."""
from __future__ import annotations

import os
import signal
import sqlite3

import pytest

pytest.importorskip("distributed", reason="needs the dist extra: pip install 'policy-align[dist]'")

from alignment.distributed import index_corpus  # noqa: E402
from alignment.distributed.cluster import connect  # noqa: E402
from alignment.distributed.index import document_texts  # noqa: E402
from alignment.distributed.sink import entry_key  # noqa: E402
from alignment.distributed.worker import engine_loads  # noqa: E402
from alignment.embed import cache_key, get_embedder  # noqa: E402
from alignment.manifest import expand_inputs  # noqa: E402
from alignment.pipeline import EMBED_KIND  # noqa: E402
from alignment.store import Store  # noqa: E402

pytestmark = pytest.mark.dist


def contents(path):
    """What an index run leaves in a store: documents by parse key, units, and vectors by key."""
    db = sqlite3.connect(path)
    try:
        docs = sorted(db.execute("SELECT parse_key, doc_id, sha256, role, document, tree FROM documents"))
        units = sorted(db.execute("SELECT d.parse_key, u.unit_id, u.text, u.char_start, u.char_end, "
                                  "u.section_path FROM units u JOIN documents d USING (version)"))
        rows = db.execute("SELECT backend, kind, sha1, vector FROM embeddings")
        vectors = {(b, k, s): v for b, k, s, v in rows}
    finally:
        db.close()
    return docs, units, vectors


def test_500_documents_on_two_workers_fill_the_store_as_in_process(corpus500, client, tmp_path, cache_dir):
    with Store.open(tmp_path / "local.db") as store:
        local = index_corpus([corpus500.manifest], store=store, embedder="lexical")
    cache_dir("cluster")
    with Store.open(tmp_path / "cluster.db") as store:
        remote = index_corpus([corpus500.manifest], store=store, scheduler=client, embedder="lexical")
    n_read = corpus500.n_documents - len(corpus500.broken)
    for summary in (local, remote):
        assert (summary.documents, summary.indexed, summary.unchanged) == (corpus500.n_documents, n_read, 0)
        assert [f.path for f in summary.failures] == [str(p) for p in corpus500.broken]
        assert all(str(p) in f.message for f, p in zip(summary.failures, corpus500.broken))
    assert (remote.units, remote.texts, remote.chars) == (local.units, local.texts, local.chars)
    assert remote.workers == 2 and len(remote.peak_memory) == 2 and local.peak_memory == {}
    docs, units, vectors = contents(tmp_path / "local.db")
    assert len(docs) == n_read and all(d[0] for d in docs)  # every parse filed under its key
    assert contents(tmp_path / "cluster.db") == (docs, units, vectors)


def test_a_second_run_reads_nothing_again(small_corpus, client, tmp_path):
    with Store.open(tmp_path / "store.db") as store:
        first = index_corpus([small_corpus.manifest], store=store, scheduler=client, embedder="lexical")
        again = index_corpus([small_corpus.manifest], store=store, scheduler=client, embedder="lexical")
    assert first.indexed == small_corpus.n_documents - 1 and first.unchanged == 0
    assert (again.indexed, again.unchanged, len(again.failures)) == (0, first.indexed, 1)


def test_a_worker_killed_mid_run_loses_no_document(corpus500, tmp_path):
    killed: dict[str, object] = {}
    seen: list[str] = []

    with connect("local:2") as client, Store.open(tmp_path / "store.db") as store:
        before = client.run(os.getpid)

        def kill_one_worker(name: str) -> None:
            """After 60 documents, SIGKILL a worker process that has tasks in flight."""
            if killed or len(seen) < 60:
                seen.append(name)
                return
            busy = {addr: keys for addr, keys in client.processing().items() if keys}
            if not busy:
                return  # between two tasks: try again at the next document
            victim = next(iter(busy))  # a worker with tasks in flight right now
            killed.update(address=victim, pid=before[victim], tasks=len(busy[victim]))
            os.kill(before[victim], signal.SIGKILL)

        summary = index_corpus([corpus500.manifest], store=store, scheduler=client, embedder="lexical",
                               progress=kill_one_worker)
        client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker...
        after = client.run(os.getpid)
        loads = client.run(engine_loads)  # ...and the plugin builds its engine again, once
        n_read = corpus500.n_documents - len(corpus500.broken)
        namespace = get_embedder("lexical").cache_namespace
        missing = []
        for entry in expand_inputs([corpus500.manifest]):
            if entry.path.suffix != ".txt":
                continue  # the broken PDFs
            found = store.find_parsed(entry_key(entry)[0])
            assert found is not None, f"{entry.path.name} lost"
            _, texts = document_texts(found, entry.role)
            keys = [cache_key(namespace, EMBED_KIND, t) for t in texts]
            missing += [k for k in keys if k not in store.get_embeddings(keys)]
        documents = store.count("documents")

    assert killed and killed["tasks"] >= 1
    assert killed["pid"] not in after.values() and len(after) == 2
    assert sorted(loads.values()) == [1, 1]
    assert summary.indexed == n_read and documents == n_read
    assert [f.path for f in summary.failures] == [str(p) for p in corpus500.broken]
    assert missing == []

