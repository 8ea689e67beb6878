"""The explanation → highlighted pieces: clause tones, bold decisive words, odd offsets ignored."""

from voice.highlight import decisive_words, explanation_rules, highlight

TEXT = "物流很快，但是质量太差"
EXPLANATION = {
    "source": "text",
    "clauses": [{"text": "物流很快", "start": 0, "end": 4, "score": 0.8, "weight": 0.3},
                {"text": "但是质量太差", "start": 5, "end": 11, "score": -0.9, "weight": 0.7}],
    "words": [{"word": "很快", "start": 2, "end": 4, "weight": 0.6},
              {"word": "太差", "start": 9, "end": 11, "weight": -0.9}],
    "rules": ["contrast: 但是 (later clause weighs more)"],
}


def test_pieces_cover_the_text_in_order_with_tones_and_bold_words():
    pieces = highlight(TEXT, EXPLANATION)
    assert "".join(p.text for p in pieces) == TEXT
    assert [(p.text, p.tone, p.bold) for p in pieces] == [
        ("物流", "pos", False), ("很快", "pos", True), ("，", "", False), ("但是质量", "neg", False),
        ("太差", "neg", True)]


def test_no_or_broken_explanation_gives_plain_text():
    assert [(p.text, p.tone) for p in highlight(TEXT, None)] == [(TEXT, "")]
    assert [p.text for p in highlight(TEXT, {"source": "score", "clauses": []})] == [TEXT]
    broken = {"clauses": [{"start": 3, "end": 99, "score": 1}, {"start": "0", "end": 2},
                          {"start": 5, "end": 2, "score": -1}, "x", {"start": True, "end": 3}],
              "words": None}
    assert [p.text for p in highlight(TEXT, broken)] == [TEXT]
    assert highlight("", EXPLANATION) == []


def test_decisive_words_and_rules():
    assert [w["word"] for w in decisive_words(EXPLANATION)] == ["太差", "很快"]
    assert explanation_rules(EXPLANATION) == ["contrast: 但是 (later clause weighs more)"]
    assert decisive_words({"words": [{"word": "x", "weight": "a"}]}) == []
