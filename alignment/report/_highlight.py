"""Safe highlighting of evidence in untrusted document text, for the HTML report."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


def term_positions(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of every non-empty term in ``text``, as half-open ``(start, end)`` offsets."""
    found = []
    for term in terms:
        if not term:
            continue
        start = text.find(term)
        while start != -1:
            found.append((start, start + len(term)))
            start = text.find(term, start + len(term))
    return found


def highlight(text: str, terms: Iterable[str] = (), spans: Iterable[tuple[int, int]] = ()) -> Markup:
    """``text`` as HTML with shared ``terms`` in ``<mark>`` and aligned ``spans`` in ``<span class="ev">``.

    ``spans`` are offsets into ``text`` (clipped to it). The text is cut into runs of equal
    marking and every run is escaped before its tags are put around it, so nothing in ``text``
    can open a tag or an attribute.
    """
    n = len(text)
    in_term = [False] * n
    in_span = [False] * n
    for start, end in term_positions(text, terms):
        for i in range(start, end):
            in_term[i] = True
    for start, end in spans:
        for i in range(max(int(start), 0), min(int(end), n)):
            in_span[i] = True

    parts: list[str] = []
    i = 0
    while i < n:
        j = i + 1
        while j < n and in_term[j] == in_term[i] and in_span[j] == in_span[i]:
            j += 1
        run = str(escape(text[i:j]))
        if in_term[i]:
            run = f"<mark>{run}</mark>"
        if in_span[i]:
            run = f'<span class="ev">{run}</span>'
        parts.append(run)
        i = j
    return Markup("".join(parts))
