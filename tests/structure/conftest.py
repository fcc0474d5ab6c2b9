"""``--update-golden``: rewrite tests/data/structure/ from the parser's current output.

Review the diff (``git diff tests/data/structure``, the ``.tree.txt`` files read best) before
committing regenerated goldens.
"""
from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    try:
        parser.addoption("--update-golden", action="store_true", default=False,
                         help="rewrite the golden files instead of comparing against them")
    except ValueError:  # another conftest already registered it
        pass


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden", default=False))
