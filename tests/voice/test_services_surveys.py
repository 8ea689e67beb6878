"""Survey services: link checks, the per-customer frequency cap (409 with Retry-After), email
checks, answers, and `survey_response_rate` as the metrics summary calls it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cem.errors import ApplicationError, ConflictError
from journeys.models import Journey, Stage, Touchpoint
from voice.models import Customer, SurveyInvitation
from voice.selectors import survey_response_rate
from voice.services.surveys import (
    survey_invitation_create,
    survey_invite_cap_set,
    survey_link_create,
    survey_link_set_active,
    survey_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant.scope():
        yield


@pytest.fixture
def link(tenant, touchpoint):
    return survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps",
                              title="推荐意愿")


def invite(tenant, link, customer="C1", **kwargs):
    return survey_invitation_create(organization=tenant.org, link=link,
                                    customer_external_id=customer, **kwargs)


def test_link_checks(tenant, other_tenant, world):
    foreign, touchpoint = other_tenant.extra["touchpoint"], tenant.extra["touchpoint"]
    with pytest.raises(ApplicationError) as refused:
        survey_link_create(organization=tenant.org, touchpoint=foreign, question="nps", title="x")
    assert refused.value.field == "touchpoint"
    with pytest.raises(ApplicationError):
        survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="stars", title="x")
    with pytest.raises(ApplicationError):
        survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="nps", title=" ")


def test_frequency_cap_across_links(tenant, link, touchpoint):
    other = survey_link_create(organization=tenant.org, touchpoint=touchpoint, question="csat",
                               title="满意度")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = invite(tenant, link, customer_segment="会员")
        assert first.sent_at is not None and first.channel == "partner"
        assert Customer.all_orgs.get(external_id="C1").segment == "会员"
        clock.shift(timedelta(days=29))
        with pytest.raises(ConflictError) as capped:
            invite(tenant, other)
        assert capped.value.status_code == 409 and capped.value.retry_after == 86400
        invite(tenant, other, customer="C2")
        clock.shift(timedelta(days=1, seconds=1))
        invite(tenant, other)
    assert SurveyInvitation.all_orgs.count() == 3


def test_cap_can_be_changed_or_turned_off(tenant, link):
    survey_invite_cap_set(organization=tenant.org, days=0)
    invite(tenant, link)
    invite(tenant, link)
    survey_invite_cap_set(organization=tenant.org, days=7)
    with pytest.raises(ConflictError):
        invite(tenant, link)
    for bad in (-1, 366, "7", True):
        with pytest.raises(ApplicationError):
            survey_invite_cap_set(organization=tenant.org, days=bad)


def test_email_checks(tenant, link):
    with pytest.raises(ApplicationError) as no_email:
        invite(tenant, link, send_email=True)
    assert no_email.value.field == "email"
    with pytest.raises(ApplicationError):
        invite(tenant, link, customer="C2", email="not-an-address")
    Customer.all_orgs.create(organization=tenant.org, external_id="C3",
                             attributes={"email": "c3@example.test"})
    invitation = invite(tenant, link, customer="C3", send_email=True)
    assert invitation.email == "c3@example.test" and invitation.sent_at is None


def test_closed_link_takes_no_answers_or_invitations(tenant, link):
    survey_link_set_active(link=link, is_active=False)
    with pytest.raises(ApplicationError):
        invite(tenant, link)
    with pytest.raises(ApplicationError):
        survey_submit(link=link, score=9)


def test_response_rate(tenant, link, touchpoint):
    journey = Journey.all_orgs.create(organization=tenant.org, name="门店")
    stage = Stage.all_orgs.create(organization=tenant.org, journey=journey, name="结账")
    store = Touchpoint.all_orgs.create(organization=tenant.org, stage=stage, key="store", name="门店")
    store_link = survey_link_create(organization=tenant.org, touchpoint=store, question="csat",
                                    title="门店")
    start = timezone.now() - timedelta(hours=1)
    assert survey_response_rate(organization=tenant.org, start=start,
                                end=timezone.now()) == {"invitations": 0, "responses": 0, "rate": None}
    answered = [invite(tenant, link, customer=f"C{i}") for i in range(3)]
    invite(tenant, store_link, customer="S1")
    invite(tenant, link, customer="E1", send_email=True, email="e1@example.test")  # not sent yet
    for invitation in answered[:2]:
        survey_submit(link=link, score=9, invitation_token=invitation.token)
    end = timezone.now() + timedelta(seconds=1)
    assert survey_response_rate(organization=tenant.org, start=start, end=end) == {
        "invitations": 4, "responses": 2, "rate": 50.0}
    for touchpoint_ref in (touchpoint, touchpoint.pk, "delivery"):
        assert survey_response_rate(organization=tenant.org, start=start, end=end,
                                    touchpoint=touchpoint_ref) == {
            "invitations": 3, "responses": 2, "rate": 66.7}
    assert survey_response_rate(organization=tenant.org, start=end, end=end + timedelta(days=1))[
        "rate"] is None
