"""Demo journeys (seed_demo step 10): an online shopping journey and an in-store one.

Idempotent: a journey is recognised by its name; touchpoint keys are fixed, because the demo
feedback (step 20) points at them.
"""

from __future__ import annotations

from django.db import transaction

from cem.models import Department, Organization
from journeys.models import Journey
from journeys.services import journey_create

#: (name, persona, description, [(stage, [(key, name, channels, department)])])
DEMO_JOURNEYS = (
    ("电商购物", "25–40 岁的线上购物会员，常用手机 App 下单",
     "从在 App 或网站上挑选商品，到收货使用和售后服务的完整线上购物旅程。", [
         ("浏览选购", [
             ("ec-search", "商品搜索", ["app", "web"], "门店运营部"),
             ("ec-product-page", "商品详情页", ["app", "web", "ecommerce_review"], "质量部"),
         ]),
         ("下单支付", [
             ("ec-checkout", "下单结算", ["app", "web"], "门店运营部"),
             ("ec-payment", "在线支付", ["app", "web"], "客服中心"),
         ]),
         ("物流配送", [
             ("ec-delivery", "送货上门", ["app", "call_center", "survey"], "物流部"),
             ("ec-tracking", "物流查询", ["app", "web"], "物流部"),
         ]),
         ("签收使用", [
             ("ec-unboxing", "开箱验货", ["app", "ecommerce_review"], "质量部"),
             ("ec-usage", "产品使用", ["ecommerce_review", "survey", "social"], "质量部"),
         ]),
         ("售后服务", [
             ("ec-hotline", "客服热线", ["call_center"], "客服中心"),
             ("ec-online-service", "在线客服", ["app", "web"], "客服中心"),
             ("ec-return", "退换货", ["app", "web", "call_center"], "客服中心"),
         ]),
     ]),
    ("门店服务", "周末带家人到店的附近居民",
     "线下门店（服务厅）从到店、咨询体验、结账离店到回访的旅程。", [
         ("到店", [
             ("store-arrival", "停车与到店", ["store"], "门店运营部"),
             ("store-reception", "迎宾咨询", ["store"], "门店运营部"),
         ]),
         ("咨询体验", [
             ("store-advice", "导购服务", ["store"], "门店运营部"),
             ("store-trial", "试用体验", ["store"], "质量部"),
         ]),
         ("结账离店", [
             ("store-checkout", "收银结账", ["store", "app"], "门店运营部"),
             ("store-membership", "会员积分", ["app", "store"], "客服中心"),
         ]),
         ("售后回访", [
             ("store-followup", "电话回访", ["call_center", "survey"], "客服中心"),
         ]),
     ]),
)


def _stages(spec, departments: dict[str, Department]) -> list[dict]:
    return [{"name": stage, "touchpoints": [
        {"key": key, "name": name, "channels": channels,
         "department": departments[dept].pk if dept in departments else None}
        for key, name, channels, dept in touchpoints]} for stage, touchpoints in spec]


@transaction.atomic
def seed_journeys(org: Organization) -> None:
    """The two demo journeys with their stages, touchpoints, channels and owning departments."""
    departments = {d.name: d for d in Department.all_orgs.filter(organization=org)}
    existing = set(Journey.all_orgs.filter(organization=org).values_list("name", flat=True))
    for name, persona, description, spec in DEMO_JOURNEYS:
        if name not in existing:
            journey_create(organization=org, name=name, persona=persona, description=description,
                           stages=_stages(spec, departments))
