"""Hand-written rule lexicons: sentiment words, negators, intensifiers, contrast markers."""

from __future__ import annotations

from functools import lru_cache

from voice.nlp.text import DATA_DIR, EMOTICONS

LEXICON_FILE = DATA_DIR / "sentiment_lexicon.txt"

#: Words that flip the polarity of the sentiment word that follows in the clause (不太满意,
#: 没有…好, 不算差). Checked within NEGATION_WINDOW tokens before the sentiment word.
NEGATORS = frozenset("不 没 没有 无 非 未 别 勿 不是 不算 不太 不怎么 不够 并不 并没有 从不 从没 "
                     "毫不 绝不 决不 一点也不 一点都不 不会 没什么 算不上 谈不上 称不上".split())
NEGATION_WINDOW = 3

#: Degree words: multiply the weight of the sentiment word that follows.
INTENSIFIERS = {
    **dict.fromkeys("非常 特别 超级 超 极 极其 十分 太 巨 贼 最 相当 尤其 格外 真的 真 实在 "
                    "好 蛮 挺 很 完全 绝对 简直".split(), 1.5),
    **dict.fromkeys("有点 有些 稍微 略 略微 一点 有一点 比较 还算 还".split(), 0.6),
}

#: A clause starting with (or containing) these weighs more than the clauses before it.
CONTRAST = ("但是", "但", "可是", "不过", "可惜", "然而", "就是", "只是", "只不过", "偏偏", "却")
CONTRAST_LATER, CONTRAST_EARLIER = 2.0, 0.5

#: Emoji are matched as characters; ASCII emoticons come from text.EMOTICONS.
EMOJI = {"😊": 1, "👍": 1, "😄": 1, "😁": 1, "❤": 1, "💯": 1, "😍": 1, "🥰": 1, "👌": 1,
         "😀": 1, "😃": 1, "🙂": 1, "😘": 1, "🌹": 1, "👏": 1, "🎉": 1, "💕": 1, "🤩": 1,
         "😡": -1, "👎": -1, "😠": -1, "😤": -1, "😞": -1, "😢": -1, "😭": -1, "💩": -1,
         "🙄": -1, "😒": -1, "😣": -1, "🤮": -1, "😫": -1, "💔": -1}


def negator_before(tokens, i: int) -> str | None:
    """The nearest negator within NEGATION_WINDOW tokens before tokens[i] (None when there is
    none, or when tokens[i] is a negator itself): 不太满意 → 不太."""
    if tokens[i] in NEGATORS:
        return None
    return next((p for p in reversed(tokens[max(0, i - NEGATION_WINDOW):i]) if p in NEGATORS),
                None)


@lru_cache(maxsize=1)
def sentiment_words() -> dict[str, float]:
    """{word: +1 | -1} from the lexicon file, plus emoji and emoticons."""
    lexicon: dict[str, float] = {}
    for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _tab, value = line.partition("\t")
        lexicon[word.strip()] = float(value)
    lexicon.update({k: float(v) for k, v in EMOJI.items()})
    lexicon.update({k: float(v) for k, v in EMOTICONS.items()})
    return lexicon


def lexicon_fingerprint() -> str:
    """The text every rule lexicon is built from (part of the model's artifact key)."""
    return "\n".join([LEXICON_FILE.read_text(encoding="utf-8"), " ".join(sorted(NEGATORS)),
                      repr(sorted(INTENSIFIERS.items())), " ".join(CONTRAST),
                      repr(sorted(EMOJI.items()))])
