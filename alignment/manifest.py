"""Which documents a job reads, and the facts about them the text may not state.

A manifest is a TOML file with ``[[documents]]`` tables (``path`` relative to the manifest, plus
optional ``title``, ``issuer``, ``date``, ``doc_number``, ``level``, ``role``). A ``catalog.toml``
beside it, if present, fills in whatever an entry leaves out. Inputs on the command line may be
files, folders (every supported file inside, sorted) or manifests.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from alignment.errors import ConfigError
from alignment.schema import LEVELS, OCR_MODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: File types the ingest stage reads, by lower-case suffix.
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".html", ".htm", ".ofd")
ROLES = ("directive", "plan")


@dataclass(frozen=True)
class Entry:
    """One input document and the facts given about it (empty string = not given).

    ``ocr``: 'auto' (OCR the pages without a usable text layer), 'never' or 'always'."""

    path: Path
    role: str = ""
    title: str = ""
    issuer: str = ""
    date: str = ""
    doc_number: str = ""
    level: str = ""
    ocr: str = "auto"


def bundled_corpus() -> Path:
    """The ``corpus/`` folder of this checkout (holds ``manifest.toml`` for the demo job)."""
    return Path(__file__).resolve().parent.parent / "corpus"


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"找不到清单 {path}：请检查路径。") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"清单 {path} 不是有效的 TOML（{exc}）：请改正其中指出的那一行。") from None


def _entries(path: Path) -> list[Entry]:
    data = _read_toml(path)
    rows = data.get("documents")
    if not isinstance(rows, list):
        raise ConfigError(f"清单 {path} 缺少 [[documents]] 表：每份文件写一张 [[documents]] 表，并给出 path。")
    entries = []
    for i, row in enumerate(rows, 1):
        if "path" not in row:
            raise ConfigError(f"清单 {path} 的第 {i} 个 [[documents]] 没有 path：请写明文件路径。")
        level = row.get("level", "")
        if level and level not in LEVELS:
            raise ConfigError(f"清单 {path} 中 {row['path']} 的行政层级 level {level!r} 无效：可选 {'、'.join(LEVELS)}。")
        role = row.get("role", "")
        if role and role not in ROLES:
            raise ConfigError(f"清单 {path} 中 {row['path']} 的角色 role {role!r} 无效：可选 {'、'.join(ROLES)}。")
        ocr = row.get("ocr", "auto")
        if ocr not in OCR_MODES:
            raise ConfigError(f"清单 {path} 中 {row['path']} 的 OCR 模式 ocr {ocr!r} 无效：可选 {'、'.join(OCR_MODES)}。")
        entries.append(
            Entry(
                path=(path.parent / row["path"]).resolve(),
                role=role,
                title=row.get("title", ""),
                issuer=row.get("issuer", ""),
                date=str(row.get("date", "")),
                doc_number=row.get("doc_number", ""),
                level=level,
                ocr=ocr,
            )
        )
    return entries


def load_catalog(folder: Path) -> dict[Path, Entry]:
    """Entries of ``folder/catalog.toml`` by resolved path, or {} when there is none."""
    catalog = folder / "catalog.toml"
    if not catalog.is_file():
        return {}
    return {e.path: e for e in _entries(catalog)}


def _merge(entry: Entry, known: Entry | None) -> Entry:
    if known is None:
        return entry
    return replace(
        entry,
        title=entry.title or known.title,
        issuer=entry.issuer or known.issuer,
        date=entry.date or known.date,
        doc_number=entry.doc_number or known.doc_number,
        level=entry.level or known.level,
        role=entry.role or known.role,
        ocr=entry.ocr if entry.ocr != "auto" else known.ocr,
    )


def load_manifest(path: str | Path) -> list[Entry]:
    """The entries of a manifest, completed from the ``catalog.toml`` beside it."""
    path = Path(path)
    catalog = load_catalog(path.parent)
    return [_merge(e, catalog.get(e.path)) for e in _entries(path)]


def expand_inputs(inputs: list[str | Path], *, role: str = "", ocr: str | None = None) -> list[Entry]:
    """Files, folders and manifests on a command line, as entries in the order given.

    A folder yields its supported files (recursively, sorted); a ``.toml`` file is read as a
    manifest. ``role``, when given, is set on entries that do not state one; ``ocr``, when given,
    on every entry (the command line overrides the manifest). A path that does not exist raises
    :class:`ConfigError`.
    """
    entries: list[Entry] = []
    for raw in inputs:
        p = Path(raw)
        if not p.exists():
            raise ConfigError(f"无法读取 {p}：文件或文件夹不存在。请检查路径。")
        if p.is_dir():
            catalog = load_catalog(p)
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
            entries.extend(_merge(Entry(path=f.resolve()), catalog.get(f.resolve())) for f in files)
        elif p.suffix.lower() == ".toml":
            entries.extend(load_manifest(p))
        else:
            catalog = load_catalog(p.resolve().parent)
            entries.append(_merge(Entry(path=p.resolve()), catalog.get(p.resolve())))
    if role:
        entries = [e if e.role else replace(e, role=role) for e in entries]
    if ocr is not None:
        if ocr not in OCR_MODES:
            raise ConfigError(f"OCR 模式 ocr {ocr!r} 无效：可选 {'、'.join(OCR_MODES)}。")
        entries = [replace(e, ocr=ocr) for e in entries]
    return entries
