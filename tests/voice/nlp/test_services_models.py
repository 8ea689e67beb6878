"""Per-organization models: trained from the default corpus plus corrections (a corrected
text flips), recorded in the DB, cached, rebuilt when the artifact file is gone; the worker
path stores the model's version and explanation and the feedback page highlights its words."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cem.models import AuditEvent
from voice.models import Feedback, FeedbackAnalysis, SentimentModel
from voice.nlp import artifact
from voice.services import analysis
from voice.services import models as sentiment_models
from voice.services.corrections import feedback_correct
from voice.services.ingest import feedback_ingest_many

pytestmark = pytest.mark.django_db

SARCASM = "这价格真美丽"  # the default model reads it as praise


def _ingest(org, *texts):
    items = [{"channel": "app", "occurred_at": timezone.now(), "metadata": {}, "text": t}
             for t in texts]
    return [r.feedback for r in feedback_ingest_many(organization=org, items=items, source="api")]


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant.scope():
        yield


def test_worker_path_stores_the_default_models_version_and_explanation(tenant, manager_client):
    (row,) = _ingest(tenant.org, "物流很快，但是质量太差")
    assert analysis.feedback_analyze_batch(organization_id=tenant.org.pk,
                                           feedback_ids=[row.pk]) == [row.pk]
    row.refresh_from_db()
    default = sentiment_models.default_analyzer()
    assert row.model_version == default.version and row.sentiment_label == "negative"
    stored = FeedbackAnalysis.all_orgs.get(feedback=row)
    assert stored.model_version == default.version
    assert [c["text"] for c in stored.explanation["clauses"]] == ["物流很快", "但是质量太差"]
    assert "contrast: 但是 (later clause weighs more)" in stored.explanation["rules"]
    page = manager_client.get(reverse("feedback-detail", args=[row.pk])).content.decode()
    assert '<span class="hl-neg hl-word"' in page and '<span class="hl-pos hl-word"' in page
    assert default.version in page


def test_org_model_from_corrections_flips_a_corrected_text(tenant, other_tenant, tmp_path):
    default = sentiment_models.default_analyzer()
    assert default.analyze_many([SARCASM], [])[0].label == "positive"
    (row,) = _ingest(tenant.org, SARCASM)
    feedback_correct(organization=tenant.org, feedback=row, actor=tenant.users["manager"],
                     label="negative")
    record = sentiment_models.sentiment_model_train(
        organization=tenant.org, csv_rows=[(1, "送达时间比预计早了好多")])
    assert (record.rows_corrections, record.rows_csv, record.rows_default) == (1, 1, 35123)
    assert record.extra_rows == [[0, SARCASM], [1, "送达时间比预计早了好多"]]
    assert record.is_active and record.version.startswith("cxsent-org-")
    assert AuditEvent.all_orgs.filter(organization=tenant.org,
                                      action="sentiment_model.trained").count() == 1
    mine = sentiment_models.analyzer_for_organization(organization_id=tenant.org.pk)
    assert mine.version == record.version != default.version
    assert mine.analyze_many([SARCASM], [])[0].label == "negative"
    # the other tenant keeps the default model
    assert sentiment_models.analyzer_for_organization(
        organization_id=other_tenant.org.pk) is default
    # cached: the same inputs load the artifact instead of training again
    weights, trained = artifact.load_or_train(sentiment_models.cache_dir(),
                                              [(0, SARCASM), (1, "送达时间比预计早了好多")])
    assert not trained and weights.key == record.artifact_key
    # evaluate_sentiment --org reports the default model (before) and the org's (after)
    csv_path = tmp_path / "eval.csv"
    csv_path.write_text(f"label,text\n0,{SARCASM}\n0,质量太差\n", encoding="utf-8")
    out = StringIO()
    call_command("evaluate_sentiment", str(csv_path), "--json", "--org", "alpha", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["dropped"] == 1 and result["n"] == 1  # the corrected text is training data
    assert result["model"] == record.version and result["before"]["model"] == default.version
    # the worker path uses the organization's model
    Feedback.all_orgs.filter(pk=row.pk).update(status="pending", sentiment_corrected=False)
    analysis.feedback_analyze_batch(organization_id=tenant.org.pk, feedback_ids=[row.pk])
    row.refresh_from_db()
    assert row.model_version == record.version and row.sentiment_label == "negative"

    # a worker without the artifact file rebuilds the same model from the recorded rows
    path = Path(sentiment_models.cache_dir()) / f"sentiment-{record.artifact_key}.npz"
    path.unlink()
    sentiment_models._loaded.pop(f"org:{record.artifact_key}")
    rebuilt = sentiment_models.analyzer_for_organization(organization_id=tenant.org.pk)
    assert path.exists() and rebuilt.version == record.version
    assert rebuilt.analyze_many([SARCASM], [])[0].label == "negative"

    # back to the default
    assert sentiment_models.sentiment_model_reset(organization=tenant.org) == 1
    assert not SentimentModel.all_orgs.filter(organization=tenant.org, is_active=True).exists()
    assert sentiment_models.analyzer_for_organization(organization_id=tenant.org.pk) is default


def test_default_artifact_is_loaded_from_the_cache_not_retrained():
    first = sentiment_models.default_analyzer()
    weights, trained = artifact.load_or_train(sentiment_models.cache_dir())
    assert not trained and weights.key == first.weights.key
    assert (Path(sentiment_models.cache_dir()) / f"sentiment-{weights.key}.npz").exists()
    assert sentiment_models.default_analyzer() is first
