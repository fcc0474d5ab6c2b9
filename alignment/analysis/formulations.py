"""Official formulations (提法): mined from the directives, then looked up in the plan.

A formulation is a fixed phrase a plan is expected to reuse verbatim. Three sources, in order:

* ``quoted``: a short phrase in “” in a directive (“放管服”, “两不愁三保障”, “一老一小”);
* ``parallel``: a parallel enumeration in a directive, three or more items of about one length
  joined by 、 (``兜底线、织密网、建机制``), or two when they modify a head noun
  (``居家社区机构相协调、医养康养相结合`` 的养老服务体系);
* ``listed``: a short hand-kept list of fixed phrases (:data:`LISTED`), kept only when a directive
  actually uses it.

When two directives of different years give parallel formulations of the same head noun (…的养老
服务体系) that share characters, the newer wording replaces the older: the plan is flagged for using
the older one. :func:`check_formulations` reports each formulation as used, near miss (one character
added, dropped or changed, or the same characters in another order), outdated, or absent.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from alignment.analysis.records import FORMULATION_STATUS_ZH, Formulation, FormulationCheck, Source
from alignment.schema import ParsedDocument

#: Fixed phrases of central documents that are not always quoted (hand-kept; mining finds the rest).
LISTED: tuple[str, ...] = (
    "中国式现代化", "高质量发展", "共同富裕", "一老一小", "新发展理念", "新发展格局", "以人民为中心",
    "积极应对人口老龄化", "全过程人民民主", "全面建成小康社会", "人民日益增长的美好生活需要",
    "保障和改善民生", "兜底线、织密网、建机制", "尽力而为、量力而行", "老有所养", "弱有所扶",
    "幼有所育、学有所教、劳有所得、病有所医、老有所养、住有所居、弱有所扶",
    "应保尽保", "应救尽救", "放管服", "最多跑一次", "一网通办", "医养结合", "居家社区机构相协调、医养康养相结合",
)
# “…” quoted phrase: 2 to 16 characters, mostly Chinese.
_QUOTED = re.compile(r"“(?P<p>[^“”\n]{2,16})”")
# A run of items joined by 、; the first and last items are trimmed to the enumeration by
# :func:`_enumeration` (the regex cannot tell where 建立健全居家社区机构相协调 starts to be an item).
_RUN = re.compile(r"(?P<first>[\u4e00-\u9fff]{2,14})(?P<rest>(?:、[\u4e00-\u9fff]{2,16})+)")
# What comes before a formulation: a verb that takes it, or 以 (以居家为基础、…).
_LEAD_VERB = re.compile(r"^.*(?:建立健全|建立和完善|加快构建|推进构建|全面建成|以|构建|完善|健全|建成|形成|坚持|推动|落实|按照|实现)")
# The head noun a formulation modifies: …的养老服务体系.
_HEAD = re.compile(r"^的(?P<head>[\u4e00-\u9fff]{0,8}?(?:体系|制度|机制|格局|模式|网络|体制|战略|理念|目标|要求))")
# Items that are clauses of running text or lists of actors, not parts of a formulation.
_LIST_WORDS = re.compile(r"[的和或及等]|部门|单位|机构$|人员$|政府|委员会|办事处|组织$|条例|办法|规定|第[一二三四五六七八九十]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def document_year(parsed: ParsedDocument) -> int:
    """The year of a document: from its date, else its title, else its file name; 0 when unknown."""
    doc = parsed.document
    for text in (doc.meta.date, doc.meta.title, doc.path.rsplit("/", 1)[-1]):
        m = re.search(r"((?:19|20)\d{2})", text or "")
        if m:
            return int(m.group(1))
    return 0


def _is_parallel(items: list[str]) -> bool:
    """Items of about one length (within 2 characters), at least 3 characters each, none a list word."""
    lengths = [len(i) for i in items]
    return len(items) >= 2 and min(lengths) >= 3 and max(lengths) - min(lengths) <= 2 and not any(
        _LIST_WORDS.search(i) for i in items)


def _enumeration(text: str, m: re.Match[str]) -> tuple[str, str] | None:
    """(phrase, head noun) of a :data:`_RUN` match when it is a parallel formulation, else None."""
    items = [m.group("first")] + m.group("rest")[1:].split("、")
    last = items[-1]
    tail = ""
    cut = last.find("的")
    if cut > 0:
        last, tail = last[:cut], last[cut:]
    elif len(last) > len(items[-2]) + 2:
        return None
    items[-1] = last
    first = _LEAD_VERB.sub("", items[0])
    if len(first) > len(items[1]) + 2:
        first = first[-len(items[1]):]
    items[0] = first
    if not _is_parallel(items):
        return None
    hm = _HEAD.match(tail + text[m.end():m.end() + 12]) if tail or text.startswith("的", m.end()) else None
    # Two items are a formulation only as the modifier of a head noun (…、…的养老服务体系);
    # otherwise a pair is ordinary coordination (拉动消费、扩大就业).
    if len(items) < 3 and not hm:
        return None
    return "、".join(items), hm.group("head") if hm else ""


def mine_formulations(directives: Sequence[ParsedDocument], *, listed: Sequence[str] = LISTED) -> list[Formulation]:
    """The formulations used by the directive documents, each with the documents using it.

    ``year`` is the year of the newest document using the phrase. ``replaced_by`` is set on a
    parallel formulation when a newer directive gives another wording for the same head noun.
    """
    docs: dict[str, set[str]] = defaultdict(set)
    how: dict[str, str] = {}
    heads: dict[str, set[str]] = defaultdict(set)
    years: dict[str, int] = defaultdict(int)
    for parsed in directives:
        doc = parsed.document
        year = document_year(parsed)
        text = doc.text
        for m in _QUOTED.finditer(text):
            phrase = m.group("p").strip()
            if len(_CJK.findall(phrase)) >= 2 and not phrase.startswith(("第", "《")):
                docs[phrase].add(doc.id)
                how.setdefault(phrase, "quoted")
                years[phrase] = max(years[phrase], year)
        for m in _RUN.finditer(text):
            found = _enumeration(text, m)
            if found is None:
                continue
            phrase, head = found
            docs[phrase].add(doc.id)
            how.setdefault(phrase, "parallel")
            years[phrase] = max(years[phrase], year)
            if head:
                heads[phrase].add(head[-4:])  # 社会养老服务体系 and 养老服务体系 are one idea
        for phrase in listed:
            if phrase in text:
                docs[phrase].add(doc.id)
                how[phrase] = how.get(phrase, "listed")
                years[phrase] = max(years[phrase], year)
    out = {p: Formulation(phrase=p, documents=tuple(sorted(docs[p])), year=years[p], how=how[p]) for p in docs}
    # Newer wording of the same idea: parallel phrases with a common head noun, sharing characters.
    by_head: dict[str, list[str]] = defaultdict(list)
    for phrase, hs in heads.items():
        for h in hs:
            by_head[h].append(phrase)
    for phrases in by_head.values():
        for old in phrases:
            newer = [p for p in phrases if p != old and out[p].year > out[old].year and _char_dice(p, old) >= 0.3
                     and p not in old and old not in p]
            if newer:
                best = max(newer, key=lambda p: (out[p].year, _char_dice(p, old)))
                out[old] = replace(out[old], replaced_by=best)
    return sorted(out.values(), key=lambda f: (-len(f.documents), f.phrase))


def _char_dice(a: str, b: str) -> float:
    sa, sb = set(_CJK.findall(a)), set(_CJK.findall(b))
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` when it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _occurrences(text: str, phrase: str) -> list[int]:
    out, pos = [], text.find(phrase)
    while pos >= 0:
        out.append(pos)
        pos = text.find(phrase, pos + 1)
    return out


def near_misses(text: str, phrase: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that differ from ``phrase`` by one character (added, dropped or changed;
    phrases of 5+ characters) or hold its characters in another order (4+ characters), best first.

    Candidates are found by voting on shared character bigrams, so the cost grows with the text,
    not with the number of windows compared.
    """
    n = len(phrase)
    if n < 4:
        return []
    grams = [phrase[i:i + 2] for i in range(n - 1)]
    votes: dict[int, int] = defaultdict(int)
    for i, g in enumerate(grams):
        for pos in _occurrences(text, g):
            votes[pos - i] += 1
    exact = set(_occurrences(text, phrase))
    found: dict[tuple[int, int], tuple[int, int]] = {}
    sorted_phrase = sorted(phrase)
    for start, v in votes.items():
        if v < max(1, (n - 1) // 3):
            continue
        for s in (start - 1, start, start + 1):
            for length in (n - 1, n, n + 1):
                e = s + length
                if s < 0 or e > len(text) or any(x <= s < x + n or s <= x < e for x in exact):
                    continue
                window = text[s:e]
                if "\n" in window or window == phrase:
                    continue
                if n >= 5 and edit_distance(window, phrase, 1) == 1 and _CJK.match(window[0]) and _CJK.match(window[-1]):
                    found[(s, e)] = (1, abs(length - n))
                elif length == n and sorted(window) == sorted_phrase:
                    found[(s, e)] = (2, 0)
    # Keep non-overlapping spans, closest first (a changed character before an added or dropped one).
    out: list[tuple[int, int]] = []
    for (s, e), _ in sorted(found.items(), key=lambda kv: (kv[1], kv[0])):
        if all(e <= a or s >= b for a, b in out):
            out.append((s, e))
    return sorted(out)


def _source(parsed: ParsedDocument, s: int, e: int) -> Source:
    doc = parsed.document
    line_s = doc.text.rfind("\n", 0, s) + 1
    line_e = doc.text.find("\n", e)
    line_e = len(doc.text) if line_e < 0 else line_e
    context = doc.text[max(line_s, s - 30):min(line_e, e + 30)]
    return Source(document=doc.id, char_start=s, char_end=e, page=doc.page_of(s),
                  line=doc.line_at(s), text=context)


def check_formulations(formulations: Sequence[Formulation], plans: Sequence[ParsedDocument]) -> list[FormulationCheck]:
    """Each formulation's status in the plan documents (see :data:`FORMULATION_STATUS_ZH`)."""
    out = []
    year_of = {f.phrase: f.year for f in formulations}
    for f in formulations:
        used = [_source(p, s, s + len(f.phrase)) for p in plans for s in _occurrences(p.document.text, f.phrase)]
        if used and f.replaced_by:
            out.append(FormulationCheck(f, "outdated", found=f.phrase, where=tuple(used),
                                        note=f"上级较新文件（{year_of.get(f.replaced_by) or '较新'}年）表述为「{f.replaced_by}」"))
            continue
        if used:
            out.append(FormulationCheck(f, "used", found=f.phrase, where=tuple(used)))
            continue
        misses = [(p, s, e) for p in plans for s, e in near_misses(p.document.text, f.phrase)]
        if misses:
            p, s, e = misses[0]
            variant = p.document.text[s:e]
            out.append(FormulationCheck(f, "near_miss", found=variant,
                                        where=tuple(_source(q, a, b) for q, a, b in misses),
                                        note=f"本规划写作「{variant}」，上级文件为「{f.phrase}」"))
            continue
        out.append(FormulationCheck(f, "absent"))
    return out


def formulation_dict(c: FormulationCheck) -> dict[str, object]:
    """A formulation check as JSON-ready data (the ``formulation`` object of docs/report-schema.md)."""
    f = c.formulation
    return {
        "phrase": f.phrase,
        "how": f.how,
        "documents": list(f.documents),
        "year": f.year,
        "replaced_by": f.replaced_by,
        "status": c.status,
        "status_name": FORMULATION_STATUS_ZH[c.status],
        "found": c.found,
        "where": [{"document": s.document, "char_start": s.char_start, "char_end": s.char_end, "page": s.page,
                   "line": s.line, "text": s.text} for s in c.where],
        "note": c.note,
    }
