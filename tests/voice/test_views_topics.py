"""Settings → Topics through the pages: list with counts, search, create, edit, delete."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cem.models import AuditEvent
from tests.conftest import session_client
from tests.voice.helpers import analyze, make_feedback
from voice.models import Feedback, FeedbackTopic, Topic, TopicDiscoveryRun, TopicSuggestion
from voice.selectors_topics import topic_list_with_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant):
    return session_client(tenant.users["manager"])


def _topic(tenant, name):
    return Topic.all_orgs.get(organization=tenant.org, name=name)


def test_list_shows_the_taxonomy_with_recent_pain_and_delight_counts(tenant, manager):
    pains = make_feedback(tenant, n=2)
    delight = make_feedback(tenant, text="快递很快")[0]
    old = make_feedback(tenant, text="很久以前的快递")[0]
    for row in pains:
        analyze(row, topics=[("物流配送", "pain")])
    analyze(delight, label="positive", score=0.8, topics=[("物流配送", "delight")])
    analyze(old, topics=[("物流配送", "pain")])
    Feedback.all_orgs.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(days=45))
    page = manager.get(reverse("topic-list")).content.decode()
    for name in ("物流配送", "产品质量", "等待时长"):
        assert f'data-topic="{name}"' in page
    with tenant.scope():
        topic = topic_list_with_counts(organization=tenant.org).get(name="物流配送")
    assert (topic.pain_count, topic.delight_count) == (2, 1)
    assert "polarity=pain\">2</a>" in page and "polarity=delight\">1</a>" in page
    assert "BETA" not in page


def test_search_by_name_or_keyword_and_empty_result(tenant, manager):
    page = manager.get(reverse("topic-list"), {"q": "次日达"}).content.decode()
    assert 'data-topic="物流配送"' in page and 'data-topic="产品质量"' not in page
    page = manager.get(reverse("topic-list"), {"q": "没有这种话题"}).content.decode()
    assert "data-topic=" not in page and 'class="card empty"' in page


def test_empty_state_when_the_taxonomy_is_empty(tenant, manager):
    Topic.all_orgs.filter(organization=tenant.org).delete()
    page = manager.get(reverse("topic-list")).content.decode()
    assert 'class="card empty"' in page and reverse("topic-create") in page


def test_create_a_topic_with_keywords_one_per_line_and_an_owner(tenant, manager):
    quality = tenant.departments["质量部"]
    response = manager.post(reverse("topic-create"), {
        "name": "会员积分", "keywords": "积分\n 积分清零 \n\n兑换、积分", "department": quality.pk,
        "is_active": "on"})
    assert response.status_code == 302
    topic = _topic(tenant, "会员积分")
    assert topic.keywords == ["积分", "积分清零", "兑换"]
    assert (topic.department, topic.origin, topic.is_active) == (quality, "custom", True)
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="topic.created")
    assert event.target_id == str(topic.pk) and event.actor == tenant.users["manager"]


def test_duplicate_name_and_empty_keywords_are_refused_in_chinese(tenant, manager):
    response = manager.post(reverse("topic-create"), {"name": "物流配送", "keywords": "快递"})
    assert response.status_code == 200 and "已有同名话题" in response.content.decode()
    response = manager.post(reverse("topic-create"), {"name": "新话题", "keywords": " \n "})
    assert response.status_code == 200
    assert "请至少填写一个关键词" in response.content.decode()
    assert not Topic.all_orgs.filter(organization=tenant.org, name="新话题").exists()


def test_edit_keywords_department_and_deactivate(tenant, manager):
    topic = _topic(tenant, "价格费用")
    form = manager.get(reverse("topic-edit", args=[topic.pk])).content.decode()
    assert "性价比" in form
    response = manager.post(reverse("topic-edit", args=[topic.pk]), {
        "name": "价格与费用", "keywords": "价格\n太贵", "department": ""})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.keywords, topic.is_active) == ("价格与费用", ["价格", "太贵"], False)
    details = AuditEvent.all_orgs.get(organization=tenant.org, action="topic.changed").details
    assert details["name"] == {"from": "价格费用", "to": "价格与费用"}
    assert details["is_active"] == {"from": True, "to": False}


def test_delete_keeps_the_feedback_and_removes_its_links(tenant, manager):
    topic = _topic(tenant, "物流配送")
    row = make_feedback(tenant)[0]
    analyze(row, topics=[("物流配送", "pain")])
    confirm = manager.get(reverse("topic-delete", args=[topic.pk])).content.decode()
    assert "1" in confirm and "反馈会保留" in confirm
    response = manager.post(reverse("topic-delete", args=[topic.pk]), {"action": "delete"})
    assert response.status_code == 302
    assert not Topic.all_orgs.filter(pk=topic.pk).exists()
    assert Feedback.all_orgs.filter(pk=row.pk).exists()
    assert not FeedbackTopic.all_orgs.filter(feedback=row).exists()
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="topic.deleted")
    assert event.details["links_removed"] == 1


def test_deactivate_instead_of_deleting(tenant, manager):
    topic = _topic(tenant, "门店环境")
    manager.post(reverse("topic-delete", args=[topic.pk]), {"action": "deactivate"})
    topic.refresh_from_db()
    assert topic.is_active is False
    assert AuditEvent.all_orgs.filter(organization=tenant.org, action="topic.deactivated").exists()


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_members_and_viewers_cannot_open_the_topic_settings(tenant, role):
    client = session_client(tenant.users[role])
    assert client.get(reverse("topic-list")).status_code == 403
    topic = _topic(tenant, "物流配送")
    assert client.post(reverse("topic-delete", args=[topic.pk])).status_code == 403
    assert Topic.all_orgs.filter(pk=topic.pk).exists()


def test_another_tenants_topic_is_a_404(tenant, other_tenant, manager):
    theirs = Topic.all_orgs.get(organization=other_tenant.org, name="物流配送")
    assert manager.get(reverse("topic-edit", args=[theirs.pk])).status_code == 404
    assert manager.post(reverse("topic-delete", args=[theirs.pk])).status_code == 404
    assert Topic.all_orgs.filter(pk=theirs.pk).exists()


def test_settings_navigation_lists_topics_for_managers(tenant, manager):
    page = manager.get(reverse("settings-index")).content.decode()
    assert reverse("topic-list") in page


def test_topic_list_query_count_is_constant(tenant, manager, django_assert_max_num_queries):
    with django_assert_max_num_queries(15) as nine:
        assert manager.get(reverse("topic-list")).status_code == 200
    run = TopicDiscoveryRun.all_orgs.create(organization=tenant.org, status="done")
    for i in range(21):
        Topic.all_orgs.create(organization=tenant.org, name=f"话题{i}", keywords=["词"],
                              department=tenant.departments["质量部"])
        TopicSuggestion.all_orgs.create(organization=tenant.org, run=run, terms=[f"词{i}"], size=3)
    row = make_feedback(tenant)[0]
    analyze(row, topics=[(f"话题{i}", "pain") for i in range(21)])
    with django_assert_max_num_queries(len(nine.captured_queries)):
        page = manager.get(reverse("topic-list")).content.decode()
    assert page.count("data-topic=") == 30 and page.count("data-suggestion=") == 21
