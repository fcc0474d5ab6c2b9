"""Sentence spans of Chinese running text, with offsets kept."""
from __future__ import annotations

from alignment.schema import Span
from alignment.structure.patterns import BLANK_CHARS, SENTENCE_END

_STRIP = BLANK_CHARS + "\n"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` shrunk to exclude blanks at both ends (may become empty)."""
    while start < end and (text[start] in _STRIP or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _STRIP or text[end - 1].isspace()):
        end -= 1
    return start, end


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentence spans of ``text``, shifted by ``offset`` (pass the text's start in the document).

    A sentence ends after 。！？； (or their ASCII forms, or …), together with the closing quotes and
    brackets that follow (”』）》…), and at every line break: each line of the text is split on its
    own. Spans exclude surrounding blanks (including ideographic and zero-width spaces); blank
    stretches yield nothing. Spans are in order, non-overlapping and non-empty.
    """
    spans: list[Span] = []
    line_start = 0
    n = len(text)
    while line_start <= n:
        line_end = text.find("\n", line_start)
        if line_end < 0:
            line_end = n
        pos = line_start
        for m in SENTENCE_END.finditer(text, line_start, line_end):
            s, e = _trimmed(text, pos, m.end())
            if e > s:
                spans.append(Span(s + offset, e + offset))
            pos = m.end()
        s, e = _trimmed(text, pos, line_end)
        if e > s:
            spans.append(Span(s + offset, e + offset))
        line_start = line_end + 1
    return spans
