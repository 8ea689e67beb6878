"""Re-analysis through the real broker and worker: the task runs chunk by chunk to the end."""

import pytest
from django.db import transaction
from django.utils import timezone

from tests.processing.harness import wait_for
from voice import tasks_topics
from voice.models import Feedback, FeedbackTopic, ReanalysisJob, Topic
from voice.services import reanalysis
from voice.services.ingest import feedback_ingest_many

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_requested_reanalysis_runs_in_the_worker_to_done(tenant, real_worker, monkeypatch):
    monkeypatch.setattr(reanalysis, "CHUNK", 3)
    monkeypatch.setattr(tasks_topics, "REANALYSIS_CHUNKS_PER_TASK", 1)  # re-enqueues itself
    with tenant.scope():
        rows = [r.feedback for r in feedback_ingest_many(
            organization=tenant.org, source="api",
            items=[{"channel": "app", "text": f"第{i}条：积分兑换失败", "metadata": {},
                    "occurred_at": timezone.now()}
                   for i in range(7)])]
    wait_for(lambda: Feedback.all_orgs.filter(pk__in=[r.pk for r in rows],
                                              status="analyzed").count() == 7,
             what="the first analysis")
    Topic.all_orgs.create(organization=tenant.org, name="会员积分", keywords=["积分"])
    with tenant.scope(), transaction.atomic():
        job, created = reanalysis.reanalysis_job_request(organization=tenant.org)
    assert created
    wait_for(lambda: ReanalysisJob.all_orgs.get(pk=job.pk).status == "done", timeout=60,
             what="the re-analysis job to finish")
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (7, 7, 100)
    assert FeedbackTopic.all_orgs.filter(topic__name="会员积分").count() == 7
