"""Shared paths for the ingest tests, and ``--update-golden`` to rewrite tests/data/ingest/golden/.

Fixtures in tests/data/ingest/ are made by scripts/make_fixtures.py from corpus text; review the
diff of regenerated goldens (``git diff tests/data/ingest/golden``) before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "ingest"
CORPUS = ROOT / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    try:
        parser.addoption(
            "--update-golden",
            action="store_true",
            default=False,
            help="rewrite the golden files instead of comparing against them",
        )
    except ValueError:  # another conftest already registered it
        pass


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden", default=False))
