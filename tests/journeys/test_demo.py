"""The demo journeys (step 10) and demo voice (step 20): idempotent, and the story holds —
logistics pain rises in the last three weeks; customers churn; interactions include reopened."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cem.demo import demo_organization_get_or_create, seed_core, seed_steps
from cem.tenancy import org_scope
from journeys.demo import seed_journeys
from journeys.models import Journey, Touchpoint
from voice.demo_feedback import seed_feedback
from voice.models import Customer, Feedback, Interaction

pytestmark = pytest.mark.django_db


def _counts(org):
    return tuple(model.all_orgs.filter(organization=org).count()
                 for model in (Journey, Touchpoint, Feedback, Customer, Interaction))


def _negative_share(rows) -> float:
    return rows.filter(sentiment_label="negative").count() / rows.count()


def test_demo_journeys_and_voice_tell_the_logistics_story():
    org = demo_organization_get_or_create()
    seed_core(org)
    with org_scope(org):
        seed_journeys(org)
        seed_feedback(org)
        first = _counts(org)
        seed_journeys(org)
        seed_feedback(org)
    assert _counts(org) == first
    journeys, touchpoints, feedback, customers, interactions = first
    assert (journeys, touchpoints) == (2, 18)
    assert feedback >= 2500 and customers >= 1000 and interactions >= 500
    assert not Feedback.all_orgs.filter(organization=org, status="pending").exists()
    delivery = Touchpoint.all_orgs.get(organization=org, key="ec-delivery")
    assert delivery.department.name == "物流部"
    recent = timezone.now() - timedelta(days=21)
    rows = Feedback.all_orgs.filter(organization=org, touchpoint=delivery)
    assert _negative_share(rows.filter(occurred_at__gte=recent)) > _negative_share(
        rows.filter(occurred_at__lt=recent)) + 0.1
    assert Customer.all_orgs.filter(organization=org, status="churned",
                                    churned_at__isnull=False).count() > 20
    assert Interaction.all_orgs.filter(organization=org, reopened_at__isnull=False).exists()
    assert Feedback.all_orgs.filter(organization=org, text__contains="12315").exists()


def test_steps_are_registered_in_order():
    orders = {name: order for order, name, _func in seed_steps()}
    assert orders["journeys"] == 10 and orders["voice-demo-feedback"] == 20
