"""Re-analysis of past feedback: chunked, resumable, idempotent, one unfinished job per org."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cem import events
from voice.models import Feedback, FeedbackTopic, ReanalysisJob, Topic
from voice.services import analysis, reanalysis
from voice.services.ingest import feedback_ingest_many

pytestmark = pytest.mark.django_db


def _analyzed(tenant, texts):
    with tenant.scope():
        rows = [r.feedback for r in feedback_ingest_many(
            organization=tenant.org, source="api",
            items=[{"channel": "app", "text": t, "metadata": {}, "occurred_at": timezone.now()}
                   for t in texts])]
    analysis.feedback_analyze_batch(organization_id=tenant.org.pk, feedback_ids=[r.pk for r in rows])
    return rows


@pytest.fixture
def changed():
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe(events.FEEDBACK_CHANGED, handler)
    yield seen
    events._handlers[events.FEEDBACK_CHANGED].remove(handler)


def test_a_taxonomy_change_reaches_past_feedback_after_reanalysis(tenant, monkeypatch, changed):
    monkeypatch.setattr(reanalysis, "CHUNK", 2)
    rows = _analyzed(tenant, ["会员积分被清零了", "积分兑换失败", "快递很慢", "积分没了", "质量不错"])
    assert not FeedbackTopic.all_orgs.filter(topic__name="会员积分").exists()
    Topic.all_orgs.create(organization=tenant.org, name="会员积分", keywords=["积分"])
    with tenant.scope():
        job, created = reanalysis.reanalysis_job_request(organization=tenant.org,
                                                         actor=tenant.users["manager"])
    assert created and job.total == 5 and job.status == "queued"
    job = reanalysis.reanalysis_job_run(organization_id=tenant.org.pk, job_id=job.pk)
    assert (job.status, job.done, job.last_id, job.percent) == ("done", 5, rows[-1].pk, 100)
    assert job.model_version == Feedback.all_orgs.get(pk=rows[0].pk).model_version
    tagged = set(FeedbackTopic.all_orgs.filter(topic__name="会员积分")
                 .values_list("feedback_id", flat=True))
    assert tagged == {rows[0].pk, rows[1].pk, rows[3].pk}
    assert sorted(i for p in changed for i in p["feedback_ids"]) == sorted(r.pk for r in rows)
    # idempotent: a finished job is a no-op
    assert reanalysis.reanalysis_job_run(organization_id=tenant.org.pk, job_id=job.pk) is None


def test_a_job_stopped_mid_way_resumes_after_its_last_chunk(tenant, monkeypatch):
    monkeypatch.setattr(reanalysis, "CHUNK", 2)
    rows = _analyzed(tenant, [f"第{i}条 快递太慢" for i in range(5)])
    with tenant.scope():
        job, _ = reanalysis.reanalysis_job_request(organization=tenant.org)
    job = reanalysis.reanalysis_job_run(organization_id=tenant.org.pk, job_id=job.pk, max_chunks=1)
    assert (job.status, job.done, job.last_id) == ("running", 2, rows[1].pk)
    job = reanalysis.reanalysis_job_run(organization_id=tenant.org.pk, job_id=job.pk)
    assert (job.status, job.done) == ("done", 5)


def test_one_unfinished_job_per_organization(tenant, other_tenant):
    _analyzed(tenant, ["快递太慢"])
    with tenant.scope():
        first, created = reanalysis.reanalysis_job_request(organization=tenant.org)
        again, created_again = reanalysis.reanalysis_job_request(organization=tenant.org)
    assert created and not created_again and again.pk == first.pk
    with other_tenant.scope():
        _other, other_created = reanalysis.reanalysis_job_request(organization=other_tenant.org)
    assert other_created
    reanalysis.reanalysis_job_run(organization_id=tenant.org.pk, job_id=first.pk)
    with tenant.scope():
        _next, created_next = reanalysis.reanalysis_job_request(organization=tenant.org)
    assert created_next
    assert ReanalysisJob.all_orgs.filter(organization=tenant.org).count() == 2


def test_corrected_topics_survive_reanalysis(tenant):
    (row,) = _analyzed(tenant, ["快递太慢"])
    Feedback.all_orgs.filter(pk=row.pk).update(topics_corrected=True)
    FeedbackTopic.all_orgs.filter(feedback=row).delete()
    price = Topic.all_orgs.get(organization=tenant.org, name="价格费用")
    FeedbackTopic.all_orgs.create(organization=tenant.org, feedback=row, topic=price,
                                  polarity="pain", corrected=True)
    with tenant.scope():
        job, _ = reanalysis.reanalysis_job_request(organization=tenant.org)
    reanalysis.reanalysis_job_run(organization_id=tenant.org.pk, job_id=job.pk)
    assert list(FeedbackTopic.all_orgs.filter(feedback=row).values_list("topic__name", flat=True)) \
        == ["价格费用"]


def test_requesting_a_stalled_job_again_re_enqueues_it(tenant, django_capture_on_commit_callbacks):
    _analyzed(tenant, ["快递太慢"])
    with tenant.scope(), django_capture_on_commit_callbacks() as first:
        job, _ = reanalysis.reanalysis_job_request(organization=tenant.org)
    assert len(first) == 1
    with tenant.scope(), django_capture_on_commit_callbacks() as fresh:
        reanalysis.reanalysis_job_request(organization=tenant.org)
    assert fresh == []  # still fresh: joined, not re-enqueued
    ReanalysisJob.all_orgs.filter(pk=job.pk).update(
        updated_at=timezone.now() - reanalysis.STALLED_AFTER - timedelta(seconds=1))
    with tenant.scope(), django_capture_on_commit_callbacks() as stalled:
        again, created = reanalysis.reanalysis_job_request(organization=tenant.org)
    assert (again.pk, created, len(stalled)) == (job.pk, False, 1)
