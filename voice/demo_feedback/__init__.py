"""Demo voice of the customer (seed_demo step 20, after the journeys of step 10).

About 3,000 feedback items over the last 6 months, ~1,100 customers (with `since` and churn
dates) and ~700 service interactions, generated from a fixed seed (see `generate`), stored in
bulk and analyzed inline in chunks (no worker needed to see sentiment and topics).
Idempotent: nothing is added when the demo feedback exists; rows left pending by an
interrupted run are analyzed on the next one.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cem.models import Department, Organization
from journeys.selectors import touchpoints_by_key
from voice.demo_feedback import texts
from voice.demo_feedback.generate import generate
from voice.models import Customer, Feedback, Interaction, Topic
from voice.services.analysis import feedback_analyze_batch

CHUNK = 400
#: Owners of the demo topics the improvement step does not assign.
TOPIC_OWNERS = {"价格优惠": "门店运营部", "支付结算": "客服中心", "退换货": "客服中心",
                "排队等待": "门店运营部", "页面体验": "门店运营部", "门店环境": "门店运营部",
                "会员积分": "客服中心"}


def _topics(org: Organization) -> None:
    departments = {d.name: d for d in Department.all_orgs.filter(organization=org)}
    for name, keywords in texts.TOPICS:
        Topic.all_orgs.get_or_create(
            organization=org, name=name,
            defaults={"keywords": keywords, "origin": Topic.Origin.DEFAULT,
                      "department": departments.get(TOPIC_OWNERS.get(name, ""))})


def _customers(org: Organization, rows: list[dict]) -> dict[str, Customer]:
    Customer.all_orgs.bulk_create([Customer(
        organization=org, external_id=c["external_id"], segment=c["segment"], since=c["since"],
        status=Customer.Status.CHURNED if c["churned_at"] else Customer.Status.ACTIVE,
        churned_at=c["churned_at"]) for c in rows], ignore_conflicts=True)
    ids = [c["external_id"] for c in rows]
    return {c.external_id: c for c in Customer.all_orgs.filter(organization=org,
                                                                external_id__in=ids)}


def _feedback(org, rows, customers, touchpoints) -> None:
    Feedback.all_orgs.bulk_create([Feedback(
        organization=org, external_id=r["external_id"], channel=r["channel"],
        source=Feedback.Source.DEMO, touchpoint=touchpoints.get(r["touchpoint"]),
        customer=customers.get(r["customer"]), segment=r["segment"], text=r["text"],
        nps=r["nps"], csat=r["csat"], ces=r["ces"], occurred_at=r["occurred_at"],
        metadata={"demo": True}) for r in rows], batch_size=1000, ignore_conflicts=True)


def _interactions(org, rows, customers, touchpoints) -> None:
    made = []
    for r in rows:
        customer = customers.get(r["customer"])
        made.append(Interaction(
            organization=org, external_id=r["external_id"], channel=r["channel"],
            customer=customer, segment=customer.segment if customer else "",
            touchpoint=touchpoints.get(r["touchpoint"]), agent=r["agent"], team=r["team"],
            opened_at=r["opened_at"], reopened_at=r["reopened_at"],
            first_response_at=r["first_response_at"], resolved_at=r["resolved_at"],
            csat=r["csat"]))
    Interaction.all_orgs.bulk_create(made, batch_size=1000, ignore_conflicts=True)


def _store(org: Organization) -> None:
    demo = generate(timezone.localtime(timezone.now(), org.tzinfo))
    touchpoints = touchpoints_by_key(organization=org)
    with transaction.atomic():
        customers = _customers(org, demo.customers)
        _feedback(org, demo.feedback, customers, touchpoints)
        _interactions(org, demo.interactions, customers, touchpoints)


def _analyze_pending(org: Organization) -> None:
    pending = list(Feedback.all_orgs.filter(organization=org, source=Feedback.Source.DEMO,
                                            status=Feedback.Status.PENDING)
                   .order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pending), CHUNK):
        feedback_analyze_batch(organization_id=org.pk, feedback_ids=pending[start:start + CHUNK])


def seed_feedback(org: Organization) -> None:
    """Idempotent: demo topics, customers, feedback and interactions once; then analysis."""
    _topics(org)
    if not Feedback.all_orgs.filter(organization=org, source=Feedback.Source.DEMO).exists():
        _store(org)
    _analyze_pending(org)
