"""Chinese-aware tokenisation shared by indexing, querying and highlighting.

Pure Python (no Django). A text becomes *terms*, the strings the full-text index stores:

- **Han runs** (汉字) are cut by jieba (search mode, so long words also yield their sub-words)
  and, in addition, into **character bigrams**: a two-character word hidden inside a longer
  phrase (``卡纸`` in ``打印机卡纸``) matches even where jieba cut differently. Function words
  (``的``, ``怎么办``, ``请问`` …) split a run so that no bigram spans them. The last character
  of every run is also kept alone, so a single-character query (a prefix query on the bigrams)
  finds it everywhere.
- **Latin letters and digits** stay whole so numbers and codes match exactly
  (``GZ2611240001``, ``95598``, ``HP-1020`` → ``hp1020``, ``hp``, ``1020``).
- Optionally the **pinyin initials** of names and titles (``张三`` → ``zs``), stored with a
  private-use marker character (``PINYIN_MARK``) so that they only meet queries typed as
  initials, never the letters of a code (``GZ`` in ``GZ2611240001`` is not 规则 or 故障).

Text is NFKC-normalised (full-width ``ＧＺ２６`` → ``gz26``) and lower-cased first. Every term
is pure ``[0-9a-z]`` or Han characters, so it needs no quoting in any full-text syntax.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{HAN}]+)|([0-9a-z]+(?:[-_./:][0-9a-z]+)*)")
_PART_SPLIT = re.compile(r"[-_./:]")
_LETTERS_DIGITS = re.compile(r"[a-z]+|[0-9]+")
MAX_CODE_LENGTH = 64
PINYIN_RUN_LIMIT = 12
PINYIN_MARK = "\ue000"  # private use: no text or query ever produces it
_INITIALS = re.compile(rf"^[a-z]{{2,{PINYIN_RUN_LIMIT}}}$")

# Words that carry no meaning for finding an answer. They are dropped (and split runs) only
# where jieba cuts them out as a word of their own, so 在线 or 有效期 are unaffected.
_STOP_TEXT = (
    "的 地 得 了 吗 嘛 呢 吧 啊 呀 哦 哈 么 着 过 和 与 及 或 也 都 就 还 又 很 太 再 才 "
    "我 你 您 他 她 它 咱 我们 你们 他们 她们 大家 自己 这 那 这个 那个 这些 那些 这样 那样 "
    "这里 那里 怎么 怎么办 怎么样 怎样 咋 咋办 如何 什么 啥 为什么 为何 请问 请 一下 是 是否 "
    "是不是 有没有 能不能 可不可以 可以 能否 一个 一些 该 应该 要 想 想要 把 被 给 让 对 "
    "在 从 向 于 之 其 所 而 但 但是 并 且 如果 因为 所以 然后 时候 的话 吗 哪里 哪儿 哪个 "
    "呢 嗯 老是 总是 一直 经常"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class Token:
    """A term found in a text, with where it sits in the *normalised* text."""

    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """NFKC and lower case. May change the length (rare ligatures); see ``normalise_mapped``."""
    return unicodedata.normalize("NFKC", text).lower()


def normalise_mapped(text: str) -> tuple[str, list[int]]:
    """Normalise and return, for every normalised character, the index of the original
    character it came from (plus one end entry), for highlighting.

    Nearly always normalisation keeps the length (full-width forms, case), and then position
    i maps to i; only otherwise is the text walked character by character.
    """
    whole = normalise(text)
    if len(whole) == len(text):
        return whole, list(range(len(text) + 1))
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).lower() if ord(char) > 0x7F else char.lower()
        out.append(piece)
        origin.extend([index] * len(piece))
    origin.append(len(text))
    return "".join(out), origin


@functools.lru_cache(maxsize=1)
def _jieba() -> Any:
    """The jieba tokenizer, loaded once on first use (its dictionary ships with the package)."""
    import jieba  # type: ignore[import-untyped]

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@functools.lru_cache(maxsize=1)
def _pinyin_initials() -> Any:
    from pypinyin import Style, lazy_pinyin

    return functools.partial(lazy_pinyin, style=Style.FIRST_LETTER, errors="ignore")


def _words(run: str) -> list[tuple[str, int]]:
    """jieba's precise cut of a Han run as (word, offset in run)."""
    result = []
    offset = 0
    for word in _jieba().cut(run, HMM=True):
        result.append((word, offset))
        offset += len(word)
    return result


