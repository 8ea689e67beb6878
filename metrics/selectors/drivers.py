"""Key drivers: how much each topic pulls NPS down or up over a range."""

from __future__ import annotations

from datetime import datetime

from metrics import definitions as d
from metrics.aggregate import feedback_counts, total
from metrics.counts import Counts
from metrics.filters import resolve_filters
from metrics.selectors.common import check_range, group_key_label


def _nps_counts(counts: Counts) -> dict:
    return {"promoters": counts.promoters, "passives": counts.passives,
            "detractors": counts.detractors}


def key_drivers(*, organization, start: datetime, end: datetime, filters: dict | None = None) -> dict:
    """{"nps": overall NPS figure, "items": [...]} ranked by `impact`, the most negative first.

    impact = NPS of all responses − NPS without the topic's responses (= (NPS with − NPS
    without) × the topic's share of responses): negative pulls NPS down, positive lifts it.
    """
    check_range(start, end)
    resolved = resolve_filters(organization=organization, filters=filters)
    overall = total(feedback_counts(organization=organization, start=start, end=end,
                                    filters=resolved))
    by_topic = feedback_counts(organization=organization, start=start, end=end, filters=resolved,
                               group=("topic",))
    labels = group_key_label(organization=organization, by="topic",
                             keys={key for (key,) in by_topic})
    items = []
    for (topic_id,), counts in by_topic.items():
        if topic_id not in labels:
            continue
        impact = d.nps_impact(with_topic=_nps_counts(counts), overall=_nps_counts(overall))
        items.append({"topic": labels[topic_id][1], **impact, "mentions": counts.feedback,
                      "pain": counts.pain, "delight": counts.delight,
                      "neutral": counts.neutral_mentions})
    items.sort(key=lambda i: (i["impact"] is None, i["impact"] or 0, -i["mentions"], i["topic"]))
    nps = d.nps(**_nps_counts(overall))
    return {"nps": nps, "items": items}
