"""The topics page's worker jobs: discovery button and suggestions, re-analysis with progress."""

import pytest
from django.urls import reverse

from tests.conftest import session_client
from voice.models import ReanalysisJob, Topic, TopicDiscoveryRun, TopicSuggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant):
    return session_client(tenant.users["manager"])


def test_empty_discovery_state_then_a_run_is_queued(tenant, manager):
    page = manager.get(reverse("topic-list")).content.decode()
    assert "话题发现尚未运行" in page
    response = manager.post(reverse("topic-discover"))
    assert response.status_code == 302
    manager.post(reverse("topic-discover"))  # joins the queued run
    run = TopicDiscoveryRun.all_orgs.get(organization=tenant.org)
    assert run.status == "queued" and run.requested_by == tenant.users["manager"]
    page = manager.get(reverse("topic-list")).content.decode()
    assert 'id="discovery-run"' in page and "话题发现尚未运行" not in page
    assert 'id="discovery-refresh"' in page and "location.reload" in page  # until it finishes
    run.status = "done"
    run.save(update_fields=["status"])
    page = manager.get(reverse("topic-list")).content.decode()
    assert 'id="discovery-refresh"' not in page and "location.reload" not in page


def test_suggestions_are_listed_and_accepted_in_one_click(tenant, manager):
    run = TopicDiscoveryRun.all_orgs.create(organization=tenant.org, status="done",
                                            feedback_count=20, suggestion_count=2)
    points = TopicSuggestion.all_orgs.create(
        organization=tenant.org, run=run, terms=["积分", "清零"], size=11,
        examples=[{"id": 1, "text": "会员积分清零了"}])
    invoices = TopicSuggestion.all_orgs.create(organization=tenant.org, run=run,
                                               terms=["发票", "抬头"], size=9)
    page = manager.get(reverse("topic-list")).content.decode()
    assert "积分、清零" in page and "“会员积分清零了”" in page and 'value="积分清零"' in page
    manager.post(reverse("topic-suggestion-accept", args=[points.pk]), {"name": "会员积分"})
    topic = Topic.all_orgs.get(organization=tenant.org, name="会员积分")
    assert (topic.origin, topic.keywords) == ("discovered", ["积分", "清零"])
    manager.post(reverse("topic-suggestion-dismiss", args=[invoices.pk]))
    invoices.refresh_from_db()
    assert invoices.status == "dismissed"
    page = manager.get(reverse("topic-list")).content.decode()
    assert "没有待处理的建议" in page and 'data-topic="会员积分"' in page
    # a decided suggestion cannot be accepted again: a message, no second topic
    response = manager.post(reverse("topic-suggestion-accept", args=[invoices.pk]),
                            {"name": "发票"}, follow=True)
    assert "该建议已被采纳或忽略" in response.content.decode()
    assert not Topic.all_orgs.filter(organization=tenant.org, name="发票").exists()


def test_reanalysis_button_opens_the_progress_page_and_status_json(tenant, manager):
    response = manager.post(reverse("reanalysis-create"))
    job = ReanalysisJob.all_orgs.get(organization=tenant.org)
    assert response.status_code == 302
    assert response["Location"] == reverse("reanalysis-detail", args=[job.pk])
    again = manager.post(reverse("reanalysis-create"), follow=True)
    assert "已有重新分析任务在运行" in again.content.decode()
    ReanalysisJob.all_orgs.filter(pk=job.pk).update(status="running", total=8, done=2)
    page = manager.get(reverse("reanalysis-detail", args=[job.pk])).content.decode()
    assert "已处理 2 / 8 条反馈" in page and reverse("reanalysis-status", args=[job.pk]) in page
    status = manager.get(reverse("reanalysis-status", args=[job.pk]))
    assert status["Cache-Control"] == "no-store"
    body = status.json()
    assert (body["status"], body["percent"], body["finished"]) == ("running", 25, False)
    listed = manager.get(reverse("topic-list")).content.decode()
    assert reverse("reanalysis-detail", args=[job.pk]) in listed


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_only_managers_start_jobs(tenant, role):
    client = session_client(tenant.users[role])
    assert client.post(reverse("topic-discover")).status_code == 403
    assert client.post(reverse("reanalysis-create")).status_code == 403
    assert not ReanalysisJob.all_orgs.exists() and not TopicDiscoveryRun.all_orgs.exists()
