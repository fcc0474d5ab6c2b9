"""The Embedder contract, run against every backend: the fake, lexical and (slow) e5-small."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from alignment.embed import Embedder, EmbeddingCache, get_embedder
from alignment.errors import AlignmentError, ConfigError

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

#: Three real clauses: two about 社会救助 (20th congress report, social assistance measures),
#: one about the armed forces.
RELATED_A = "健全分层分类的社会救助体系。"
RELATED_B = "国家建立健全政府救助、社会力量参与的社会救助制度。"
UNRELATED = "全面加强练兵备战，提高人民军队打赢能力。"


@pytest.fixture(
    params=["fake", "lexical", pytest.param("e5-small", marks=pytest.mark.slow)],
)
def make(request, fake_embedder) -> Callable[[], Embedder]:
    """A factory of fresh embedders of one backend (the fake one comes from tests/conftest.py)."""
    if request.param == "fake":
        return type(fake_embedder)
    return lambda: get_embedder(request.param)


def _count_calls(embedder: Embedder) -> list[list[str]]:
    """Record every batch handed to ``embedder.embed_batch`` (wraps the bound method)."""
    calls: list[list[str]] = []
    inner = embedder.embed_batch

    def counted(texts, *, kind="passage"):
        calls.append(list(texts))
        return inner(texts, kind=kind)

    embedder.embed_batch = counted  # type: ignore[method-assign]
    return calls


def corpus_sentences(rel: str, limit: int = 40) -> list[str]:
    text = (CORPUS / rel).read_text(encoding="utf-8-sig")
    parts = [s.strip() for s in re.split(r"(?<=[。；])", text) if len(s.strip()) >= 8]
    return parts[:limit]


def test_shape_dtype_and_unit_norms(make):
    emb = make()
    vectors = emb.embed([RELATED_A, RELATED_B, UNRELATED], cache=False)
    assert vectors.shape == (3, emb.dim) and emb.dim > 0
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_deterministic_across_instances(make):
    first = make().embed([RELATED_A, UNRELATED], cache=False)
    second = make().embed([RELATED_A, UNRELATED], cache=False)
    np.testing.assert_allclose(first, second, atol=1e-6)


def test_rows_follow_input_order_and_repeats_are_embedded_once(make):
    emb = make()
    calls = _count_calls(emb)
    vectors = emb.embed([UNRELATED, RELATED_A, UNRELATED], cache=False)
    assert sum(len(c) for c in calls) == 2
    np.testing.assert_array_equal(vectors[0], vectors[2])
    alone = make().embed([RELATED_A], cache=False)
    np.testing.assert_allclose(vectors[1], alone[0], atol=1e-5)


def test_second_call_is_served_from_the_cache(make, embedding_cache):
    emb = make()
    calls = _count_calls(emb)
    first = emb.embed([RELATED_A, RELATED_B], kind="query", cache=embedding_cache)
    assert len(calls) == 1 and len(embedding_cache) == 2
    second = emb.embed([RELATED_B, RELATED_A], kind="query", cache=embedding_cache)
    assert len(calls) == 1
    np.testing.assert_array_equal(second, first[::-1])
    emb.embed([RELATED_A], kind="passage", cache=embedding_cache)  # another kind is another key
    assert calls[-1] == [RELATED_A] and len(embedding_cache) == 3


def test_related_clauses_are_closer_than_unrelated(make):
    a, b, c = make().embed([RELATED_A, RELATED_B, UNRELATED], cache=False)
    assert a @ b > a @ c


def test_empty_input_gives_an_empty_matrix(make):
    emb = make()
    out = emb.embed([], cache=False)
    assert out.shape[0] == 0 and out.dtype == np.float32


def test_a_second_run_over_a_corpus_document_embeds_nothing(tmp_path, fake_embedder):
    new_fake = type(fake_embedder)
    sentences = corpus_sentences("provincial/shandong-elderly-rights-regulations-2014.txt")
    assert len(sentences) == 40
    with EmbeddingCache(tmp_path / "run.db") as cache:
        first = new_fake()
        before = first.embed(sentences, cache=cache)
        assert sum(map(len, first.calls)) == len(set(sentences))
        assert [len(c) for c in first.calls][:-1] == [first.batch_size] * (len(first.calls) - 1)
    with EmbeddingCache(tmp_path / "run.db") as reopened:  # a new process would see the same file
        second = new_fake()
        after = second.embed(sentences, cache=reopened)
    assert second.calls == []
    np.testing.assert_array_equal(before, after)


def test_progress_counts_add_up_to_the_number_of_texts(fake_embedder, embedding_cache):
    texts = [f"第{i}条 社会救助" for i in range(20)]
    fake_embedder.embed(texts[:5], cache=embedding_cache)
    seen: list[int] = []
    fake_embedder.embed(texts + texts[:3], batch_size=6, cache=embedding_cache, progress=seen.append)
    assert seen == [8, 6, 6, 3]  # 5 hits + 3 repeated hits, then 15 misses in batches of 6


def test_default_cache_is_used_when_none_is_given(fake_embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_ALIGN_CACHE", str(tmp_path / "env.db"))
    fake_embedder.embed([RELATED_A])
    assert EmbeddingCache.default().path == tmp_path / "env.db"
    assert len(EmbeddingCache.default()) == 1


def test_unknown_kind_is_a_config_error(fake_embedder):
    with pytest.raises(ConfigError, match="^向量类型 kind 'document' 无效：可选 query、passage。$"):
        fake_embedder.embed([RELATED_A], kind="document", cache=False)  # type: ignore[arg-type]


def test_a_backend_returning_the_wrong_shape_is_named(fake_embedder):
    fake_embedder.embed_batch = lambda texts, kind="passage": np.zeros((1, 64), np.float32)
    with pytest.raises(AlignmentError, match=r"^向量模型 fake：embed_batch 对 2 条文本返回了形状 \(1, 64\) 的向量"):
        fake_embedder.embed(["甲乙", "丙丁"], cache=False)


def test_lexical_features_are_canonical_terms_and_bigrams():
    lex = get_embedder("lexical")
    feats = lex.features("低保和残联")
    assert feats["t:最低生活保障"] == 1 and feats["t:残疾人联合会"] == 1
    assert feats["b:低保"] == 1 and "t:和" not in feats
    short, full, other = lex.embed(["低保", "最低生活保障", "特困人员"], cache=False)
    assert short @ full > 0.2 and short @ other == 0  # the synonym shares its canonical term


def test_lexical_cache_namespace_tracks_dimension_and_dictionary():
    from alignment.embed.lexical import LexicalEmbedder

    a, b = LexicalEmbedder(), LexicalEmbedder(dim=512)
    assert a.cache_namespace.startswith("lexical-2048-") and b.cache_namespace.startswith("lexical-512-")
    assert a.cache_namespace.split("-")[-1] == b.cache_namespace.split("-")[-1]


@pytest.mark.slow
def test_e5_query_and_passage_prefixes_differ():
    e5 = get_embedder("e5-small")
    q = e5.embed([RELATED_A], kind="query", cache=False)
    p = e5.embed([RELATED_A], kind="passage", cache=False)
    assert not np.allclose(q, p) and float(q[0] @ p[0]) > 0.8


@pytest.mark.slow
def test_e5_embeds_a_text_longer_than_the_model_window():
    text = (CORPUS / "provincial/shandong-elderly-rights-regulations-2014.txt").read_text("utf-8-sig")
    out = get_embedder("e5-small").embed([text[:3000]], cache=False)
    assert out.shape == (1, 384) and abs(float(np.linalg.norm(out[0])) - 1) < 1e-5
