"""The public survey page: no login, CSRF-safe, rate-limited per client IP, a thank-you page;
closed or unknown links are 404; personal invitations bind the answer once; nothing but the
survey's own title and intro is shown; one tenant's tokens never reach another's data."""

import pytest
from django.test import Client
from django.urls import reverse

from voice.models import Feedback, SurveyInvitation, SurveyLink
from voice.services.surveys import survey_invitation_create, survey_link_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(tenant, touchpoint):
    with tenant.scope():
        return survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps",
                                  title="您会推荐我们的配送服务吗？", intro="只需10秒")


def _url(link, **query):
    url = reverse("survey-public", kwargs={"token": link.token})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_form_shows_only_the_survey(link, tenant, client):
    response = client.get(_url(link))
    page = response.content.decode()
    assert response.status_code == 200 and "您会推荐我们的配送服务吗？" in page and "只需10秒" in page
    assert "您有多大可能把我们推荐给朋友或同事？" in page and page.count('name="score"') == 11
    assert tenant.org.name not in page and "送货上门" not in page and "delivery" not in page
    assert 'name="viewport"' in page and "csrfmiddlewaretoken" in page


def test_answer_becomes_pending_survey_feedback(link, touchpoint, client):
    response = client.post(_url(link), {"score": "9", "comment": " 送货很快 "})
    assert response.status_code == 302
    assert response["Location"] == reverse("survey-thanks", kwargs={"token": link.token})
    assert "谢谢您" in client.get(response["Location"]).content.decode()
    feedback = Feedback.all_orgs.get()
    assert (feedback.channel, feedback.source, feedback.status) == ("survey", "survey", "pending")
    assert (feedback.nps, feedback.text, feedback.touchpoint) == (9, "送货很快", touchpoint)
    assert feedback.customer is None and feedback.metadata == {"survey_link_id": link.pk}
    link.refresh_from_db()
    assert link.response_count == 1 and link.last_response_at is not None


@pytest.mark.parametrize("data", [{}, {"score": "11"}, {"score": "x"}, {"score": "5", "comment": "长" * 2001}])
def test_bad_answers_redisplay_the_form(link, client, data):
    response = client.post(_url(link), data)
    assert response.status_code == 400 and 'name="score"' in response.content.decode()
    assert not Feedback.all_orgs.exists()


def test_csat_and_ces_scales(tenant, touchpoint, client):
    with tenant.scope():
        csat = survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="csat",
                                  title="满意度")
        ces = survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="ces",
                                 title="费力度")
    assert client.get(_url(csat)).content.decode().count('name="score"') == 5
    assert client.get(_url(ces)).content.decode().count('name="score"') == 7
    assert client.post(_url(ces), {"score": "7"}).status_code == 302
    assert client.post(_url(csat), {"score": "0"}).status_code == 400
    assert Feedback.all_orgs.get().ces == 7


def test_closed_and_unknown_links_are_404(link, client):
    SurveyLink.all_orgs.filter(pk=link.pk).update(is_active=False)
    assert client.get(_url(link)).status_code == 404
    assert client.post(_url(link), {"score": "9"}).status_code == 404
    assert client.get(reverse("survey-public", kwargs={"token": "nope"})).status_code == 404
    assert client.get(reverse("survey-thanks", kwargs={"token": "nope"})).status_code == 404


def test_csrf_is_enforced(link):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_url(link), {"score": "9"}).status_code == 403
    page = strict.get(_url(link))
    token = page.cookies["csrftoken"].value
    assert strict.post(_url(link), {"score": "9", "csrfmiddlewaretoken": token}).status_code == 302


def test_rate_limit_per_client_ip(link, settings):
    settings.SURVEY_RATE_LIMIT = "2/min"
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    assert first.post(_url(link), {"score": "9"}).status_code == 302
    assert first.post(_url(link), {"score": "8"}).status_code == 302
    limited = first.post(_url(link), {"score": "7"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert "提交过于频繁" in limited.content.decode()
    assert second.post(_url(link), {"score": "7"}).status_code == 302
    assert Feedback.all_orgs.count() == 3


def test_personal_invitation_binds_the_customer_once(link, tenant, client):
    with tenant.scope():
        invitation = survey_invitation_create(organization=tenant.org, link=link,
                                              customer_external_id="VIP-1", customer_segment="会员")
    page = client.get(_url(link, i=invitation.token)).content.decode()
    assert f'value="{invitation.token}"' in page and "VIP-1" not in page
    assert client.post(_url(link), {"score": "10", "i": invitation.token}).status_code == 302
    feedback = Feedback.all_orgs.get()
    assert feedback.customer.external_id == "VIP-1" and feedback.segment == "会员"
    invitation.refresh_from_db()
    assert invitation.responded_at is not None and invitation.feedback == feedback
    again = client.get(_url(link, i=invitation.token))
    assert again.status_code == 200 and "已作答" in again.content.decode()
    twice = client.post(_url(link), {"score": "1", "i": invitation.token})
    assert twice.status_code == 409 and Feedback.all_orgs.count() == 1


def test_tokens_never_cross_tenants(world, client):
    victim, attacker = world
    victim_invitation = SurveyInvitation.all_orgs.get(organization=victim.org)
    SurveyInvitation.all_orgs.filter(pk=victim_invitation.pk).update(responded_at=None)
    attacker_link = attacker.extra["survey_link"]
    # B's public page shows B's survey only, whatever invitation token is appended.
    page = client.get(_url(attacker_link, i=victim_invitation.token)).content.decode()
    assert victim.marker not in page and attacker.marker in page
    # A's invitation cannot be answered through B's link: the answer stays anonymous in B.
    assert client.post(_url(attacker_link), {"score": "3", "i": victim_invitation.token}).status_code == 302
    answer = Feedback.all_orgs.filter(organization=attacker.org, channel="survey").latest("pk")
    assert answer.customer is None
    victim_invitation.refresh_from_db()
    assert victim_invitation.responded_at is None
    assert Feedback.all_orgs.filter(organization=victim.org, channel="survey").count() == 1


def test_signed_in_user_of_another_tenant_answers_into_the_links_tenant(world):
    from tests.conftest import session_client

    victim, attacker = world
    link = victim.extra["survey_link"]
    browser = session_client(attacker.users["manager"])
    page = browser.get(_url(link)).content.decode()
    assert victim.marker in page  # the survey's own title: public by design
    assert "BETA乙-秘密部门" not in page
    assert browser.post(_url(link), {"score": "8"}).status_code == 302
    assert Feedback.all_orgs.filter(organization=victim.org, channel="survey").count() == 2


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(link, settings):
    settings.SURVEY_RATE_LIMIT = "1/min"
    client = Client(REMOTE_ADDR="10.0.0.9")
    assert client.post(_url(link), {"score": "9"}, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    again = client.post(_url(link), {"score": "9"}, HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert again.status_code == 429
