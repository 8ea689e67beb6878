"""Victim data of the voice app: a touchpoint, a customer, a feedback and an interaction."""

from django.utils import timezone

from journeys.models import Journey, Stage, Touchpoint
from voice.services.customers import customer_upsert
from voice.services.ingest import feedback_ingest
from voice.services.interactions import interaction_upsert_many


def build(tenant):
    org, marker = tenant.org, tenant.marker
    journey = Journey.all_orgs.create(organization=org, name=f"{marker}旅程")
    stage = Stage.all_orgs.create(organization=org, journey=journey, name="物流配送")
    tenant.extra["touchpoint"] = Touchpoint.all_orgs.create(
        organization=org, stage=stage, key="delivery", name=f"{marker}送货上门")
    tenant.extra["customer"], _ = customer_upsert(
        organization=org, data={"external_id": f"{marker}-C1", "segment": "会员"})
    result = feedback_ingest(organization=org, source="api", data={
        "external_id": f"{marker}-F1", "channel": "app", "touchpoint": "delivery",
        "customer": {"external_id": f"{marker}-C1"}, "text": f"{marker} 快递太慢了",
        "nps": 3, "occurred_at": timezone.now(), "metadata": {"order": marker}})
    tenant.extra["feedback"] = result.feedback
    tenant.extra["interaction"] = interaction_upsert_many(organization=org, items=[{
        "external_id": f"{marker}-I1", "channel": "call_center", "agent": marker,
        "opened_at": timezone.now()}])[0][0]
