"""Sharded pair features equal the in-process ones; the cluster engine's terms and vectors too."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("distributed", reason="needs the dist extra: pip install 'policy-align[dist]'")

from alignment.align.features import pair_features  # noqa: E402
from alignment.distributed.engine import ClusterEngine, blocks, sharded_pair_features  # noqa: E402
from alignment.manifest import expand_inputs  # noqa: E402
from alignment.pipeline import Engine, collect_units, parse_entries  # noqa: E402

pytestmark = pytest.mark.dist

#: Shards of about this many cells: small enough for several shards of directives (and, for the
#: cross-directive rank, of plan units) on the small corpus.
CELLS = 12_000
#: Sums over a Python set of terms, whose order follows each process's string-hash seed.
SET_SUMS = ("idf_recall", "idf_precision", "sub_idf_recall")


@pytest.fixture(scope="module")
def prepared(small_corpus):
    entries = expand_inputs([small_corpus.manifest])
    parsed, failures = parse_entries(entries)
    assert [f.path for f in failures] == [str(p) for p in small_corpus.broken]
    role = {str(e.path): e.role for e in entries}
    d_docs = [p for p in parsed if role[p.document.path] == "directive"]
    p_docs = [p for p in parsed if role[p.document.path] == "plan"]
    directives, units = collect_units(d_docs, p_docs)
    return Engine(embedder="lexical", cache=False).prepare(directives, units)


def test_the_small_corpus_makes_several_shards_both_ways(prepared):
    n_d, n_u = len(prepared.d_side.texts), len(prepared.u_side.texts)
    dim = prepared.u_side.vectors.shape[1]
    assert len(blocks(n_d, n_u, dim, cells=CELLS)) >= 3
    assert len(blocks(n_u, n_d, dim, cells=CELLS)) >= 3


def test_shards_in_this_process_give_the_same_table_bit_for_bit(prepared):
    ref = pair_features(prepared.d_side, prepared.u_side, sub=prepared.sub_side, method="hybrid", k=12)
    got = sharded_pair_features(prepared, client=None, method="hybrid", k=12, cells=CELLS)
    assert got.names == ref.names
    assert np.array_equal(got.d_idx, ref.d_idx) and np.array_equal(got.u_idx, ref.u_idx)
    assert np.array_equal(got.X, ref.X)


@pytest.mark.parametrize("method", ["hybrid", "bm25"])
def test_shards_on_the_workers_give_the_same_table(prepared, client, method):
    ref = pair_features(prepared.d_side, prepared.u_side, sub=prepared.sub_side, method=method, k=12)
    got = sharded_pair_features(prepared, client=client, method=method, k=12, cells=CELLS)
    assert np.array_equal(got.d_idx, ref.d_idx) and np.array_equal(got.u_idx, ref.u_idx)
    for c, name in enumerate(ref.names):
        if name in SET_SUMS:  # equal up to the order of a float sum: the last bit at most
            np.testing.assert_allclose(got.X[:, c], ref.X[:, c], rtol=1e-12, atol=0, err_msg=name)
        else:
            assert np.array_equal(got.X[:, c], ref.X[:, c]), name


def test_cluster_engine_terms_and_vectors_are_the_local_ones(prepared, client):
    texts = list(prepared.u_side.texts[:300]) + ["", "预热"]
    engine = ClusterEngine(client, embedder="lexical", cache=False)
    local = Engine(embedder="lexical", cache=False)
    terms = engine._terms(texts)
    assert [terms(t) for t in texts] == [local.segmenter.terms(t) for t in texts]
    assert np.array_equal(engine.embed(texts, "passage"), local.embed(texts, "passage"))
    assert engine.embedder.cache_namespace == local.embedder.cache_namespace
