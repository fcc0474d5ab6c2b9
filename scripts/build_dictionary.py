#!/usr/bin/env python3
"""Build models/userdict.txt, the jieba user dictionary of policy terms.

Method (deterministic: the same corpus and lists always give the same file, byte for byte):

1. Text. Every ``corpus/**/*.txt`` except the plan documents of the held-out pairs named in
   ``corpus/HELD_OUT.md`` (so that nothing about segmentation is learnt from the texts used for
   blind evaluation). Only runs of CJK ideographs are used; punctuation, digits and Latin text end
   a run, so no candidate spans a clause boundary.
2. Candidates. Every n-gram of 2 to ``MAX_LEN`` ideographs inside a run, counted.
3. Statistics, per candidate ``w`` seen at least ``MIN_FREQ`` times (classic new-word discovery):
   * cohesion: the PMI of its weakest split, ``min over w = a+b of log p(w) / (p(a) p(b))``, with
     n-gram probabilities estimated per length; high when the parts rarely occur apart;
   * freedom: the left and right branching entropy, the entropy of the character just before /
     after ``w`` (a run boundary counts as a new neighbour each time); high when ``w`` is used in
     many contexts, low for a fragment of a longer word (最低生活保 is always followed by 障).
4. Selection. A candidate is kept when it starts and ends with a content character (not 的, 和,
   等, 对, 在 ...), has no 的 inside, does not start with 第, and either
   * ends with a policy head (…服务, …体系, …机制, …制度, …补贴, …救助, …保障, …机构, …人员 and
     the others in ``POLICY_HEADS``) and passes the mild thresholds ``HEAD_*``, or
   * is at least 3 ideographs long and passes the strict thresholds ``FREE_*``.
   A grammatical filter on jieba's own part-of-speech tags of the candidate's parts drops
   clauses (verb or preposition first, conjunction or particle inside, verb last), and a
   boundary filter drops fragments: at least ``MIN_AGREEMENT`` of the occurrences must begin and
   end where jieba's base cut has a word boundary (化国家战略 in 老龄化国家战略 does not).
   Words that jieba's own dictionary already has are not "mined" terms (jieba cuts them anyway).
5. Curated terms. ``scripts/curated_terms.txt`` (hand-written, grouped by 民政 field, plus the
   slogans of the party-congress and government work reports) and both sides of every line of
   ``models/synonyms.tsv`` are added whatever their corpus statistics.
6. Frequency. Each term gets the larger of its frequency in jieba's dictionary and ``MARGIN``
   times the smallest frequency that makes jieba cut it as one word when it stands alone
   (``Tokenizer.suggest_freq(word, tune=False)`` against the base dictionary), so a term wins
   against its own parts with room to spare, while a word jieba already knows keeps jieba's
   frequency and its behaviour elsewhere does not change.
7. Output: ``word freq tag`` lines sorted by word (tag ``nz`` for mined and curated terms unless the
   curated line gives one), UTF-8, then a summary on stderr. ``--check`` also segments the corpus
   with the new dictionary and reports how many terms still come out split in context.

Usage: python scripts/build_dictionary.py [--corpus corpus] [--out models/userdict.txt] [--check]
"""
from __future__ import annotations

import argparse
import logging
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MAX_LEN = 8  #: longest mined term, in ideographs
MIN_FREQ = 2  #: a candidate must occur at least this often

#: Thresholds for candidates that end with a policy head: mild, the head already says "term".
HEAD_MIN_ENTROPY = 0.6
HEAD_MIN_PMI = 0.5
#: Thresholds for other candidates of 3+ ideographs: strict, statistics alone must say "term".
FREE_MIN_FREQ = 5
FREE_MIN_ENTROPY = 1.8
FREE_MIN_PMI = 3.0

#: Share of occurrences whose ends fall on jieba word boundaries; below it, a fragment.
MIN_AGREEMENT = 0.5

MARGIN = 10  #: multiple of jieba's minimal frequency given to each term

#: Nouns that end policy terms: a candidate ending with one of these is a term candidate.
POLICY_HEADS = (
    "服务", "体系", "机制", "制度", "补贴", "救助", "保障", "机构", "人员", "设施", "标准", "对象",
    "家庭", "组织", "事业", "政策", "资金", "中心", "平台", "网络", "能力", "保险", "津贴", "工程",
    "行动", "项目", "规划", "部门", "儿童", "老年人", "残疾人", "权益", "福利", "养老", "护理",
    "康复", "登记", "评估", "照料", "供养", "优待", "基金", "产业", "社区", "治理", "改革", "建设",
    "战略", "机关", "委员会", "证", "卡", "金", "费", "站", "院", "所",
)

