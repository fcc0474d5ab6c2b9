"""Chinese word segmentation with the project's policy dictionary.

:class:`Segmenter` owns one ``jieba.Tokenizer`` (never jieba's global one) loaded with
``models/userdict.txt``, and turns text into

* :meth:`Segmenter.tokens`: every token with its character offsets (they round-trip to the text);
* :meth:`Segmenter.terms`: the content words used for matching (stopwords and punctuation dropped,
  abbreviations mapped to one canonical form from ``models/synonyms.tsv``);
* :meth:`Segmenter.bigrams`: CJK character bigrams, for BM25 recall.

Segmentation is jieba's dictionary cut without the HMM (``Tokenizer.tokenize(text, HMM=False)``):
every token is a dictionary word, a single character or a run of Latin letters/digits, so the same
text always gives the same tokens whatever else is in the document. The search over jieba's
word graph is re-implemented here with precomputed log-probabilities; it returns exactly what
jieba returns (a test compares both on a whole regulation) at about twice the speed.

Nothing is read at import. Resources are explicit paths under :func:`models_dir`.
"""
from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from math import log
from pathlib import Path
from typing import Any

from alignment.errors import ConfigError

#: jieba's split of a text into blocks it segments (CJK, Latin letters, digits and a few joiners)
#: and the rest, which it emits character by character (whitespace runs and line breaks whole).
#: Copied from jieba 0.42 (``re_han_default``, ``re_skip_default``, ``re_eng``) so the fast path
#: below yields exactly jieba's tokens.
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_RE_SKIP = re.compile("(\r\n|\\s)")
_RE_ENG = re.compile("[a-zA-Z0-9]")

#: A CJK ideograph (basic block, extension A, compatibility ideographs) or the ideographic zero 〇.
_RE_CJK_RUN = re.compile("[\u3007\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+")

#: An article/chapter label such as 第四十二条: structure, not content, so terms() drops it.
_RE_LABEL = re.compile("第[0-9〇零一二三四五六七八九十百千两]+[编篇章节条款项]")

#: A token counts as a word when it holds at least one letter, digit or ideograph.
_RE_WORDLIKE = re.compile(r"[^\W_]")

_ABSENT = object()
_NEG_INF = float("-inf")

#: Blocks (clauses between punctuation) recur in policy text; their cuts are remembered, and the
#: memo is emptied when it grows past this many blocks.
_MEMO_SIZE = 100_000

log_ = logging.getLogger(__name__)


def models_dir() -> Path:
    """The folder holding ``userdict.txt``, ``stopwords.txt`` and ``synonyms.tsv``.

    ``$POLICY_ALIGN_MODELS`` if set, otherwise the ``models/`` folder of this checkout.
    """
    env = os.environ.get("POLICY_ALIGN_MODELS")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[1] / "models"


@dataclass(frozen=True)
class Token:
    """One token: ``text == source[start:end]`` (half-open character offsets)."""

    text: str
    start: int
    end: int


def _read_lines(path: Path, what: str) -> list[str]:
    """Non-empty, non-comment lines of a UTF-8 resource file, stripped (``what`` names it in Chinese)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"找不到{what} {path}：请运行 scripts/build_dictionary.py 生成，"
            "或把 POLICY_ALIGN_MODELS 指向包含它的文件夹。"
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {path} 不是 UTF-8 编码（{exc}）：请另存为 UTF-8。") from None
    lines = []
    for line in raw.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def load_userdict_words(path: Path) -> frozenset[str]:
    """The words of a jieba user dictionary (``word [freq] [tag]`` per line)."""
    return frozenset(line.split(" ")[0] for line in _read_lines(path, "用户词典"))


def load_stopwords(path: Path) -> frozenset[str]:
    """One stopword per line; ``#`` starts a comment line."""
    return frozenset(_read_lines(path, "停用词表"))


