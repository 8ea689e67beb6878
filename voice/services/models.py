"""Which sentiment/topic model analyzes an organization's feedback, loaded once per process.

NOTE: the text-analytics issue replaces the SnowNLP baseline with the trained default model
and per-organization models (corrections, domain adaptation); callers keep this signature.
"""

from __future__ import annotations

import threading

from voice.models import Topic
from voice.nlp.baseline import SnowNLPAnalyzer
from voice.nlp.types import Analyzer, TopicSpec

_lock = threading.Lock()
_loaded: dict[str, Analyzer] = {}


def analyzer_for_organization(*, organization_id: int) -> Analyzer:
    """The analyzer for this organization's feedback (cached per worker process)."""
    with _lock:
        if "default" not in _loaded:
            _loaded["default"] = SnowNLPAnalyzer()
        return _loaded["default"]


def topic_specs(*, organization_id: int) -> list[TopicSpec]:
    """The organization's active taxonomy as the analyzer sees it."""
    rows = (Topic.all_orgs.filter(organization_id=organization_id, is_active=True)
            .order_by("name").values_list("name", "keywords"))
    return [TopicSpec(name, tuple(k for k in keywords if isinstance(k, str) and k))
            for name, keywords in rows]
