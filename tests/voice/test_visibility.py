"""Department members see the feedback of their department's touchpoints and topics, plus what
registered rules add; everyone else sees all. Applied to the explorer, detail, export and API."""

import pytest
from django.db.models import Q
from django.urls import reverse

from journeys.models import Touchpoint
from tests.voice.helpers import analyze, make_feedback
from voice import selectors, visibility
from voice.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(tenant, touchpoint):
    """Three rows: one on 物流部's touchpoint, one with a topic 物流部 owns, one unrelated."""
    logistics = tenant.departments["物流部"]
    Touchpoint.all_orgs.filter(pk=touchpoint.pk).update(department=logistics)
    # NOTE: every organization starts with the default taxonomy: give its topics owners.
    Topic.all_orgs.update_or_create(organization=tenant.org, name="物流配送",
                                    defaults={"department": logistics})
    Topic.all_orgs.update_or_create(organization=tenant.org, name="产品质量",
                                    defaults={"department": tenant.departments["质量部"]})
    by_touchpoint = make_feedback(tenant, touchpoint="delivery", text="送货慢")[0]
    by_topic = analyze(make_feedback(tenant, text="快递员态度差")[0], topics=[("物流配送", "pain")])
    other = analyze(make_feedback(tenant, text="质量太差")[0], topics=[("产品质量", "pain")])
    return by_touchpoint, by_topic, other


def _membership(tenant, label):
    return tenant.users[label].memberships.get(organization=tenant.org)


def test_member_sees_only_their_departments_feedback(tenant, owned):
    by_touchpoint, by_topic, other = owned
    with tenant.scope():
        member_ids = set(selectors.feedback_list(organization=tenant.org,
                                                 visible_to=_membership(tenant, "member"))
                         .values_list("pk", flat=True))
        viewer_ids = set(selectors.feedback_list(organization=tenant.org,
                                                 visible_to=_membership(tenant, "viewer"))
                         .values_list("pk", flat=True))
    assert member_ids == {by_touchpoint.pk, by_topic.pk}
    assert viewer_ids == {by_touchpoint.pk, by_topic.pk, other.pk}


def test_member_without_department_sees_nothing(tenant, owned):
    membership = _membership(tenant, "member")
    membership.department = None
    with tenant.scope():
        assert not selectors.feedback_list(organization=tenant.org, visible_to=membership).exists()


def test_registered_rules_widen_the_view(tenant, owned, monkeypatch):
    _by_touchpoint, _by_topic, other = owned
    monkeypatch.setattr(visibility, "_rules", [])
    visibility.register_visibility_rule(lambda membership: Q(pk=other.pk))
    visibility.register_visibility_rule(lambda membership: None)
    with tenant.scope():
        rows = selectors.feedback_list(organization=tenant.org,
                                       visible_to=_membership(tenant, "member"))
        assert other.pk in set(rows.values_list("pk", flat=True))
    assert visibility.feedback_visible_q(None) is None


def test_pages_api_and_export_apply_it(tenant, owned, member_client, viewer_client):
    _by_touchpoint, by_topic, other = owned
    assert member_client.get(reverse("feedback-detail", args=[other.pk])).status_code == 404
    assert member_client.get(reverse("feedback-detail", args=[by_topic.pk])).status_code == 200
    assert viewer_client.get(reverse("feedback-detail", args=[other.pk])).status_code == 200
    listing = member_client.get(reverse("feedback-list")).content.decode()
    assert "快递员态度差" in listing and "质量太差" not in listing
    export = b"".join(member_client.get(reverse("feedback-export")).streaming_content).decode()
    assert "快递员态度差" in export and "质量太差" not in export
    api = member_client.get(reverse("api-feedback")).json()
    assert {row["id"] for row in api["results"]} == {owned[0].pk, by_topic.pk}
    assert member_client.get(reverse("api-feedback-detail", args=[other.pk])).status_code == 404


def test_api_keys_see_everything(tenant, owned, api_client):
    rows = api_client(scopes=["feedback:read"]).get(reverse("api-feedback")).json()["results"]
    assert len(rows) == 3
