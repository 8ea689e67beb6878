"""Clause splitting (with and without ASCII emoticons) and the analyzer's per-process caches."""

from voice.nlp.text import clauses


def test_clauses_are_the_runs_between_boundaries_with_their_offsets():
    text = "  物流很快，但是质量太差！！\n客服还行…"
    assert clauses(text) == [("物流很快", 2, 6), ("但是质量太差", 7, 13), ("客服还行", 16, 20)]
    assert clauses("，。 ！") == [] and clauses("") == []


def test_an_emoticon_stays_in_the_clause_before_it():
    assert clauses("收到了:)，很好T_T") == [("收到了:)", 0, 5), ("很好T_T", 6, 11)]
    assert clauses("等了很久:(") == [("等了很久:(", 0, 6)]


def test_cached_clauses_and_words_give_the_same_analysis_as_a_cold_model(model):
    texts = ["送餐很快，味道不错", "味道不错，就是有点咸", "送餐很快，味道不错"]
    model.clear_caches()
    cold = model.analyze_many(texts, [])
    warm = model.analyze_many(texts, [])
    assert [(a.label, a.score, a.explanation) for a in cold] == [
        (a.label, a.score, a.explanation) for a in warm]
    assert cold[0].explanation == cold[2].explanation
