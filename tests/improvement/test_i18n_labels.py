"""Words the improvement pages share with other parts' catalogues ("Open", "Pending", "Before",
"Link") carry a context: Django reads the catalogues in LOCALE_PATHS order and the first
translation of a bare msgid wins, so voice's "Open" (开放, a survey link) used to label
tickets, and its "Before" (截止日期) the effect check's columns."""

import pytest
from django.urls import reverse
from django.utils import translation

from improvement.access import Actor
from improvement.models import Ticket, WebhookDelivery
from improvement.services.effect import ticket_effect_refresh
from improvement.services.tickets import ticket_create, ticket_transition
from tests.improvement.conftest import make_feedback

pytestmark = pytest.mark.django_db


def test_status_labels_are_the_improvement_ones_in_chinese():
    with translation.override("zh-hans"):
        assert str(Ticket.Status.OPEN.label) == "待处理"
        assert str(WebhookDelivery.Status.PENDING.label) == "待发送"
    with translation.override("en"):
        assert str(Ticket.Status.OPEN.label) == "Open"
        assert str(WebhookDelivery.Status.PENDING.label) == "Pending"


def test_ticket_page_words_in_chinese(manager_client, tenant):
    [feedback] = make_feedback(tenant, 1)
    with tenant.scope():
        ticket = ticket_create(organization=tenant.org, actor=Actor.system(), title="快递慢",
                               department=tenant.departments["物流部"], feedback_ids=[feedback.pk])
        ticket_transition(ticket=ticket, to_status="resolved", actor=Actor.system())
        ticket_effect_refresh(organization_id=tenant.org.pk, ticket_id=ticket.pk)
    page = manager_client.get(reverse("ticket-detail", kwargs={"ticket_id": ticket.pk}),
                              HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'<a href="/feedback/{feedback.pk}/">打开</a>' in page  # the evidence link
    assert "<button>关联</button>" in page  # link more feedback (a verb)
    assert "<th>之前</th><th>之后</th>" in page and "<th>样本数</th>" in page  # the effect check
    assert "开放" not in page and "截止日期" not in page
