"""The lean single-item ingest (voice.services.ingest_one) stores what the general path stores."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from cem import selectors, services
from cem.models import ApiKey
from cem.rawsql import unique_conflict
from voice.models import Customer, Feedback
from voice.services.ingest import feedback_ingest_many
from voice.services.ingest_one import CUSTOMER_KEY, FEEDBACK_KEY, feedback_ingest_one
from voice.validation import feedback_item_clean

pytestmark = pytest.mark.django_db

RAW = {"channel": "app", "touchpoint": "delivery", "customer": {"external_id": "C-1", "segment": "会员"},
       "text": "物流很快，但是质量太差", "nps": 6, "csat": 2, "ces": 3,
       "occurred_at": "2026-11-01T09:30:00+08:00", "metadata": {"order": "SO-1", "门店": "上海"}}
COMPARED_AWAY = ("id", "external_id", "customer", "received_at")


@pytest.fixture(autouse=True)
def _in_tenant_scope(tenant):
    with tenant.scope():
        yield


def _clean(tenant, touchpoint, raw):
    return feedback_item_clean(organization=tenant.org, raw=raw,
                               touchpoints={"delivery": touchpoint})


def test_the_stored_row_is_the_general_paths_row(tenant, touchpoint):
    lean = feedback_ingest_one(organization=tenant.org, source="api",
                               data=_clean(tenant, touchpoint, {**RAW, "external_id": "lean"}))
    general = feedback_ingest_many(organization=tenant.org, source="api",
                                   items=[_clean(tenant, touchpoint, {**RAW, "external_id": "orm"})])[0]
    assert lean.created and general.created
    rows = {f.external_id: f for f in Feedback.all_orgs.filter(organization=tenant.org)}
    assert set(rows) == {"lean", "orm"}
    as_dict = {ext: {k: v for k, v in model_to_dict(row).items() if k not in COMPARED_AWAY}
               for ext, row in rows.items()}
    assert as_dict["lean"] == as_dict["orm"]
    assert rows["lean"].customer_id == rows["orm"].customer_id  # one customer, found by both
    assert rows["lean"].received_at and abs(rows["lean"].received_at - timezone.now()).seconds < 60
    assert (rows["lean"].segment, rows["lean"].status, rows["lean"].touchpoint_id) == (
        "会员", "pending", touchpoint.pk)


def test_a_new_customer_is_created_and_a_given_segment_updates_the_stored_one(tenant, touchpoint):
    data = _clean(tenant, touchpoint, {**RAW, "customer": {"external_id": "C-new"}})
    first = feedback_ingest_one(organization=tenant.org, source="api", data=data)
    customer = Customer.all_orgs.get(organization=tenant.org, external_id="C-new")
    assert (first.feedback.customer_id, customer.segment, customer.status) == (customer.pk, "", "active")
    moved = _clean(tenant, touchpoint, {**RAW, "customer": {"external_id": "C-new", "segment": "企业"}})
    second = feedback_ingest_one(organization=tenant.org, source="api", data=moved)
    customer.refresh_from_db()
    assert customer.segment == "企业"
    assert Feedback.all_orgs.get(pk=second.feedback.pk).segment == "企业"
    kept = feedback_ingest_one(organization=tenant.org, source="api",
                               data=_clean(tenant, touchpoint, {**RAW, "customer": {"external_id": "C-new"}}))
    assert Feedback.all_orgs.get(pk=kept.feedback.pk).segment == "企业"
    assert Customer.all_orgs.filter(organization=tenant.org, external_id="C-new").count() == 1


def test_a_resend_answers_the_stored_row_and_stores_nothing(tenant, touchpoint):
    data = _clean(tenant, touchpoint, {**RAW, "external_id": "o-1"})
    first = feedback_ingest_one(organization=tenant.org, source="api", data=data)
    Feedback.all_orgs.filter(pk=first.feedback.pk).update(status="analyzed")
    again = feedback_ingest_one(organization=tenant.org, source="api", data=data)
    assert (again.created, again.feedback.pk, again.feedback.status) == (False, first.feedback.pk, "analyzed")
    assert Feedback.all_orgs.filter(organization=tenant.org).count() == 1


def test_without_external_id_every_post_is_a_new_row(tenant, touchpoint):
    data = _clean(tenant, touchpoint, {**RAW, "customer": None, "touchpoint": None})
    ids = {feedback_ingest_one(organization=tenant.org, source="api", data=data).feedback.pk
           for _ in range(2)}
    assert len(ids) == 2
    assert set(Feedback.all_orgs.filter(pk__in=ids).values_list("customer_id", "touchpoint_id")) == {
        (None, None)}


def test_an_unknown_touchpoint_or_another_tenants_one_is_left_to_the_general_path(
        tenant, other_tenant, touchpoint):
    data = _clean(tenant, touchpoint, RAW)
    # tenant A's touchpoint key means nothing to tenant B
    assert feedback_ingest_one(organization=other_tenant.org, source="api", data=data) is None
    assert feedback_ingest_one(organization=tenant.org, source="api",
                               data={**data, "touchpoint": "nowhere"}) is None
    assert Feedback.all_orgs.count() == 0
    assert not Customer.all_orgs.filter(organization=other_tenant.org).exists()


def test_the_api_names_an_unknown_touchpoint(tenant, touchpoint, writer):
    response = writer.post(reverse("api-feedback"), {**RAW, "touchpoint": "nowhere"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"touchpoint"}
    assert Feedback.all_orgs.count() == 0


def test_the_conflict_targets_are_written_from_the_models_unique_constraints():
    """The lean inserts take their ON CONFLICT targets from the constraints themselves (a partial
    index's condition included), so a changed constraint cannot leave a stale copy here."""
    assert unique_conflict(Customer, CUSTOMER_KEY) == '("organization_id", "external_id")'
    target = unique_conflict(Feedback, FEEDBACK_KEY)
    assert target.startswith('("organization_id", "channel", "external_id") WHERE ')
    assert "IS NOT NULL" in target
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Feedback._meta.db_table)
    assert indexes[FEEDBACK_KEY]["unique"]


