"""Settings → Organization profile, with the business-hours editor."""

import pytest
from django.urls import reverse

from cem.models import Organization
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return session_client(tenant.users["admin"])


def _form(**values):
    data = {"name": "甲公司", "timezone": "Asia/Shanghai", "survey_invite_cap_days": "30",
            "holidays": ""}
    data.update({f"hours_{d}": "" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    data.update(values)
    return data


def test_save_profile_and_calendar(tenant, admin):
    response = admin.post(reverse("settings-organization"), _form(
        name="甲公司（华东）", timezone="Asia/Urumqi", survey_invite_cap_days="7",
        hours_mon="09:00-12:00，13:00-18:00", hours_sat="10:00–16:00",
        holidays="2026-10-01\n2026-10-02\n"))
    assert response.status_code == 302
    org = Organization.objects.get(pk=tenant.org.pk)
    assert (org.name, org.timezone, org.survey_invite_cap_days) == ("甲公司（华东）", "Asia/Urumqi", 7)
    assert org.business_hours == {"weekly": {"mon": [["09:00", "12:00"], ["13:00", "18:00"]],
                                             "sat": [["10:00", "16:00"]]},
                                  "holidays": ["2026-10-01", "2026-10-02"]}
    page = admin.get(reverse("settings-organization")).content.decode()
    assert 'value="09:00-12:00, 13:00-18:00"' in page and "已保存组织信息" in page


def test_mistakes_are_shown_next_to_the_day(tenant, admin):
    response = admin.post(reverse("settings-organization"), _form(hours_wed="09:00-12:00, 11:00-13:00"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "周三：时段互相重叠（11:00–12:00）" in body
    assert Organization.objects.get(pk=tenant.org.pk).business_hours == {}
    bad_time = admin.post(reverse("settings-organization"), _form(hours_mon="9点-18点"))
    assert bad_time.status_code == 200 and "工作时间须按星期" in bad_time.content.decode()
    bad_day = admin.post(reverse("settings-organization"), _form(hours_mon="09:00-18:00",
                                                                  holidays="2026-02-30"))
    assert "节假日 2026-02-30 不是有效日期" in bad_day.content.decode()


def test_clearing_the_calendar(tenant, admin):
    admin.post(reverse("settings-organization"), _form(hours_mon="09:00-18:00"))
    admin.post(reverse("settings-organization"), _form())
    assert Organization.objects.get(pk=tenant.org.pk).business_hours == {}


def test_times_render_in_the_organizations_time_zone(tenant, admin):
    admin.post(reverse("settings-organization"), _form(timezone="America/New_York"))
    page = admin.get(reverse("settings-audit")).content.decode()
    from django.utils import timezone

    from cem.models import AuditEvent

    event = AuditEvent.all_orgs.filter(organization=tenant.org).first()
    local = timezone.localtime(event.at, Organization.objects.get(pk=tenant.org.pk).tzinfo)
    assert local.strftime("%Y-%m-%d %H:%M") in page
