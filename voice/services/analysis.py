"""Analysis of stored feedback in the workers: score sentiment, tag topics, mark `analyzed`.

Idempotent and safe under redelivery: a batch claims its rows with
`SELECT … FOR UPDATE SKIP LOCKED WHERE status = 'pending'` and writes every result and the new
status in that one transaction. A worker killed mid-batch rolls the transaction back, so the
rows stay `pending` for the redelivered task or the sweep; a duplicate run finds nothing to do.
One FeedbackAnalysis row per (feedback, model version) holds the score and its explanation.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import timezone
from psycopg2.extras import execute_values

from cem import events
from voice.models import Feedback, FeedbackAnalysis, FeedbackTopic, Sentiment, Topic
from voice.nlp.types import TextAnalysis, TransientAnalysisError
from voice.services.models import analyzer_for_organization, topic_specs
from voice.services.processing import ANALYSIS_BATCH_SIZE, enqueue_analysis_on_commit

logger = logging.getLogger(__name__)

ERR_ANALYSIS = "Analysis failed: {error}"
ERR_GAVE_UP = "Analysis failed after {retries} retries: {error}"


def score_only_analysis(feedback: Feedback) -> TextAnalysis:
    """Sentiment of a feedback without text, read from its score (NPS, then CSAT, then CES)."""
    if feedback.nps is not None:
        label = (Sentiment.POSITIVE if feedback.nps >= 9 else
                 Sentiment.NEGATIVE if feedback.nps <= 6 else Sentiment.NEUTRAL)
        score = (feedback.nps - 5) / 5
    elif feedback.csat is not None:
        label = (Sentiment.POSITIVE if feedback.csat >= 4 else
                 Sentiment.NEGATIVE if feedback.csat <= 2 else Sentiment.NEUTRAL)
        score = (feedback.csat - 3) / 2
    else:
        ces = feedback.ces or 4
        label = (Sentiment.POSITIVE if ces >= 5 else
                 Sentiment.NEGATIVE if ces <= 3 else Sentiment.NEUTRAL)
        score = (ces - 4) / 3
    explanation = {"source": "score", "clauses": [], "words": [], "rules": []}
    return TextAnalysis(str(label), round(score, 4), [], explanation)


def _analyze_texts(analyzer, rows: list[Feedback], specs) -> dict[int, TextAnalysis | Exception]:
    """One result per row; a row that breaks the model is isolated and reported, not raised."""
    with_text = [row for row in rows if row.text.strip()]
    results: dict[int, TextAnalysis | Exception] = {
        row.pk: score_only_analysis(row) for row in rows if not row.text.strip()}
    try:
        outputs = analyzer.analyze_many([row.text for row in with_text], specs)
        results.update({row.pk: out for row, out in zip(with_text, outputs, strict=True)})
    except TransientAnalysisError:
        raise
    except Exception:  # noqa: BLE001 (find the row that breaks the model, keep the others)
        for row in with_text:
            try:
                results[row.pk] = analyzer.analyze_many([row.text], specs)[0]
            except TransientAnalysisError:
                raise
            except Exception as exc:  # noqa: BLE001
                logger.exception("analysis of feedback %s failed", row.pk)
                results[row.pk] = exc
    return results


def _save(organization_id: int, rows: list[Feedback], results: dict, version: str) -> list[int]:
    now = timezone.now()
    topic_ids = dict(Topic.all_orgs.filter(organization_id=organization_id)
                     .values_list("name", "id"))
    analyses, links, done = [], [], []
    for row in rows:
        result = results[row.pk]
        row.attempts += 1
        if isinstance(result, Exception):
            row.status = Feedback.Status.FAILED
            row.failure_reason = ERR_ANALYSIS.format(error=f"{type(result).__name__}: {result}")[:2000]
            continue
        analyses.append(FeedbackAnalysis(
            organization_id=organization_id, feedback=row, model_version=version,
            label=result.label, score=result.score, explanation=result.explanation))
        if not row.topics_corrected:
            links += [FeedbackTopic(organization_id=organization_id, feedback=row,
                                    topic_id=topic_ids[hit.name], polarity=hit.polarity,
                                    clause=hit.clause[:500])
                      for hit in result.topics if hit.name in topic_ids]
        if not row.sentiment_corrected:
            row.sentiment_label, row.sentiment_score = result.label, result.score
        row.status, row.failure_reason = Feedback.Status.ANALYZED, ""
        row.model_version, row.analyzed_at = version, now
        done.append(row.pk)
    FeedbackAnalysis.all_orgs.bulk_create(
        analyses, update_conflicts=True, unique_fields=["organization", "feedback", "model_version"],
        update_fields=["label", "score", "explanation"])
    # NOTE: topics a CX manager corrected by hand survive re-analysis.
    FeedbackTopic.all_orgs.filter(organization_id=organization_id, feedback_id__in=done,
                                  feedback__topics_corrected=False).delete()
    FeedbackTopic.all_orgs.bulk_create(links, ignore_conflicts=True)
    _write_rows(organization_id, rows)
    return done


_ROW_FIELDS = ["status", "failure_reason", "attempts", "sentiment_label", "sentiment_score",
               "model_version", "analyzed_at"]
#: One UPDATE … FROM (VALUES …) for the whole batch (Django's bulk_update builds a CASE per
#: field and row, which cost more than scoring the texts).
_UPDATE_SQL = """
    UPDATE {table} AS f SET status = v.status, failure_reason = v.failure_reason,
        attempts = v.attempts, sentiment_label = v.sentiment_label,
        sentiment_score = v.sentiment_score, model_version = v.model_version,
        analyzed_at = v.analyzed_at
    FROM (VALUES %s) AS v(id, status, failure_reason, attempts, sentiment_label, sentiment_score,
                         model_version, analyzed_at)
    WHERE f.id = v.id AND f.organization_id = {organization_id:d}"""
_UPDATE_ROW = ("(%s::bigint, %s::varchar, %s::text, %s::smallint, %s::varchar, %s::double precision,"
               " %s::varchar, %s::timestamptz)")


def _write_rows(organization_id: int, rows: list[Feedback]) -> None:
    """Store the batch's new status and sentiment fields in one statement."""
    if connection.vendor != "postgresql":
        Feedback.all_orgs.bulk_update(rows, _ROW_FIELDS)
        return
    values = [(row.pk, *(getattr(row, name) for name in _ROW_FIELDS)) for row in rows]
    # NOTE: execute_values allows one placeholder (the VALUES list); the organization id is an
    # int formatted in with `:d`, never text.
    sql = _UPDATE_SQL.format(table=connection.ops.quote_name(Feedback._meta.db_table),
                             organization_id=int(organization_id))
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, values, template=_UPDATE_ROW, page_size=len(values) or 1)


