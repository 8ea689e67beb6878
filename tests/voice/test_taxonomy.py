"""The default taxonomy: exact names, enough keywords, seeded for every new organization."""

import importlib

import pytest
from django.apps import apps as global_apps

from cem import services
from tests.voice.helpers import make_feedback
from voice.demo import seed_keywords
from voice.models import KeywordSnapshot, Topic
from voice.taxonomy import DEFAULT_TAXONOMY, taxonomy_install_default

pytestmark = pytest.mark.django_db

NAMES = ["物流配送", "产品质量", "价格费用", "服务态度", "售后退换", "支付结算", "应用体验",
         "门店环境", "等待时长"]


def test_default_taxonomy_has_the_exact_names_and_15_to_40_keywords_each():
    assert list(DEFAULT_TAXONOMY) == NAMES
    for name, keywords in DEFAULT_TAXONOMY.items():
        assert 15 <= len(keywords) <= 40, name
        assert len(set(keywords)) == len(keywords), name
        assert all(len(k) >= 2 or k.isdigit() for k in keywords), name


def test_new_organization_gets_the_default_taxonomy():
    org = services.organization_create(slug="fresh", name="新公司")
    topics = {t.name: t for t in Topic.all_orgs.filter(organization=org)}
    assert sorted(topics) == sorted(NAMES)
    assert all(t.origin == Topic.Origin.DEFAULT and t.is_active for t in topics.values())
    assert "次日达" in topics["物流配送"].keywords
    assert "瑕疵" in topics["产品质量"].keywords


def test_install_is_idempotent_and_keeps_tenant_edits(org):
    Topic.all_orgs.filter(organization=org, name="物流配送").update(keywords=["只要这个"],
                                                                 is_active=False)
    Topic.all_orgs.filter(organization=org, name="门店环境").delete()
    assert taxonomy_install_default(organization_id=org.pk) == 1
    assert taxonomy_install_default(organization_id=org.pk) == 0
    edited = Topic.all_orgs.get(organization=org, name="物流配送")
    assert edited.keywords == ["只要这个"] and edited.is_active is False
    assert Topic.all_orgs.filter(organization=org).count() == 9


def test_data_migration_adds_the_taxonomy_to_existing_organizations(org, other_org):
    Topic.all_orgs.filter(organization=org).delete()
    Topic.all_orgs.filter(organization=other_org, name="价格费用").delete()
    migration = importlib.import_module("voice.migrations.0006_default_taxonomy")
    migration.install(global_apps, None)
    assert Topic.all_orgs.filter(organization=org).count() == 9
    assert Topic.all_orgs.filter(organization=other_org).count() == 9



def test_demo_keywords_step_stores_snapshots_and_is_idempotent(tenant):
    make_feedback(tenant, n=2)
    seed_keywords(tenant.org)
    seed_keywords(tenant.org)
    assert KeywordSnapshot.all_orgs.filter(organization=tenant.org,
                                           scope_kind="organization").count() == 2
