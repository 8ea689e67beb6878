"""Keywords of a group of Chinese texts for word clouds (pure Python: jieba, no Django).

Texts are segmented once (`tokens`), then any number of groups is scored from the token lists:
weight = TF-IDF with jieba.analyse's IDF table (the same as `jieba.analyse.extract_tags`), so
common words (“的”, “我们”) sink and domain words (快递, 退款) rise; `count` is the number of
texts that contain the word.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence

#: Customer-experience words jieba would otherwise split (次日达 → 次日 / 达).
CX_WORDS = ("次日达", "当日达", "退换货", "七天无理由", "客服小姐姐", "快递员", "差评", "好评",
            "性价比", "包装破损", "送货上门", "人工客服", "机器人客服", "闪退", "卡顿", "12315",
            "运费险", "以旧换新", "价保", "物有所值", "爱答不理", "售后服务", "外卖小哥")
#: Words that carry no topic in feedback, on top of jieba.analyse's own list.
STOPWORDS = frozenset("""
的 了 是 我 你 他 她 它 我们 你们 他们 这 那 这个 那个 就是 还是 但是 可是 不过 而且 因为 所以
如果 虽然 然后 一个 一下 一点 有点 有些 非常 特别 真的 真是 太 很 挺 比较 还 也 都 就 又 再 才
没有 没 不 不是 不会 不能 可以 能 会 要 想 说 让 给 把 被 在 从 到 对 和 与 及 或 等 啊 吧 呢 吗
哦 呀 嗯 哈 哈哈 啦 呵呵 什么 怎么 这么 那么 这样 那样 已经 一直 一次 一些 知道 觉得 感觉 东西
时候 现在 之前 以后 今天 昨天 里面 上面 下次 还有 只是 自己 大家 其他 其实 确实 好像 而 但 且
下 上 中 之 为 以 于 个 们 得 地 着 过 来 去 做 用 看 买 次 点 些 后 前 时 里 下单 亲 请 谢谢
""".split())
_NOISE = re.compile(r"^[\W\d_a-zA-Z]{1}$|^\d+(\.\d+)?$|^\W+$")

_lock = threading.Lock()
_state: dict = {}


def _jieba():
    """jieba with the CX words and the IDF table, loaded once per process."""
    with _lock:
        if "jieba" not in _state:
            import jieba
            from jieba.analyse.tfidf import TFIDF

            for word in CX_WORDS:
                jieba.add_word(word, freq=20000)
            tfidf = TFIDF()
            _state.update(jieba=jieba, idf=tfidf.idf_freq, median_idf=tfidf.median_idf,
                          stop=STOPWORDS | {w for w in tfidf.stop_words})
        return _state


def tokens(text: str) -> list[str]:
    """Content words of one text: jieba tokens without stopwords, punctuation, numbers and
    single characters."""
    state = _jieba()
    stop = state["stop"]
    return [w for w in (t.strip() for t in state["jieba"].lcut(text or ""))
            if len(w) >= 2 and w not in stop and not _NOISE.match(w)]


def keywords(token_lists: Iterable[Sequence[str]], *, limit: int = 60) -> list[dict]:
    """[{"word", "weight" (0..1, best = 1), "count" (texts containing it)}], best first."""
    state = _jieba()
    idf, median = state["idf"], state["median_idf"]
    frequency: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for words in token_lists:
        frequency.update(words)
        documents.update(set(words))
    total = sum(frequency.values())
    if not total:
        return []
    scored = sorted(((freq / total * idf.get(word, median), word)
                     for word, freq in frequency.items()), reverse=True)[:limit]
    top = scored[0][0] or 1.0
    return [{"word": word, "weight": round(score / top, 4), "count": documents[word]}
            for score, word in scored]