def _claim(organization_id: int, feedback_ids: list[int], statuses: list[str],
           coalesce: bool) -> list[Feedback]:
    """Lock the rows to analyze (SKIP LOCKED: a sibling's rows are left to it). `coalesce`
    tops a small batch up with other pending rows of the organization, so single posts are
    scored a batch at a time; their own messages then find nothing left to do."""
    claim = Feedback.all_orgs.select_for_update(skip_locked=True, of=("self",)).filter(
        organization_id=organization_id, status__in=statuses).order_by("pk")
    rows = list(claim.filter(pk__in=feedback_ids))
    room = ANALYSIS_BATCH_SIZE - len(rows)
    if coalesce and room > 0:
        rows += list(claim.exclude(pk__in=feedback_ids)[:room])
    return rows


def feedback_analyze_batch(*, organization_id: int, feedback_ids: list[int],
                           reanalyze: bool = False, coalesce: bool = False) -> list[int]:
    """Analyze the still-pending rows among `feedback_ids`; returns the ids analyzed now.

    Idempotent: analyzed, failed and concurrently claimed rows are skipped. Raises
    TransientAnalysisError (nothing written) when the model's dependency fails for a while.
    `reanalyze`: analyze the analyzed and failed rows instead (current model and taxonomy;
    corrections kept) and announce FEEDBACK_CHANGED, not FEEDBACK_ANALYZED.
    `coalesce` (the workers): also take other pending rows of the organization (see _claim).
    """
    statuses = ([Feedback.Status.ANALYZED, Feedback.Status.FAILED] if reanalyze
                else [Feedback.Status.PENDING])
    analyzer = analyzer_for_organization(organization_id=organization_id)
    specs = topic_specs(organization_id=organization_id)
    with transaction.atomic():
        rows = _claim(organization_id, feedback_ids, statuses, coalesce and not reanalyze)
        if not rows:
            return []
        results = _analyze_texts(analyzer, rows, specs)
        done = _save(organization_id, rows, results, analyzer.version)
        if done:
            # NOTE: a re-analysis is a change of stored results (metrics recompute), not new
            # feedback: alert rules and webhooks must not fire again for old rows.
            events.announce(events.FEEDBACK_CHANGED if reanalyze else events.FEEDBACK_ANALYZED,
                            organization_id=organization_id, feedback_ids=done)
    return done


@transaction.atomic
def feedback_mark_failed(*, organization_id: int, feedback_ids: list[int], reason: str) -> int:
    """Give up on rows still pending (after the task's retries); returns how many."""
    return Feedback.all_orgs.filter(
        organization_id=organization_id, pk__in=feedback_ids, status=Feedback.Status.PENDING,
    ).update(status=Feedback.Status.FAILED, failure_reason=reason[:2000])


@transaction.atomic
def feedback_retry_failed(*, organization, feedback_ids: list[int] | None = None) -> int:
    """Put failed rows (all, or these ids) back to pending and enqueue them; returns how many."""
    rows = Feedback.all_orgs.filter(organization=organization, status=Feedback.Status.FAILED)
    if feedback_ids is not None:
        rows = rows.filter(pk__in=feedback_ids)
    ids = list(rows.values_list("pk", flat=True))
    Feedback.all_orgs.filter(pk__in=ids).update(status=Feedback.Status.PENDING, failure_reason="")
    enqueue_analysis_on_commit(organization_id=organization.pk, feedback_ids=ids)
    return len(ids)
