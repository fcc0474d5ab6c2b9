"""The pipeline, stage by stage: extract -> structure -> units -> embed -> align -> coverage."""
from __future__ import annotations

from pathlib import Path

from alignment.schema import ParsedDocument


def parse_path(path: str | Path, *, level: str | None = None, role: str | None = None) -> ParsedDocument:
    """Extract one file and parse its section tree."""
    from alignment.ingest import extract
    from alignment.structure import parse

    return parse(extract(path, level=level, role=role))
