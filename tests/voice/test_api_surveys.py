"""Survey links over the API: list (paginated, constant queries), create, detail with counts,
invitations with the personal URL, the cap as 409 + Retry-After, scopes, tenant isolation."""

import pytest
from django.urls import reverse

from voice.models import SurveyInvitation, SurveyLink
from voice.services.surveys import survey_link_create, survey_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def manage(api_client):
    return api_client(scopes=["manage", "feedback:read", "feedback:write"])


def _create(client, **overrides):
    body = {"touchpoint": "delivery", "question": "csat", "title": "满意度", **overrides}
    return client.post(reverse("api-survey-links"), body, format="json")


def test_create_list_detail(touchpoint, manage):
    created = _create(manage)
    assert created.status_code == 201
    body = created.json()
    assert body["touchpoint"] == "delivery" and body["is_active"] and body["response_rate"] is None
    assert body["url"].startswith("http://testserver/s/") and body["url"].endswith("/")
    listed = manage.get(reverse("api-survey-links")).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    detail = manage.get(reverse("api-survey-link-detail", args=[body["id"]])).json()
    assert detail == body


@pytest.mark.parametrize("overrides,field", [({"touchpoint": "nope"}, "touchpoint"),
                                             ({"question": "stars"}, "question"),
                                             ({"title": ""}, "title")])
def test_create_errors_name_the_field(touchpoint, manage, overrides, field):
    response = _create(manage, **overrides)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_scopes(touchpoint, api_client):
    reader = api_client(scopes=["feedback:read"])
    assert _create(reader).status_code == 403
    assert reader.get(reverse("api-survey-links")).status_code == 200
    writer = api_client(scopes=["feedback:write"])
    assert writer.get(reverse("api-survey-links")).status_code == 403


def test_invitation_returns_the_personal_url_and_counts(tenant, touchpoint, manage):
    link_id = _create(manage).json()["id"]
    url = reverse("api-survey-invitations", args=[link_id])
    response = manage.post(url, {"customer": {"external_id": "C-1", "segment": "会员"}}, format="json")
    assert response.status_code == 201
    body = response.json()
    invitation = SurveyInvitation.all_orgs.get(pk=body["id"])
    assert body["url"] == f"http://testserver/s/{invitation.link.token}/?i={invitation.token}"
    assert body["customer"] == "C-1" and body["channel"] == "partner" and body["sent_at"]
    with tenant.scope():
        survey_submit(link=invitation.link, score=5, invitation_token=invitation.token)
    detail = manage.get(reverse("api-survey-link-detail", args=[link_id])).json()
    assert (detail["invitations_sent"], detail["invitations_answered"], detail["response_rate"],
            detail["response_count"]) == (1, 1, 100.0, 1)


def test_invitation_within_the_cap_is_409_with_retry_after(touchpoint, manage):
    link_id = _create(manage).json()["id"]
    url = reverse("api-survey-invitations", args=[link_id])
    assert manage.post(url, {"customer": {"external_id": "C-1"}}, format="json").status_code == 201
    again = manage.post(url, {"customer": {"external_id": "C-1"}}, format="json")
    assert again.status_code == 409 and int(again["Retry-After"]) > 29 * 86400
    assert again["Content-Type"] == "application/problem+json"


def test_invitation_replays_with_an_idempotency_key(touchpoint, manage):
    link_id = _create(manage).json()["id"]
    url = reverse("api-survey-invitations", args=[link_id])
    first = manage.post(url, {"customer": {"external_id": "C-9"}}, format="json",
                        HTTP_IDEMPOTENCY_KEY="inv-1")
    second = manage.post(url, {"customer": {"external_id": "C-9"}}, format="json",
                         HTTP_IDEMPOTENCY_KEY="inv-1")
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert SurveyInvitation.all_orgs.count() == 1


@pytest.mark.parametrize("body,field", [({}, "customer"), ({"customer": {}}, "customer"),
                                        ({"customer": {"external_id": "x"}, "send_email": True},
                                         "email"),
                                        ({"customer": {"external_id": "x"}, "email": "bad"}, "email")])
def test_invitation_errors_name_the_field(touchpoint, manage, body, field):
    link_id = _create(manage).json()["id"]
    response = manage.post(reverse("api-survey-invitations", args=[link_id]), body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]


def test_closed_link_refuses_invitations(tenant, touchpoint, manage):
    link_id = _create(manage).json()["id"]
    SurveyLink.all_orgs.filter(pk=link_id).update(is_active=False)
    response = manage.post(reverse("api-survey-invitations", args=[link_id]),
                           {"customer": {"external_id": "x"}}, format="json")
    assert response.status_code == 400 and "survey_link" in response.json()["errors"]


def test_other_tenants_links_are_404(world, api_client):
    victim, attacker = world
    client = api_client(org=attacker.org)
    link = victim.extra["survey_link"]
    assert client.get(reverse("api-survey-link-detail", args=[link.pk])).status_code == 404
    response = client.post(reverse("api-survey-invitations", args=[link.pk]),
                           {"customer": {"external_id": "x"}}, format="json")
    assert response.status_code == 404
    listed = client.get(reverse("api-survey-links")).json()["results"]
    assert victim.marker not in str(listed)


def test_list_query_count_is_constant(tenant, touchpoint, manage, django_assert_max_num_queries):
    with tenant.scope():
        survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps", title="1")
    with django_assert_max_num_queries(10) as one:
        manage.get(reverse("api-survey-links"))
    with tenant.scope():
        for i in range(19):
            survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps",
                               title=str(i))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(manage.get(reverse("api-survey-links")).json()["results"]) == 20