def test_the_key_lookup_loads_what_the_orm_loads(tenant):
    key, raw = services.api_key_create(organization=tenant.org, name="合作方", scopes=["feedback:write"])
    found = selectors.api_key_for_raw(raw_key=raw)
    orm = ApiKey.all_orgs.select_related("organization").get(pk=key.pk)
    assert model_to_dict(found) == model_to_dict(orm)
    assert model_to_dict(found.organization) == model_to_dict(orm.organization)
    assert found.scopes == ["feedback:write"] and found.organization.tzinfo == orm.organization.tzinfo
    assert found.created_at == orm.created_at and found.organization.created_at == orm.organization.created_at
    assert selectors.api_key_for_raw(raw_key=raw[:-1] + ("x" if raw[-1] != "x" else "y")) is None
    services.api_key_revoke(key=key)
    assert selectors.api_key_for_raw(raw_key=raw) is None


def test_the_reused_cleaner_reads_naive_times_in_each_callers_time_zone(tenant, other_tenant,
                                                                         touchpoint):
    """One validator per thread serves every organization: each call brings its own context."""
    other_tenant.org.timezone = "Europe/Berlin"
    naive = {**RAW, "occurred_at": "2026-11-01T09:30:00"}
    seen = [feedback_item_clean(organization=org, raw=naive, touchpoints={"delivery": touchpoint})
            ["occurred_at"].isoformat() for org in (tenant.org, other_tenant.org, tenant.org)]
    assert seen == ["2026-11-01T09:30:00+08:00", "2026-11-01T09:30:00+01:00",
                    "2026-11-01T09:30:00+08:00"]
    with pytest.raises(Exception) as refused:
        feedback_item_clean(organization=other_tenant.org, raw=RAW, touchpoints={})
    assert "touchpoint" in str(refused.value.detail)


def test_a_bad_item_with_an_unknown_touchpoint_names_both_fields(tenant, touchpoint, writer):
    response = writer.post(reverse("api-feedback"), {**RAW, "touchpoint": "nowhere", "nps": 11},
                           format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"touchpoint", "nps"}
    assert Feedback.all_orgs.count() == 0