def _pieces(run: str) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """The run split at stop words: (piece, offset in run, its words with offsets in run)."""
    pieces: list[tuple[str, int, list[tuple[str, int]]]] = []
    current: list[tuple[str, int]] = []
    for word, offset in _words(run):
        if word in STOP_WORDS:
            if current:
                pieces.append(_piece(run, current))
                current = []
        else:
            current.append((word, offset))
    if current:
        pieces.append(_piece(run, current))
    return pieces


def _piece(run: str, words: list[tuple[str, int]]) -> tuple[str, int, list[tuple[str, int]]]:
    start = words[0][1]
    end = words[-1][1] + len(words[-1][0])
    return run[start:end], start, words


def _long_words(words: list[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """Words of three or more characters, and the three-character dictionary words inside the
    longer ones (jieba's search mode; two-character ones are covered by the bigrams)."""
    frequencies = _jieba().FREQ
    for word, offset in words:
        if len(word) < 3:
            continue
        if len(word) > 3:
            for i in range(len(word) - 2):
                if frequencies.get(word[i : i + 3]):
                    yield word[i : i + 3], offset + i
        yield word, offset


def han_tokens(run: str, base: int, *, query: bool = False) -> Iterator[Token]:
    """Terms of one Han run. ``query`` omits the trailing single character (a query uses a
    prefix term instead, see ``kefu.search.query``)."""
    for piece, offset, words in _pieces(run):
        at = base + offset
        if len(piece) == 1:
            yield Token(piece, at, at + 1)
            continue
        for word, start in _long_words(words):
            yield Token(word, base + start, base + start + len(word))
        for i in range(len(piece) - 1):
            yield Token(piece[i : i + 2], at + i, at + i + 2)
        if not query:
            end = at + len(piece)
            yield Token(piece[-1], end - 1, end)


def code_tokens(run: str, base: int) -> Iterator[Token]:
    """Terms of a letters-and-digits run: the run itself (punctuation removed), its parts, and
    the letter and digit groups of each part. Each term once per run."""
    end = base + len(run)
    seen: set[str] = set()
    joined = _PART_SPLIT.sub("", run)[:MAX_CODE_LENGTH]
    candidates = [Token(joined, base, end)]
    offset = 0
    for part in _PART_SPLIT.split(run):
        at = base + offset
        candidates.append(Token(part, at, at + len(part)))
        for group in _LETTERS_DIGITS.finditer(part):
            candidates.append(Token(group.group(), at + group.start(), at + group.end()))
        offset += len(part) + 1
    for token in candidates:
        if token.text and token.text not in seen and len(token.text) <= MAX_CODE_LENGTH:
            seen.add(token.text)
            yield token


def tokens(normalised: str, *, query: bool = False) -> Iterator[Token]:
    """All terms of an already normalised text, with positions."""
    for match in _RUN.finditer(normalised):
        han, code = match.group(1), match.group(2)
        if han:
            yield from han_tokens(han, match.start(), query=query)
        else:
            yield from code_tokens(code, match.start())


def pinyin_terms(normalised: str) -> list[str]:
    """Pinyin initials of each short Han piece and of each word in it (``张三`` → ``zs``)."""
    initials = _pinyin_initials()
    terms: list[str] = []
    for match in _RUN.finditer(normalised):
        run = match.group(1)
        if not run:
            continue
        for piece, _offset, words in _pieces(run):
            if len(piece) <= PINYIN_RUN_LIMIT:
                terms.append("".join(initials(piece)))
            if len(words) > 1:
                terms.extend("".join(initials(word)) for word, _at in words if len(word) >= 2)
    return [PINYIN_MARK + term for term in terms if len(term) >= 2]


def pinyin_query_term(word: str) -> str | None:
    """The pinyin-initials term a typed word stands for, if it looks like initials."""
    return PINYIN_MARK + word if _INITIALS.match(word) else None


def index_terms(text: str, *, pinyin: bool = False) -> list[str]:
    """The terms a document field stores, in text order (repeats kept: they are frequencies)."""
    normalised = normalise(text)
    terms = [token.text for token in tokens(normalised)]
    if pinyin:
        terms.extend(pinyin_terms(normalised))
    return terms