def load_synonyms(path: Path) -> dict[str, str]:
    """``variant<TAB>canonical`` lines as a dict variant -> canonical.

    Raises :class:`ConfigError` for a malformed line or a chain (a canonical form that is itself
    a variant), since matching compares canonical forms and a chain would make that ambiguous.
    """
    table: dict[str, str] = {}
    for line in _read_lines(path, "同义词表"):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise ConfigError(f"同义词表 {path} 中的行 {line!r} 不是“变体<TAB>规范词”格式（variant<TAB>canonical）："
                              "请改正或删除该行。")
        variant, canonical = parts
        if table.get(variant, canonical) != canonical:
            raise ConfigError(f"同义词表 {path} 中 {variant!r} 对应了两个规范词：请只保留一行。")
        table[variant] = canonical
    for variant, canonical in table.items():
        if canonical in table:
            raise ConfigError(
                f"同义词表 {path} 中的规范词 {canonical!r}（{variant!r} 的规范词）本身又是变体："
                f"请把 {variant!r} 直接对应到 {table[canonical]!r}。"
            )
    return table


@lru_cache(maxsize=8)
def _policy_terms(path: Path) -> frozenset[str]:
    return load_userdict_words(path)


def is_policy_term(word: str, *, userdict: Path | None = None) -> bool:
    """True when ``word`` is an entry of the policy user dictionary (``models/userdict.txt``)."""
    return word in _policy_terms(userdict or models_dir() / "userdict.txt")