#: Characters a term never starts or ends with (particles, conjunctions, prepositions, modals).
EDGE_STOP = set("的地得之了着过和与及或并而且但如若则即亦也又还都均各每该其此这那于对在从自由向以把被将给按依据关除等个所有是为应要可能须不无非已本上下中内外")

#: Verbs, prepositions and adverbs that start a clause rather than a term: 加强社会救助 is an
#: action on the term 社会救助, not a term.
VERB_PREFIXES = (
    "加强", "加快", "加大", "健全", "完善", "开展", "做好", "建立", "推进", "推动", "促进", "提升",
    "提高", "保障", "鼓励", "支持", "根据", "依照", "按照", "享受", "实施", "落实", "强化", "深化",
    "优化", "规范", "构建", "全面", "积极", "大力", "引导", "坚持", "实行", "会同", "使用", "保持",
    "申办", "申请", "提供", "给予", "发放", "参与", "因", "我", "扩大", "增加", "加以", "纳入",
    "建设", "培育", "发挥", "维护", "确保", "设立", "办理", "组织", "制定", "统筹", "探索", "增强",
    "注重", "重视", "满足", "帮助", "协助", "履行", "承担", "接受", "取得", "获得", "符合", "严格",
    "依托", "通过", "利用", "实现", "完成", "形成", "打造", "营造", "创新", "改善", "改进", "加速",
    "宣传", "发展", "委托", "坚定不移", "充分发挥", "团结", "当地", "定期", "经",
)
#: jieba tags (of the words of a candidate's base cut) that mark a clause, not a term: a verb,
#: adverb, preposition or pronoun first (举办残疾人, 针对困境儿童), a conjunction or particle
#: anywhere (制度和政策, 金融等政策), a verb last unless a policy head ends the word (情况进行).
#: A single-character word may not start a term, nor end one unless it is a policy head
#: (岗政策 and 全护理 are pieces of longer words; 护理站 is a term).
BAD_FIRST_TAGS = {"v", "vd", "p", "c", "d", "r", "u", "q", "ad", "m", "f"}
BAD_ANY_TAGS = {"c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "p", "r", "k", "y", "e"}
BAD_LAST_TAGS = {"v", "vd", "d", "ad", "f"}
#: Words of a base cut that make a candidate a clause wherever they stand (情况给予护理补贴,
#: 机构进行评估, 比例安置残疾人, 规定参加社会保险).
CLAUSE_WORDS = {
    "给予", "予以", "进行", "使用", "参加", "参与", "用于", "安置", "得到", "沉迷", "适应", "适合",
    "确定", "提供", "鼓励", "推进", "提高", "提升", "是", "规定", "合理", "丰富", "拓宽", "充分",
    "发挥", "扎实", "优先", "科学", "适当", "免费", "有效", "按照", "依法", "及时",
}
#: Modal verbs: a candidate holding one spans a clause (人民政府应当制定).
MODALS = ("应当", "可以", "必须", "不得", "应该")

_RE_CJK_RUN = re.compile("[\u4E00-\u9FFF]+")
_RE_CURATED = re.compile(r"^(\S+)(?:\s+([a-z]+))?$")


def held_out_plans(corpus: Path) -> set[Path]:
    """The plan documents of the held-out pairs: backticked paths in the last table column."""
    text = (corpus / "HELD_OUT.md").read_text(encoding="utf-8")
    plans: set[Path] = set()
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            for rel in re.findall(r"`([^`]+\.txt)`", cells[-1]):
                path = corpus / rel
                if not path.is_file():
                    sys.exit(f"error: {corpus / 'HELD_OUT.md'} names {rel}, which is not in {corpus}")
                plans.add(path)
    if not plans:
        sys.exit(f"error: found no held-out plan in {corpus / 'HELD_OUT.md'}; fix the table or this parser")
    return plans


def corpus_runs(corpus: Path, exclude: set[Path]) -> tuple[list[str], list[Path]]:
    """Runs of CJK ideographs of every used corpus text, and the files used."""
    files = sorted(p for p in corpus.rglob("*.txt") if p not in exclude)
    runs: list[str] = []
    for path in files:
        runs.extend(_RE_CJK_RUN.findall(path.read_text(encoding="utf-8-sig")))
    return runs, files


def ngram_counts(runs: list[str]) -> list[Counter]:
    """``counts[n][gram]`` for n = 1..MAX_LEN."""
    counts = [Counter() for _ in range(MAX_LEN + 1)]
    for run in runs:
        size = len(run)
        for n in range(1, min(MAX_LEN, size) + 1):
            c = counts[n]
            for i in range(size - n + 1):
                c[run[i:i + n]] += 1
    return counts


def _entropy(neighbours: Counter, boundaries: int) -> float:
    total = sum(neighbours.values()) + boundaries
    if total == 0:
        return 0.0
    h = -sum(c / total * math.log(c / total) for c in neighbours.values())
    if boundaries:
        h += boundaries * (1 / total) * math.log(total)  # each boundary a distinct neighbour
    return h


def word_boundaries(tok, run: str) -> set[int]:
    """Offsets in ``run`` where jieba's base dictionary cut (no HMM) puts a word boundary."""
    edges = {0}
    at = 0
    for word in tok.cut(run, HMM=False):
        at += len(word)
        edges.add(at)
    return edges


Stats = tuple[int, float, float, float]


def candidate_stats(runs: list[str], counts: list[Counter], tok) -> dict[str, Stats]:
    """``{word: (freq, cohesion, min branching entropy, boundary agreement)}`` for words of
    2..MAX_LEN seen MIN_FREQ+ times. Boundary agreement is the share of occurrences where jieba's
    base cut has a word boundary at both ends: low for a fragment such as 化国家战略 (in 老龄化…)."""
    cands = {g for n in range(2, MAX_LEN + 1) for g, f in counts[n].items() if f >= MIN_FREQ}
    left: dict[str, Counter] = defaultdict(Counter)
    right: dict[str, Counter] = defaultdict(Counter)
    lb: Counter = Counter()
    rb: Counter = Counter()
    agree: Counter = Counter()
    for run in runs:
        size = len(run)
        edges = word_boundaries(tok, run) if size > 2 else {0, size}
        for n in range(2, min(MAX_LEN, size) + 1):
            for i in range(size - n + 1):
                g = run[i:i + n]
                if g not in cands:
                    continue
                if i in edges and i + n in edges:
                    agree[g] += 1
                if i > 0:
                    left[g][run[i - 1]] += 1
                else:
                    lb[g] += 1
                if i + n < size:
                    right[g][run[i + n]] += 1
                else:
                    rb[g] += 1
    totals = [sum(c.values()) or 1 for c in counts]
    stats: dict[str, Stats] = {}
    for g in cands:
        n = len(g)
        pw = counts[n][g] / totals[n]
        cohesion = min(
            math.log(pw / ((counts[k][g[:k]] / totals[k]) * (counts[n - k][g[k:]] / totals[n - k])))
            for k in range(1, n)
        )
        freedom = min(_entropy(left[g], lb[g]), _entropy(right[g], rb[g]))
        stats[g] = (counts[n][g], cohesion, freedom, agree[g] / counts[n][g])
    return stats


def base_tags(tok) -> dict[str, str]:
    """Part-of-speech tags of jieba's own dictionary (its third column)."""
    tags: dict[str, str] = {}
    with tok.get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags


def shape_ok(g: str, tok, tags: dict[str, str]) -> bool:
    """Step 4's grammatical filter on the base cut of ``g`` (see BAD_FIRST_TAGS, BAD_ANY_TAGS)."""
    words = list(tok.cut(g, HMM=False))
    word_tags = [tags.get(w, "x") for w in words]
    if len(words) > 1 and (word_tags[0] in BAD_FIRST_TAGS or len(words[0]) == 1):
        return False
    if len(words) > 1 and len(words[-1]) == 1 and not g.endswith(POLICY_HEADS):
        return False
    if any(t in BAD_ANY_TAGS for t in word_tags) or any(w in CLAUSE_WORDS for w in words):
        return False
    if not g.endswith(POLICY_HEADS) and word_tags[-1] in BAD_LAST_TAGS:
        return False
    return True


def select(stats: dict[str, Stats], tok) -> list[str]:
    """The candidates that pass the filters of step 4, minus words jieba already knows."""
    tags = base_tags(tok)
    chosen = []
    for g, (freq, cohesion, freedom, agreement) in stats.items():
        if g[0] in EDGE_STOP or g[-1] in EDGE_STOP or "的" in g or g.startswith("第"):
            continue
        if g.startswith(VERB_PREFIXES) or any(m in g for m in MODALS) or agreement < MIN_AGREEMENT:
            continue
        if tok.FREQ.get(g) or not shape_ok(g, tok, tags):
            continue
        if g.endswith(POLICY_HEADS) and len(g) > 2:
            ok = freedom >= HEAD_MIN_ENTROPY and cohesion >= HEAD_MIN_PMI
        else:
            ok = (
                len(g) >= 3
                and freq >= FREE_MIN_FREQ
                and freedom >= FREE_MIN_ENTROPY
                and cohesion >= FREE_MIN_PMI
            )
        if ok:
            chosen.append(g)
    return sorted(chosen)


def read_curated(path: Path) -> dict[str, str]:
    """``{term: tag}`` from a curated list (``term [tag]`` lines, ``#`` comments)."""
    terms: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _RE_CURATED.match(line)
        if not m:
            sys.exit(f"error: {path}:{number}: expected 'term [tag]', got {line!r}")
        terms[m.group(1)] = m.group(2) or "nz"
    return terms


def read_synonym_terms(path: Path) -> set[str]:
    """Both sides of every ``variant<TAB>canonical`` line."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.update(p.strip() for p in line.split("\t") if p.strip())
    return out


def base_tokenizer():
    """A fresh jieba tokenizer with only jieba's own dictionary, its logger quiet."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def frequency(tok, word: str) -> int:
    """Step 6: jieba's own frequency, or MARGIN x the least that makes ``word`` one token."""
    known = tok.FREQ.get(word, 0)
    if known:
        return known
    minimal = tok.suggest_freq(word, tune=False)
    return max(1, minimal) * MARGIN


def check(out: Path, corpus_files: list[Path], terms: set[str]) -> None:
    """Segment the corpus with the new dictionary; report terms still split where they occur."""
    sys.path.insert(0, str(ROOT))
    from alignment.segment import Segmenter

    seg = Segmenter(userdict=out)
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in corpus_files)
    cut = Counter(seg.cut(text))
    split = sorted(t for t in terms if t in text and not cut.get(t))
    print(f"check: {len(split)} of {sum(1 for t in terms if t in text)} terms occurring in the corpus "
          f"never come out whole (a longer or overlapping term wins there): {' '.join(split[:40])}",
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--curated", type=Path, default=ROOT / "scripts" / "curated_terms.txt")
    parser.add_argument("--synonyms", type=Path, default=ROOT / "models" / "synonyms.tsv")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "userdict.txt")
    parser.add_argument("--mined", type=Path, help="also write the mined terms with their statistics (TSV)")
    parser.add_argument("--check", action="store_true", help="report terms the new dictionary still splits")
    args = parser.parse_args(argv)

    exclude = held_out_plans(args.corpus)
    runs, files = corpus_runs(args.corpus, exclude)
    counts = ngram_counts(runs)
    tok = base_tokenizer()
    stats = candidate_stats(runs, counts, tok)
    mined = select(stats, tok)

    curated = read_curated(args.curated)
    for term in read_synonym_terms(args.synonyms):
        curated.setdefault(term, "nz")
    entries = {term: "nz" for term in mined}
    entries.update(curated)

    lines = [f"{w} {frequency(tok, w)} {entries[w]}" for w in sorted(entries)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.mined:
        rows = ["term\tfreq\tcohesion\tentropy\tagreement"]
        for w in mined:
            freq, cohesion, freedom, agreement = stats[w]
            rows.append(f"{w}\t{freq}\t{cohesion:.2f}\t{freedom:.2f}\t{agreement:.2f}")
        args.mined.write_text("\n".join(rows) + "\n", encoding="utf-8")

    only_mined = len(set(mined) - set(curated))
    print(
        f"{args.out}: {len(lines)} terms = {len(mined)} mined ({only_mined} not also curated) + "
        f"{len(curated)} curated/synonym terms ({len(set(curated) & set(mined))} in both); "
        f"{len(files)} corpus files used, {len(exclude)} held-out plans left out",
        file=sys.stderr,
    )
    if args.check:
        check(args.out, files, set(entries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
