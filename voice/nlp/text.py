"""Text handling for the default model: clause splitting, emoji/emoticons, jieba with a CX
user dictionary (one private tokenizer per process, loaded once, thread-safe)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
USER_DICT = DATA_DIR / "cx_userdict.txt"

#: Clause boundaries (full- and half-width punctuation, tildes, ellipses, line breaks). Emoji
#: and emoticons stay inside their clause: they carry its sentiment.
CLAUSE = re.compile(r"[^，。！？；,.!?;~～…\n\r]+")

#: Emoticons written with ASCII punctuation, scanned before clause splitting eats them.
EMOTICONS = {":)": 1, ":-)": 1, "^_^": 1, "^^": 1, ":(": -1, ":-(": -1, "T_T": -1, "TT": -1,
             "QAQ": -1, "orz": -1}
_EMOTICON = re.compile("|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True)))

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """The process's jieba tokenizer with the CX user dictionary (built once)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                tok.load_userdict(str(USER_DICT))
                _tokenizer = tok
    return _tokenizer


def clauses(text: str) -> list[tuple[str, int, int]]:
    """(clause, start, end) spans; ASCII emoticons are kept with the clause before them."""
    protected = {m.start(): m.end() for m in _EMOTICON.finditer(text)}
    if not protected:  # the common case: the clauses are the runs between boundaries
        spans = [m.span() for m in CLAUSE.finditer(text)]
        return _stripped(text, spans)
    spans = []
    pos, n = 0, len(text)
    start = None
    while pos < n:
        if pos in protected:
            if start is None:
                start = pos
            pos = protected[pos]
            continue
        if CLAUSE.match(text[pos]):
            if start is None:
                start = pos
            pos += 1
            continue
        if start is not None:
            spans.append((start, pos))
            start = None
        pos += 1
    if start is not None:
        spans.append((start, n))
    return _stripped(text, spans)


def _stripped(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    out = []
    for s, e in spans:
        piece = text[s:e]
        stripped = piece.strip()
        if stripped:
            s += len(piece) - len(piece.lstrip())
            out.append((stripped, s, s + len(stripped)))
    return out


def emoticons(clause: str) -> list[tuple[str, int, int]]:
    """ASCII emoticons in a clause: (emoticon, start, end)."""
    return [(m.group(), m.start(), m.end()) for m in _EMOTICON.finditer(clause)]


def words(clause: str) -> list[tuple[str, int, int]]:
    """jieba tokens of a clause with offsets, whitespace dropped."""
    return [(w, s, e) for w, s, e in tokenizer().tokenize(clause) if w.strip()]
