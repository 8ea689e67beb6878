"""seed_demo's improvement step: rules of each kind, tickets in every state, idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cem.models import Organization
from improvement.models import AlertRule, Notification, Ticket, TicketEvent, TicketEvidence
from voice.models import Feedback, FeedbackTopic, Topic

pytestmark = pytest.mark.django_db


def counts():
    return (AlertRule.all_orgs.count(), Ticket.all_orgs.count(), TicketEvent.all_orgs.count(),
            TicketEvidence.all_orgs.count(), Notification.all_orgs.count())


def test_seed_twice_changes_nothing_and_covers_every_state():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    org = Organization.objects.get(slug="demo")
    topic = Topic.all_orgs.get(organization=org, name="物流配送")
    rows = [Feedback.all_orgs.create(organization=org, channel="app", text=f"快递太慢了{i}，我要投诉",
                                     occurred_at=timezone.now(),
                                     status="analyzed", sentiment_label="negative", sentiment_score=-0.9)
            for i in range(3)]
    for row in rows:
        FeedbackTopic.all_orgs.create(organization=org, feedback=row, topic=topic, polarity="pain")
    Ticket.all_orgs.all().delete()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    statuses = set(Ticket.all_orgs.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "resolved", "verified", "reopened"}
    assert set(AlertRule.all_orgs.values_list("kind", flat=True)) == {
        "keyword", "topic_negative_count", "metric_threshold"}
    assert TicketEvidence.all_orgs.exists()
    assert TicketEvent.all_orgs.filter(kind="escalated").exists()
    verified = Ticket.all_orgs.get(status="verified")
    assert verified.effect and verified.resolved_at < verified.verified_at
    assert not Notification.all_orgs.filter(email_status="pending").exists()