def is_wordlike(token: str) -> bool:
    """True when ``token`` holds a letter, a digit or an ideograph (not only punctuation/space)."""
    return _RE_WORDLIKE.search(token) is not None


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each run of CJK ideographs, in order.

    Bigrams never cross punctuation, Latin text or digits; a run of one ideograph gives none.
    """
    out: list[str] = []
    for match in _RE_CJK_RUN.finditer(text):
        run = match.group()
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def default_cache_dir() -> Path:
    """The project's cache folder: the folder of ``$POLICY_ALIGN_CACHE`` (the embedding cache
    file) if set, else ``$XDG_CACHE_HOME/policy-align`` (``~/.cache/policy-align``). jieba's
    prefix-dictionary cache goes here instead of the system temp folder."""
    env = os.environ.get("POLICY_ALIGN_CACHE")
    if env:
        return Path(env).expanduser().parent
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "policy-align"


class Segmenter:
    """jieba with the policy dictionary, loaded once (lazily, on first use) and reused.

    ``userdict``, ``stopwords`` and ``synonyms`` default to the files in :func:`models_dir`;
    ``cache_dir`` (default :func:`default_cache_dir`) receives jieba's prefix-dictionary cache
    instead of the system temp folder. Instances are safe to share between threads.
    """

    def __init__(
        self,
        *,
        userdict: Path | None = None,
        stopwords: Path | None = None,
        synonyms: Path | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        base = models_dir()
        self.userdict_path = Path(userdict) if userdict else base / "userdict.txt"
        self.stopwords_path = Path(stopwords) if stopwords else base / "stopwords.txt"
        self.synonyms_path = Path(synonyms) if synonyms else base / "synonyms.tsv"
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self._lock = threading.RLock()  # _load (under it) loads the word lists (under it too)
        self._tokenizer: Any = None
        self._logp: dict[str, float | None] = {}
        self._floor = 0.0
        self._policy: frozenset[str] = frozenset()
        self._stop: frozenset[str] = frozenset()
        self._syn: dict[str, str] = {}
        self._expand_cache: dict[str, tuple[str, ...]] = {}
        self._memo: dict[str, list[str]] = {}
        self._lists_loaded = False
        self._fingerprint: str | None = None

    # -- loading -------------------------------------------------------------------------------

    def warm_up(self) -> "Segmenter":
        """Load jieba, the dictionaries and the word lists now (otherwise done on first use)."""
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._load()
        return self

    def _lists(self) -> None:
        """Load the word lists only (user-dictionary words, stopwords, synonyms): what
        :meth:`canonical`, :meth:`is_stopword` and :meth:`is_policy_term` need, without jieba."""
        if self._lists_loaded:
            return
        with self._lock:
            if not self._lists_loaded:
                self._policy = load_userdict_words(self.userdict_path)
                self._stop = load_stopwords(self.stopwords_path)
                self._syn = load_synonyms(self.synonyms_path)
                self._lists_loaded = True

    def fingerprint(self) -> str:
        """A digest of what decides this segmenter's output (its word lists and this code), so
        that tokens cached under it are never mixed with another dictionary's."""
        if self._fingerprint is None:
            import hashlib

            h = hashlib.sha256()
            for path in (self.userdict_path, self.stopwords_path, self.synonyms_path, Path(__file__)):
                try:
                    h.update(path.read_bytes())
                except OSError:
                    h.update(b"-")
            self._fingerprint = h.hexdigest()[:16]
        return self._fingerprint

    def _load(self) -> None:
        import jieba  # a core dependency; imported here so that importing this module is cheap
        # jieba attaches a DEBUG stream handler to its logger at import; keep it quiet.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._lists()
        tokenizer = jieba.Tokenizer()
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = str(self.cache_dir)
        except OSError as exc:
            log_.warning("无法把 %s 用作 jieba 缓存目录（%s）：改用临时目录", self.cache_dir, exc)
        tokenizer.initialize()
        try:
            tokenizer.load_userdict(str(self.userdict_path))
        except ValueError as exc:
            raise ConfigError(f"用户词典 {self.userdict_path} 格式有误（{exc}）："
                              "每行应为 UTF-8 编码的“词 词频 词性”（word freq tag）。") from None
        logtotal = log(tokenizer.total)
        # One lookup per step of the graph walk: log P(word) for words, None for mere prefixes.
        self._logp = {w: (log(f) - logtotal if f else None) for w, f in tokenizer.FREQ.items()}
        self._floor = log(1) - logtotal
        self._tokenizer = tokenizer

    @property
    def tokenizer(self) -> Any:  # jieba.Tokenizer
        """The loaded ``jieba.Tokenizer`` (loads it on first access)."""
        self.warm_up()
        return self._tokenizer

    # -- segmentation --------------------------------------------------------------------------

    def _path(self, s: str, *, whole: bool = True) -> list[int]:
        """jieba's dictionary cut of one block: ``end[k]`` is where the word starting at ``k`` ends
        on the most probable path through the dictionary's words (ties go to the longer word).
        With ``whole=False`` the block itself is not allowed as one word (used to find the
        words inside a term)."""
        n = len(s)
        get = self._logp.get
        floor = self._floor
        best = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            last = n if (whole or k) else n - 1  # the furthest a word starting at k may end
            top = _NEG_INF
            stop = 0
            i = k + 1
            p = get(s[k], _ABSENT)
            while p is not _ABSENT:
                if p is not None:
                    score = p + best[i]  # type: ignore[operator]  # p is a float here
                    if score >= top:
                        top = score
                        stop = i
                if i >= last:
                    break
                i += 1
                p = get(s[k:i], _ABSENT)
            if not stop:  # no dictionary word starts here: a single character, freq 1
                top = floor + best[k + 1]
                stop = k + 1
            best[k] = top
            end[k] = stop
        return end

    def _cut_block(self, s: str) -> list[str]:
        """jieba's ``__cut_DAG_NO_HMM`` on one block: the path of :meth:`_path`, with runs of
        single Latin letters/digits joined."""
        n = len(s)
        end = self._path(s)
        words: list[str] = []
        x = 0
        buf = ""
        while x < n:
            y = end[x]
            word = s[x:y]
            if y - x == 1 and _RE_ENG.match(word):
                buf += word
            else:
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(word)
            x = y
        if buf:
            words.append(buf)
        return words

    def cut(self, text: str) -> list[str]:
        """The tokens of ``text`` as strings, in order; they concatenate to ``text``."""
        self.warm_up()
        memo = self._memo
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        words: list[str] = []
        for block in _RE_HAN.split(text):
            if not block:
                continue
            if _RE_HAN.match(block):
                hit = memo.get(block)
                if hit is None:
                    hit = memo[block] = self._cut_block(block)
                words.extend(hit)
            else:
                for piece in _RE_SKIP.split(block):
                    if _RE_SKIP.match(piece):
                        words.append(piece)
                    else:
                        words.extend(piece)
        return words

    def tokens(self, text: str) -> list[Token]:
        """Every token of ``text`` with offsets; ``"".join(t.text for t in tokens) == text``."""
        words = self.cut(text)
        ends = list(accumulate(map(len, words)))
        return list(map(Token, words, [0, *ends[:-1]], ends))

    # -- matching views ------------------------------------------------------------------------

    def canonical(self, word: str) -> str:
        """The form matching compares: NFKC, lower-cased, abbreviations mapped via synonyms.tsv."""
        self._lists()
        w = unicodedata.normalize("NFKC", word).lower()
        return self._syn.get(w, w)

    def is_stopword(self, word: str) -> bool:
        """True for a word of ``stopwords.txt`` (compared after NFKC and lower-casing)."""
        self._lists()
        return unicodedata.normalize("NFKC", word).lower() in self._stop

    def is_policy_term(self, word: str) -> bool:
        """True when ``word`` is an entry of this segmenter's user dictionary."""
        self._lists()
        return word in self._policy

    def _subterms(self, word: str) -> tuple[str, ...]:
        """Policy terms inside ``word`` (canonical, in order, without repeats): runs of the words
        jieba finds inside it when it may not take ``word`` whole, and recursively theirs.
        Only whole inner words count, so 县级以上人民政府 gives 人民政府 but not 民政."""
        hit = self._expand_cache.get(word)
        if hit is not None:
            return hit
        self._expand_cache[word] = ()  # guards against a cycle through synonyms
        end = self._path(word, whole=False)
        edges = [0]
        while edges[-1] < len(word):
            edges.append(end[edges[-1]])
        found: list[str] = []
        for i, a in enumerate(edges):
            for b in edges[i + 1:]:
                if b - a < 2 or (a == 0 and b == len(word)):
                    continue
                piece = word[a:b]
                if piece in self._policy and piece not in self._stop:
                    for c in (self._syn.get(piece, piece), *self._subterms(piece)):
                        if c != word and c not in found:
                            found.append(c)
        result = tuple(found)
        self._expand_cache[word] = result
        return result

    def terms(self, text: str, *, expand: bool = True) -> list[str]:
        """Content words of ``text`` for matching, in order, with repeats.

        Punctuation, whitespace, stopwords and article labels (第九条) are dropped; numbers are
        kept; each word is replaced by its canonical form (:meth:`canonical`). With ``expand``, a
        term longer than three characters is followed by the policy terms inside it (社会救助体系
        -> 社会救助体系, 社会救助), so a plan that says 社会救助 still shares a term with a
        directive that says 社会救助体系.
        """
        out: list[str] = []
        for word in self.cut(text):
            if not is_wordlike(word):
                continue
            w = unicodedata.normalize("NFKC", word).lower()
            if w in self._stop or _RE_LABEL.fullmatch(w):
                continue
            c = self._syn.get(w, w)
            if c in self._stop:
                continue
            out.append(c)
            if expand and len(c) > 3:
                out.extend(self._subterms(c))
        return out

    def bigrams(self, text: str) -> list[str]:
        """CJK character bigrams of ``text`` (see :func:`cjk_bigrams`)."""
        return cjk_bigrams(text)


_DEFAULT: Segmenter | None = None
_DEFAULT_LOCK = threading.Lock()


def default_segmenter() -> Segmenter:
    """The process-wide :class:`Segmenter` over :func:`models_dir` (created on first call)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Segmenter()
        return _DEFAULT
