"""A corpus of any size cut from the real documents in ``corpus/``, for scale tests and benchmarks.

The bundled corpus has a few dozen documents; the distributed path must be tested on hundreds and
benchmarked on thousands. :func:`make_corpus` cuts the real laws and regulations into their
articles (第X条 with the paragraphs under it) and writes each synthetic document as a small UTF-8
TXT file: a title line naming the source, then a run of consecutive articles of that source, with
their original labels. Directive documents come from the central, provincial and municipal texts,
plan documents from the municipal ones. Every sentence is real government text; only the cut is
synthetic, and it is deterministic for a given ``seed``. ``broken`` adds files that cannot be
extracted (a PDF that is not one), to check that failures are listed and the run completes.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from alignment.manifest import bundled_corpus

#: An article's first line: 第十二条 followed by its text.
_ARTICLE = re.compile(r"^\s*第[零〇一二三四五六七八九十百千\d]+条")
#: Chapter, section and part headings between articles: dropped, they would start no article.
_HEADING = re.compile(r"^\s*第[零〇一二三四五六七八九十百千\d]+[编篇章节]")


@dataclass(frozen=True)
class Source:
    """A real document cut into articles."""

    title: str
    level: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class SyntheticCorpus:
    """What :func:`make_corpus` wrote: the manifest (roles set) and the files, in manifest order."""

    root: Path
    manifest: Path
    directives: tuple[Path, ...]
    plans: tuple[Path, ...]
    broken: tuple[Path, ...]
    chars: int

    @property
    def n_documents(self) -> int:
        return len(self.directives) + len(self.plans) + len(self.broken)


def articles_of(text: str) -> list[str]:
    """The articles of a law or regulation, each with the paragraphs that follow its first line."""
    out: list[list[str]] = []
    for line in text.splitlines():
        if _ARTICLE.match(line):
            out.append([line.strip()])
        elif _HEADING.match(line):
            continue
        elif out and line.strip():
            out[-1].append(line.strip())
    return ["\n".join(a) for a in out]


def load_sources(corpus: Path | None = None) -> dict[str, list[Source]]:
    """Sources by level folder ('central', 'provincial', 'municipal'); documents with fewer than
    10 articles (reports, notices) are left out."""
    corpus = corpus or bundled_corpus()
    out: dict[str, list[Source]] = {}
    for level in ("central", "provincial", "municipal"):
        for path in sorted((corpus / level).glob("*.txt")):
            text = path.read_text(encoding="utf-8-sig")
            arts = articles_of(text)
            if len(arts) < 10:
                continue
            title = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.stem)
            out.setdefault(level, []).append(Source(title=title[:40], level=level, articles=tuple(arts)))
    return out


def _cut(rng: random.Random, src: Source, lo: int, hi: int) -> list[str]:
    n = min(rng.randint(lo, hi), len(src.articles))
    start = rng.randrange(0, len(src.articles) - n + 1)
    return list(src.articles[start:start + n])


def make_corpus(
    root: Path,
    *,
    n_directives: int,
    n_plans: int,
    broken: int = 0,
    articles: tuple[int, int] = (3, 8),
    plan_articles: tuple[int, int] = (8, 16),
    seed: int = 0,
    corpus: Path | None = None,
) -> SyntheticCorpus:
    """Write ``n_directives`` directive and ``n_plans`` plan TXT files under ``root`` and a
    ``manifest.toml`` that lists them with their roles (and ``broken`` unreadable files)."""
    rng = random.Random(seed)
    sources = load_sources(corpus)
    library = [s for level in ("central", "provincial", "municipal") for s in sources.get(level, [])]
    municipal = sources.get("municipal", library)
    root.mkdir(parents=True, exist_ok=True)
    (root / "directives").mkdir(exist_ok=True)
    (root / "plans").mkdir(exist_ok=True)
    rows: list[str] = []
    directives, plans, bad = [], [], []
    chars = 0
    level_of = {"central": "central", "provincial": "provincial", "municipal": "municipal"}

    def write(path: Path, src: Source, arts: list[str], n: int, role: str) -> None:
        nonlocal chars
        text = f"{src.title}（节选之{n}）\n\n" + "\n\n".join(arts) + "\n"
        path.write_text(text, encoding="utf-8")
        chars += len(text)
        rows.append(f'[[documents]]\npath = "{path.relative_to(root).as_posix()}"\nrole = "{role}"\n'
                    f'level = "{level_of[src.level] if role == "directive" else "district"}"\n'
                    f'title = {json.dumps(f"{src.title}（节选之{n}）", ensure_ascii=False)}\n')

    for i in range(n_directives):
        src = library[rng.randrange(len(library))]
        path = root / "directives" / f"d{i:05d}.txt"
        write(path, src, _cut(rng, src, *articles), i, "directive")
        directives.append(path)
    for j in range(n_plans):
        src = municipal[rng.randrange(len(municipal))]
        path = root / "plans" / f"p{j:04d}.txt"
        write(path, src, _cut(rng, src, *plan_articles), j, "plan")
        plans.append(path)
    for b in range(broken):
        path = root / "directives" / f"broken{b:02d}.pdf"
        path.write_bytes(b"%PDF-1.7 this is not a PDF\n")
        rows.append(f'[[documents]]\npath = "{path.relative_to(root).as_posix()}"\nrole = "directive"\n')
        bad.append(path)
    manifest = root / "manifest.toml"
    manifest.write_text("# Cut from the real corpus by alignment.distributed.corpusgen\n\n" + "\n".join(rows),
                        encoding="utf-8")
    return SyntheticCorpus(root=root, manifest=manifest, directives=tuple(directives), plans=tuple(plans),
                           broken=tuple(bad), chars=chars)
