"""The default model's rules (negation, contrast, intensifiers, emoji/emoticons), clause-level
topic polarity and the explanation's shape and offsets."""

from voice.highlight import highlight
from voice.nlp.types import EXPLANATION, TopicSpec

TAXONOMY = [TopicSpec("物流配送", ("物流", "快递", "配送", "送达")),
            TopicSpec("产品质量", ("质量", "做工")),
            TopicSpec("服务态度", ("客服", "态度", "客服小姐姐"))]


def one(model, text, topics=()):
    return model.analyze_many([text], list(topics))[0]


def test_logistics_fast_but_quality_bad_gives_clause_polarities(model):
    result = one(model, "物流很快，但是质量太差", TAXONOMY)
    assert result.label == "negative" and -1 <= result.score < 0
    assert [(h.name, h.polarity, h.clause, h.keyword) for h in result.topics] == [
        ("物流配送", "delight", "物流很快", "物流"), ("产品质量", "pain", "但是质量太差", "质量")]
    assert "contrast: 但是 (later clause weighs more)" in result.explanation["rules"]
    earlier, later = result.explanation["clauses"]
    assert earlier["score"] > 0 > later["score"] and later["weight"] > earlier["weight"]
    assert abs(earlier["weight"] + later["weight"] - 1) < 0.001


def test_contrast_later_clause_decides(model):
    assert one(model, "质量不错，可惜物流太慢了").label == "negative"
    assert one(model, "物流太慢了，不过质量非常好").label == "positive"


def test_negation_flips_a_sentiment_word(model):
    plain, negated = one(model, "满意"), one(model, "不太满意")
    assert plain.label == "positive" and negated.label == "negative"
    assert "negation: 不太…满意" in negated.explanation["rules"]
    bad, not_bad = one(model, "差"), one(model, "不算差")
    assert "negation: 不算…差" in not_bad.explanation["rules"]
    assert bad.label == "negative" and not_bad.score > bad.score + 0.5
    assert one(model, "服务没有很好").label == "negative"


def test_intensifiers_scale_the_sentiment_word(model):
    weak = one(model, "有点满意")
    assert "intensifier: 有点满意" in weak.explanation["rules"]
    assert 0 < weak.score < one(model, "满意").score


def test_emoji_and_emoticons(model):
    happy, angry = one(model, "还行吧😊"), one(model, "一般👎")
    assert happy.label == "positive" and "emoji: 😊" in happy.explanation["rules"]
    assert angry.label == "negative" and "emoji: 👎" in angry.explanation["rules"]
    assert one(model, "收到了:)").score > one(model, "收到了").score
    assert one(model, "收到了T_T").score < one(model, "收到了").score
    assert one(model, "好评").label == "positive" and one(model, "差评").label == "negative"


def test_explanation_shape_offsets_and_highlighting(model):
    text = "客服小姐姐秒回，点赞！可是快递员态度恶劣😡"
    result = one(model, text, TAXONOMY)
    explanation = result.explanation
    assert tuple(explanation) == EXPLANATION and explanation["source"] == "text"
    for clause in explanation["clauses"]:
        assert text[clause["start"]:clause["end"]] == clause["text"]
        assert -1 <= clause["score"] <= 1
    assert abs(sum(c["weight"] for c in explanation["clauses"]) - 1) < 0.001
    assert explanation["words"], "decisive words are listed"
    for word in explanation["words"]:
        assert text[word["start"]:word["end"]] == word["word"] and word["weight"] != 0
    weights = {w["word"]: w["weight"] for w in explanation["words"]}
    assert weights.get("态度恶劣", weights.get("恶劣", 0)) < 0 and weights.get("点赞", 0) > 0
    pieces = highlight(text, explanation)
    assert "".join(p.text for p in pieces) == text
    assert any(p.bold and p.tone == "neg" for p in pieces)
    topics = {h.name: h for h in result.topics}
    assert set(topics) == {"服务态度", "物流配送"} and topics["物流配送"].polarity == "pain"
    assert all(h.clause in text and h.keyword in h.clause for h in result.topics)


def test_batches_blank_texts_and_version(model):
    texts = ["物流很快", "", "。。。", "质量太差"]
    results = model.analyze_many(texts, TAXONOMY)
    assert [r.label for r in results] == ["positive", "neutral", "neutral", "negative"]
    assert results[1].explanation == {"source": "text", "clauses": [], "words": [], "rules": []}
    assert model.version.startswith("cxsent-") and model.weights.key[:10] in model.version


def test_topic_matcher_uses_every_topic_and_the_first_mentioning_clause(model):
    many = [TopicSpec(f"话题{i}", (f"关键词{i}",)) for i in range(200)] + TAXONOMY
    result = one(model, "关键词7很好，质量太差，快递也太慢，质量还行", many)
    assert [(h.name, h.polarity) for h in result.topics] == [
        ("话题7", "delight"), ("物流配送", "pain"), ("产品质量", "pain")]
    assert one(model, "质量太差", []).topics == []
