"""Survey response rate in the summary: invitations sent in the range ÷ answered, per
touchpoint or journey; null without invitations; compared with the previous period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metrics.selectors import metric_summary, metric_summary_compared
from voice.services.surveys import survey_invitation_create, survey_link_create, survey_submit

pytestmark = pytest.mark.django_db


def test_response_rate_in_the_summary(scoped, shop):
    journey, tps = shop
    pay = survey_link_create(organization=scoped.org, touchpoint=tps["pay"], question="nps",
                             title="支付体验")
    sign = survey_link_create(organization=scoped.org, touchpoint=tps["sign"], question="csat",
                              title="签收体验")
    start = timezone.now() - timedelta(hours=1)
    invitations = [survey_invitation_create(organization=scoped.org, link=pay,
                                            customer_external_id=f"P{i}") for i in range(3)]
    invitations.append(survey_invitation_create(organization=scoped.org, link=sign,
                                                customer_external_id="S1"))
    for invitation in invitations[:2]:
        survey_submit(link=pay, score=9, invitation_token=invitation.token)
    end = timezone.now() + timedelta(seconds=1)

    def rate(**filters):
        return metric_summary(organization=scoped.org, start=start, end=end,
                              filters=filters)["response_rate"]

    assert rate() == {"rate": 50.0, "invitations": 4, "responses": 2}
    assert rate(touchpoint="pay") == {"rate": 66.7, "invitations": 3, "responses": 2}
    assert rate(touchpoint="ship") == {"rate": None, "invitations": 0, "responses": 0}
    assert rate(journey=journey.pk) == {"rate": 50.0, "invitations": 4, "responses": 2}
    by_channel = rate(channel="app")
    assert by_channel["rate"] == 50.0 and "note" in by_channel
    compared = metric_summary_compared(organization=scoped.org, start=start, end=end)
    assert compared["response_rate"]["previous"] == {"rate": None, "invitations": 0,
                                                     "responses": 0}
    assert compared["response_rate"]["change"] is None
