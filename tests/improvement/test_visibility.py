"""A department member may see the feedback quoted on their department's tickets."""

import pytest

from cem.models import Membership
from improvement.access import Actor
from improvement.services.tickets import ticket_create
from improvement.visibility import evidence_of_my_department_q
from tests.improvement.conftest import make_feedback
from voice.models import Feedback

pytestmark = pytest.mark.django_db


def test_evidence_of_my_departments_tickets_only(tenant, other_tenant):
    quoted, quality_quote, unrelated = make_feedback(tenant, 3)
    foreign = make_feedback(other_tenant)[0]
    with tenant.scope():
        ticket_create(organization=tenant.org, actor=Actor.system(), title="a", feedback_ids=[quoted.pk],
                      department=tenant.departments["物流部"])
        ticket_create(organization=tenant.org, actor=Actor.system(), title="b", feedback_ids=[quality_quote.pk],
                      department=tenant.departments["质量部"])
    member = Membership.all_orgs.get(organization=tenant.org, user=tenant.users["member"])
    visible = Feedback.all_orgs.filter(evidence_of_my_department_q(member))
    assert list(visible.values_list("pk", flat=True)) == [quoted.pk]
    assert foreign.pk not in visible.values_list("pk", flat=True) and unrelated.pk not in visible.values_list(
        "pk", flat=True)
    manager = Membership.all_orgs.get(organization=tenant.org, user=tenant.users["manager"])
    assert evidence_of_my_department_q(manager) is None


def test_a_member_opens_the_quotes_of_their_tickets_in_the_feedback_pages(member_client, tenant):
    from django.urls import reverse

    quoted, unrelated = make_feedback(tenant, 2, text="快递丢件了")
    with tenant.scope():
        ticket = ticket_create(organization=tenant.org, actor=Actor.system(), title="丢件",
                               feedback_ids=[quoted.pk], department=tenant.departments["物流部"])
    page = member_client.get(reverse("ticket-detail", kwargs={"ticket_id": ticket.pk})).content.decode()
    assert reverse("feedback-detail", kwargs={"feedback_id": quoted.pk}) in page
    assert member_client.get(reverse("feedback-detail", kwargs={"feedback_id": quoted.pk})).status_code == 200
    assert member_client.get(reverse("feedback-detail", kwargs={"feedback_id": unrelated.pk})).status_code == 404
    api = reverse("api-feedback-detail", kwargs={"feedback_id": quoted.pk})
    assert member_client.get(api).status_code == 200
    assert member_client.get(reverse("api-feedback-detail", kwargs={"feedback_id": unrelated.pk})).status_code == 404
