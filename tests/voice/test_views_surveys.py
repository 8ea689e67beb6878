"""Survey links in settings (CX managers): list with counts and response rates, create, open /
close, the frequency cap, one link's invitations and the invite form."""

import pytest
from django.core import mail
from django.urls import reverse

from voice.models import SurveyInvitation, SurveyLink
from voice.services.surveys import survey_invitation_create, survey_link_create, survey_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(tenant, touchpoint):
    with tenant.scope():
        link = survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps",
                                  title="配送推荐度")
        for i in range(4):
            invitation = survey_invitation_create(organization=tenant.org, link=link,
                                                  customer_external_id=f"C{i}")
            if i < 1:
                survey_submit(link=link, score=9, invitation_token=invitation.token)
        survey_submit(link=link, score=3)
    return link


def test_list_shows_counts_rates_and_the_public_url(link, manager_client):
    response = manager_client.get(reverse("survey-link-list"))
    page = response.content.decode()
    assert "配送推荐度" in page and "送货上门" in page and "25.0%" in page
    assert f"http://testserver/s/{link.token}/" in page
    row = response.context["links"][0]
    assert (row.response_count, row.invitations_sent, row.response_rate) == (2, 4, 25.0)


def test_settings_navigation_links_here(manager_client, viewer_client):
    assert reverse("survey-link-list") in manager_client.get(reverse("feedback-list")).content.decode()
    assert reverse("survey-link-list") not in viewer_client.get(reverse("feedback-list")).content.decode()


def test_create_open_and_close(tenant, touchpoint, manager_client, client):
    response = manager_client.post(reverse("survey-link-list"), {
        "touchpoint": touchpoint.pk, "question": "ces", "title": "办理容易吗？", "intro": ""})
    link = SurveyLink.all_orgs.get(organization=tenant.org)
    assert response.status_code == 302 and response["Location"] == reverse("survey-link-detail",
                                                                           args=[link.pk])
    assert link.created_by == tenant.users["manager"] and link.question == "ces"
    public = reverse("survey-public", args=[link.token])
    assert client.get(public).status_code == 200
    manager_client.post(reverse("survey-link-toggle", args=[link.pk]), {"active": "0"})
    assert client.get(public).status_code == 404
    manager_client.post(reverse("survey-link-toggle", args=[link.pk]), {"active": "1", "next": "list"})
    assert client.get(public).status_code == 200


def test_create_errors(manager_client, touchpoint):
    response = manager_client.post(reverse("survey-link-list"), {"touchpoint": 999, "question": "nps"})
    assert response.status_code == 400 and not SurveyLink.all_orgs.exists()


def test_no_touchpoint_means_design_a_journey_first(manager_client):
    assert "请先设计客户旅程" in manager_client.get(reverse("survey-link-list")).content.decode()


def test_cap_setting(tenant, manager_client):
    assert manager_client.post(reverse("survey-invite-cap"),
                               {"survey_invite_cap_days": "14"}).status_code == 302
    tenant.org.refresh_from_db()
    assert tenant.org.survey_invite_cap_days == 14
    response = manager_client.post(reverse("survey-invite-cap"), {"survey_invite_cap_days": "-3"})
    assert response.status_code == 400


def test_detail_lists_invitations_with_personal_links(link, manager_client):
    page = manager_client.get(reverse("survey-link-detail", args=[link.pk])).content.decode()
    invitation = SurveyInvitation.all_orgs.filter(link=link).first()
    assert f"?i={invitation.token}" in page and "C3" in page and "25.0%" in page


def test_invite_partner_delivery_shows_the_url(link, manager_client):
    response = manager_client.post(reverse("survey-invitation-create", args=[link.pk]),
                                   {"customer_id": "NEW-1", "delivery": "partner"}, follow=True)
    invitation = SurveyInvitation.all_orgs.get(customer__external_id="NEW-1")
    assert f"?i={invitation.token}" in response.content.decode() and invitation.sent_at


def test_invite_by_email_is_queued_for_the_worker(link, manager_client):
    response = manager_client.post(reverse("survey-invitation-create", args=[link.pk]),
                                   {"customer_id": "NEW-2", "delivery": "email",
                                    "email": "new2@example.test"})
    assert response.status_code == 302
    invitation = SurveyInvitation.all_orgs.get(customer__external_id="NEW-2")
    assert invitation.channel == "email" and invitation.sent_at is None and not mail.outbox


def test_invite_within_the_cap_says_when_it_is_possible(link, manager_client):
    response = manager_client.post(reverse("survey-invitation-create", args=[link.pk]),
                                   {"customer_id": "C1", "delivery": "partner"})
    assert response.status_code == 400 and "之后才能再次邀请" in response.content.decode()
    response = manager_client.post(reverse("survey-invitation-create", args=[link.pk]),
                                   {"customer_id": "X", "delivery": "email"})
    assert response.status_code == 400 and "请填写接收邀请的邮箱地址" in response.content.decode()


@pytest.mark.parametrize("who", ["viewer_client", "member_client"])
def test_only_managers(link, who, request):
    client = request.getfixturevalue(who)
    assert client.get(reverse("survey-link-list")).status_code == 403
    assert client.get(reverse("survey-link-detail", args=[link.pk])).status_code == 403
