"""Topic matching: every taxonomy keyword found in a clause gives that topic, with the
polarity of that clause (first mentioning clause wins). One scan per clause over a
keyword → topics dict indexed by first character, so the whole taxonomy costs little."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from voice.nlp.types import DELIGHT, NEUTRAL_POLARITY, PAIN, TopicHit, TopicSpec


class TopicMatcher:
    def __init__(self, topics: Sequence[TopicSpec]):
        self.order = {t.name: i for i, t in enumerate(topics)}
        # first char → [(keyword, topic names)], longest keyword first
        index: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for topic in topics:
            for keyword in topic.keywords:
                if keyword:
                    index[keyword[0]][keyword].append(topic.name)
        self.index = {ch: sorted(kws.items(), key=lambda kv: -len(kv[0]))
                      for ch, kws in index.items()}

    def match(self, clause_scores: Sequence[tuple[str, float]], band: float) -> list[TopicHit]:
        hits: dict[str, TopicHit] = {}
        if not self.index:
            return []
        for clause, score in clause_scores:
            polarity = DELIGHT if score > band else PAIN if score < -band else NEUTRAL_POLARITY
            for i, ch in enumerate(clause):
                entries = self.index.get(ch)
                if not entries:
                    continue
                for keyword, names in entries:
                    if clause.startswith(keyword, i):
                        for name in names:
                            if name not in hits:
                                hits[name] = TopicHit(name, polarity, clause, keyword)
        return sorted(hits.values(), key=lambda h: self.order[h.name])
