"""The pure-Python text analytics (no database): keyword weights and clustering."""

import random

from voice.nlp.discovery import MIN_TEXTS, cluster_texts
from voice.nlp.wordcloud import keywords, tokens


def test_tokens_keep_content_words_and_the_cx_dictionary():
    assert tokens("次日达没有做到，客服小姐姐态度还行！！") == ["次日达", "做到", "客服小姐姐", "态度"]
    assert tokens("的 了 吗 123 A") == []


def test_keyword_weights_and_counts_by_hand():
    # 快递 in 2 of 3 texts (3 times), 太慢 in 1; weights are TF-IDF normalised to the best word
    lists = [["快递", "太慢"], ["快递", "快递"], ["退款"]]
    words = {w["word"]: w for w in keywords(lists)}
    assert words["快递"]["count"] == 2 and words["太慢"]["count"] == 1
    assert max(w["weight"] for w in words.values()) == 1.0
    assert keywords([[], []]) == []
    assert len(keywords([[f"词{i}" for i in range(100)]], limit=10)) == 10


def test_two_obvious_themes_become_two_clusters():
    points = [f"积分{suffix}" for suffix in ("清零了", "兑换失败", "没了", "过期", "被扣", "不到账")]
    invoices = [f"发票{suffix}" for suffix in ("开错了", "没收到", "抬头错误", "迟迟不寄", "金额不对",
                                               "丢了")]
    texts = points + invoices
    random.Random(3).shuffle(texts)
    clusters = cluster_texts(texts)
    assert [c.size for c in clusters] == [6, 6]
    assert {c.terms[0] for c in clusters} == {"积分", "发票"}
    for cluster in clusters:
        assert all(cluster.terms[0] in texts[i] for i in cluster.members)


def test_too_few_or_identical_texts_give_no_clusters():
    assert cluster_texts(["积分清零"] * (MIN_TEXTS - 1)) == []
    assert cluster_texts(["积分清零"] * 30) == []
    assert cluster_texts(["的了吗"] * 30) == []
