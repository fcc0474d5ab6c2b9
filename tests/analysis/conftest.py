"""Shared helpers for the analysis tests: parsed corpus documents and golden files.

Golden outputs live in tests/data/analysis/. After an intended change, regenerate them with
``UPDATE_GOLDEN=1 python -m pytest tests/analysis`` and read the diff before committing.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from alignment.schema import ParsedDocument

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "analysis"
CONSTRUCTED = DATA / "constructed-municipal-plan.txt"


@lru_cache(maxsize=None)
def parsed(rel: str) -> ParsedDocument:
    """A repository file extracted and parsed, by its path relative to the root."""
    from alignment.pipeline import parse_path

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return parse_path(rel)
    finally:
        os.chdir(cwd)


def check_golden(name: str, actual: object) -> None:
    """Compare ``actual`` with tests/data/analysis/<name>.json (rewrite it under UPDATE_GOLDEN=1)."""
    path = DATA / f"{name}.json"
    text = json.dumps(actual, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        if not os.environ.get("UPDATE_GOLDEN"):
            raise AssertionError(f"{path} is missing: run UPDATE_GOLDEN=1 python -m pytest tests/analysis")
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)
