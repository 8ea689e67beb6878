"""Victim data of the journeys app: a journey with marked stage and touchpoint names."""

from journeys.services import journey_create


def build(tenant):
    marker = tenant.marker
    tenant.extra["journey"] = journey_create(
        organization=tenant.org, name=f"{marker}旅程", persona=f"{marker}画像",
        description=f"{marker}的购物旅程", stages=[
            {"name": f"{marker}浏览选购", "touchpoints": [
                {"key": "w-browse", "name": f"{marker}商品页",
                 "department": tenant.departments["marked"].pk}]},
            {"name": f"{marker}物流配送", "touchpoints": [
                {"key": "w-ship", "name": f"{marker}发货"}]},
        ])
