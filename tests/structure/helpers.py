"""Shared helpers for the structure tests: documents from text or from the corpus, tree checks."""
from __future__ import annotations

from pathlib import Path

from alignment.schema import Document, HeadingHint, PageSpan, ParsedDocument, Table

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "tests" / "data" / "structure"


def make_doc(
    text: str,
    *,
    doc_id: str = "doc",
    fmt: str = "txt",
    pages: tuple[PageSpan, ...] | None = None,
    tables: tuple[Table, ...] = (),
    hints: tuple[HeadingHint, ...] = (),
) -> Document:
    """A one-page (unless ``pages`` says otherwise) document over ``text``."""
    return Document(
        id=doc_id, path=f"{doc_id}.{fmt}", format=fmt, text=text,
        pages=pages if pages is not None else (PageSpan(1, 0, len(text)),),
        tables=tables, hints=hints,
    )


def raw_corpus_doc(rel: str) -> Document:
    """A corpus text file read as-is (UTF-8 with or without BOM, CRLF as LF), no normalization:
    the parser must cope with the indentation and odd spaces of raw sources too."""
    path = CORPUS / rel
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    return make_doc(text, doc_id=path.stem)


def check_tree(parsed: ParsedDocument) -> None:
    """Assert the invariants every parse must keep.

    Own spans partition the text (every character in exactly one section); children lie within
    their parents, in order; ids are unique and start with the document id; sentences lie inside
    the own span; levels are depths; pages are in range.
    """
    text = parsed.document.text
    sections = list(parsed.root.walk())
    ids = [s.id for s in sections]
    assert len(ids) == len(set(ids)), "duplicate section ids"
    assert parsed.root.id == parsed.document.id
    assert all(i.startswith(parsed.document.id + "/") for i in ids[1:])
    spans = sorted((s.own_start, s.own_end) for s in sections)
    pos = 0
    for start, end in spans:
        assert start == pos, f"gap or overlap at {pos}..{start}"
        assert end >= start
        pos = end
    assert pos == len(text)
    assert parsed.root.char_start == 0 and parsed.root.char_end == len(text)
    pages = [p.number for p in parsed.document.pages] or [1]

    def visit(section, level):
        assert section.level == level
        assert section.char_start == section.own_start <= section.own_end <= section.char_end
        assert min(pages) <= section.page_start <= section.page_end <= max(pages)
        prev_end = section.own_end
        for child in section.children:
            assert child.char_start == prev_end, "children must follow each other without gaps"
            assert section.char_start <= child.char_start <= child.char_end <= section.char_end
            prev_end = child.char_end
            visit(child, level + 1)
        if section.children:
            assert prev_end == section.char_end
        for sent in section.sentences:
            assert section.own_start <= sent.char_start < sent.char_end <= section.own_end

    visit(parsed.root, 0)


def find(parsed: ParsedDocument, **attrs):
    """The sections whose attributes equal ``attrs`` (e.g. ``kind="article", number=3``)."""
    return [s for s in parsed.root.walk() if all(getattr(s, k) == v for k, v in attrs.items())]


def own_text(parsed: ParsedDocument, section) -> str:
    return parsed.document.text[section.own_start:section.own_end]


def sentence_texts(parsed: ParsedDocument, section) -> list[str]:
    return [parsed.document.text[s.char_start:s.char_end] for s in section.sentences]
