"""audit_record: the service other apps call to record a settings change."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from cem import audit, selectors, services
from cem.errors import ApplicationError
from cem.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_keeps_target_and_actor_even_after_the_user_is_gone(tenant):
    user = services.user_get_or_create(username="temp-admin", password="x-long-password-1")
    event = services.audit_record(organization=tenant.org, actor=user, action="alert_rule.created",
                                  target=tenant.departments["物流部"],
                                  details={"window": timedelta(hours=1), "at": timezone.now()})
    assert (event.target_type, event.target_id, event.target_label) == (
        "department", str(tenant.departments["物流部"].pk), "物流部")
    assert event.details["window"] == "P0DT01H00M00S"  # JSON-safe, as stored
    user.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_label == "temp-admin"


@pytest.mark.parametrize("action", ["", "nodot", "x." + "y" * 70])
def test_record_refuses_bad_action_names(tenant, action):
    with pytest.raises(ApplicationError):
        services.audit_record(organization=tenant.org, actor=None, action=action)


def test_oversized_details_are_replaced(tenant):
    event = services.audit_record(organization=tenant.org, actor=None, action="x.y",
                                  details={"blob": "字" * 10000})
    assert event.details == {"truncated": True}


def test_registered_labels_and_unknown_actions(monkeypatch):
    monkeypatch.setattr(audit, "_labels", dict(audit._labels))  # keep the registry clean
    audit.register_audit_action("survey_link.created", "Survey link created")
    assert audit.audit_action_label("survey_link.created") == "Survey link created"
    assert audit.audit_action_label("never.registered") == "never.registered"
    with translation.override("zh-hans"):
        assert ("member.added", "添加成员") in audit.audit_actions()


def test_list_filters_by_action_actor_and_dates_in_the_org_time_zone(tenant, other_tenant):
    admin = tenant.users["admin"]
    with time_machine.travel(datetime(2026, 3, 1, 23, 30, tzinfo=tenant.org.tzinfo), tick=False):
        services.audit_record(organization=tenant.org, actor=admin, action="x.late",
                              target_label="迟到的")
    with tenant.scope():
        everything = selectors.audit_event_list(organization=tenant.org)
        assert all(e.organization_id == tenant.org.pk for e in everything)
        late = selectors.audit_event_list(organization=tenant.org, filters={
            "action": "x.late", "actor": "alpha-admin",
            "start": datetime(2026, 3, 1).date(), "end": datetime(2026, 3, 1).date()})
        assert [e.target_label for e in late] == ["迟到的"]
        assert not selectors.audit_event_list(organization=tenant.org, filters={
            "start": datetime(2026, 3, 2).date(), "action": "x.late"}).exists()
        assert "alpha-admin" in selectors.audit_event_actors(organization=tenant.org)
    assert AuditEvent.all_orgs.filter(organization=other_tenant.org, action="x.late").count() == 0
