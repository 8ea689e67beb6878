"""SLA due times in business hours: the inverse of the metrics calendar arithmetic."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from improvement.business_time import add_business_seconds
from improvement.sla import due_times

TZ = ZoneInfo("Asia/Shanghai")
CALENDAR = {"weekly": {d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
            "holidays": ["2026-10-01"]}


@pytest.mark.parametrize("start,hours,expected", [
    (datetime(2026, 9, 25, 17, 0, tzinfo=TZ), 2, datetime(2026, 9, 28, 10, 0, tzinfo=TZ)),   # Fri → Mon
    (datetime(2026, 9, 28, 11, 0, tzinfo=TZ), 2, datetime(2026, 9, 28, 14, 0, tzinfo=TZ)),   # over lunch
    (datetime(2026, 9, 30, 17, 30, tzinfo=TZ), 1, datetime(2026, 10, 2, 9, 30, tzinfo=TZ)),  # holiday
    (datetime(2026, 9, 26, 10, 0, tzinfo=TZ), 8, datetime(2026, 9, 28, 18, 0, tzinfo=TZ)),   # from Saturday
])
def test_add_business_seconds(start, hours, expected):
    assert add_business_seconds(start=start, seconds=hours * 3600, calendar=CALENDAR, tz=TZ) == expected


def test_a_calendar_without_hours_falls_back_to_wall_clock():
    start = datetime(2026, 9, 25, 17, 0, tzinfo=TZ)
    closed = {"weekly": {"mon": []}, "holidays": []}
    assert add_business_seconds(start=start, seconds=3600, calendar=closed, tz=TZ).hour == 18


@pytest.mark.django_db
def test_due_times_use_business_hours_when_the_policy_says_so(tenant):
    from improvement.services.sla import sla_policy_set

    tenant.org.business_hours = CALENDAR
    tenant.org.save()
    with tenant.scope():
        sla_policy_set(organization=tenant.org, priority="high", first_response_minutes=120,
                       resolution_minutes=480, use_business_hours=True)
        response, resolution = due_times(organization=tenant.org, priority="high",
                                         start=datetime(2026, 9, 25, 17, 0, tzinfo=TZ))
        wall = due_times(organization=tenant.org, priority="normal", start=datetime(2026, 9, 25, 17, 0, tzinfo=TZ))
    assert response == datetime(2026, 9, 28, 10, 0, tzinfo=TZ)
    assert resolution == datetime(2026, 9, 28, 17, 0, tzinfo=TZ)
    assert wall[0] == datetime(2026, 9, 26, 1, 0, tzinfo=TZ)
