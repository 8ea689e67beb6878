"""The organization profile and the business-hours calendar."""

import pytest

from cem import services
from cem.errors import ApplicationError
from cem.models import AuditEvent

pytestmark = pytest.mark.django_db

CALENDAR = {"weekly": {"mon": [["13:00", "18:00"], ["09:00", "12:00"]], "sun": []},
            "holidays": ["2026-10-02", "2026-10-01", "2026-10-01"]}


def _update(org, **changes):
    values = {"name": org.name, "tz": org.timezone, "business_hours": org.business_hours,
              "survey_invite_cap_days": org.survey_invite_cap_days, **changes}
    return services.organization_update(organization=org, actor=None, **values)


def test_calendar_is_normalized():
    assert services.validate_business_hours(CALENDAR) == {
        "weekly": {"mon": [["09:00", "12:00"], ["13:00", "18:00"]]},
        "holidays": ["2026-10-01", "2026-10-02"]}
    assert services.validate_business_hours({"weekly": {}, "holidays": []}) == {}


@pytest.mark.parametrize(("calendar", "message"), [
    ({"weekly": {"mon": [["09:00", "12:00"], ["11:00", "18:00"]]}}, "overlap"),
    ({"weekly": {"tue": [["18:00", "18:00"]]}}, "end after it starts"),
    ({"weekly": {"mon": [["09:00", "18:00"]]}, "holidays": ["2026-02-30"]}, "not a date"),
    ({"weekly": {"mon": [["09:00", "18:00"]]}, "holidays": ["2026-1-1"]}, "not a date"),
    ({"weekly": {}, "holidays": ["2026-10-01"]}, "need opening hours"),
    ({"weekly": {"mon": [["09:00", "18:00"]]}, "extra": 1}, "Business hours must map"),
])
def test_calendar_mistakes_are_named(calendar, message):
    with pytest.raises(ApplicationError, match=message):
        services.validate_business_hours(calendar)


def test_overlap_names_the_day_for_the_page():
    with pytest.raises(ApplicationError) as exc:
        services.validate_business_hours({"weekly": {"wed": [["09:00", "12:00"], ["11:00", "13:00"]]}})
    assert exc.value.params == {"day": "wed", "span": "11:00–12:00"}


def test_profile_update_is_audited(tenant):
    org = _update(tenant.org, name="甲公司（华东）", tz="Asia/Hong_Kong", business_hours=CALENDAR,
                  survey_invite_cap_days=14)
    assert (org.name, org.timezone, org.survey_invite_cap_days) == ("甲公司（华东）", "Asia/Hong_Kong", 14)
    event = AuditEvent.all_orgs.get(organization=tenant.org, action="organization.changed")
    assert event.details["timezone"] == {"from": "Asia/Shanghai", "to": "Asia/Hong_Kong"}
    assert event.details["business_hours"]["to"]["weekly"]["mon"][0] == ["09:00", "12:00"]
    _update(org)  # nothing changed: nothing recorded
    assert AuditEvent.all_orgs.filter(organization=tenant.org,
                                      action="organization.changed").count() == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"), ({"tz": "Mars/Base"}, "timezone"),
    ({"survey_invite_cap_days": 366}, "survey_invite_cap_days"),
    ({"survey_invite_cap_days": -1}, "survey_invite_cap_days"),
])
def test_profile_update_validates(tenant, changes, field):
    with pytest.raises(ApplicationError) as exc:
        _update(tenant.org, **changes)
    assert exc.value.field == field
