"""The dashboard's period and filters, read from the URL."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from dashboard.forms import DashboardFilterForm

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _form(tenant, query=""):
    with tenant.scope():
        return DashboardFilterForm(QueryDict(query), organization=tenant.org, today=TODAY)


def test_default_is_the_last_30_days_including_today(tenant):
    form = _form(tenant)
    period = form.date_range(SHANGHAI)
    assert (period.first, period.last, period.days) == (date(2026, 10, 25), TODAY, 30)
    assert period.start == datetime(2026, 10, 25, tzinfo=SHANGHAI)
    assert period.end == datetime(2026, 11, 24, tzinfo=SHANGHAI)
    assert period.interval == "day" and form.is_default() and form["period"].value() == "30d"


@pytest.mark.parametrize(("query", "days", "interval"), [
    ("period=7d", 7, "day"), ("period=90d", 90, "week"), ("period=365d", 365, "week"),
    ("from=2024-01-01&to=2026-11-23", 1058, "month"), ("period=nonsense", 30, "day"),
])
def test_presets_and_dates(tenant, query, days, interval):
    period = _form(tenant, query).date_range(SHANGHAI)
    assert (period.days, period.interval) == (days, interval)


def test_dates_select_the_custom_period_and_a_missing_end_is_today(tenant):
    form = _form(tenant, "from=2026-11-01")
    period = form.date_range(SHANGHAI)
    assert (period.first, period.last) == (date(2026, 11, 1), TODAY)
    assert form["period"].value() == "custom" and form.is_custom() and not form.is_default()


def test_bad_dates_are_reported_and_ignored(tenant):
    form = _form(tenant, "from=2026-11-20&to=2026-11-01")
    assert "to" in form.errors
    assert form.date_range(SHANGHAI).first == date(2026, 11, 20)
    too_long = _form(tenant, "from=2020-01-01")
    assert "from" in too_long.errors and too_long.date_range(SHANGHAI).days == 30
    garbage = _form(tenant, "from=yesterday")
    assert "from" in garbage.errors and garbage.date_range(SHANGHAI).days == 30


@pytest.mark.parametrize("query,field", [("to=9999-12-31", "to"), ("from=0001-01-01", "from"),
                                         ("from=2026-11-01&to=9999-12-31", "to")])
def test_years_out_of_range_are_reported_not_overflowed(tenant, query, field):
    form = _form(tenant, query)
    assert field in form.errors and "1970" in str(form.errors[field])
    assert form.date_range(SHANGHAI).last <= TODAY


def test_the_dashboard_page_answers_an_absurd_date_with_the_form_error(manager_client):
    from django.urls import reverse

    response = manager_client.get(reverse("home"), {"to": "9999-12-31"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "between 1970 and 2200" in response.content.decode()


def test_filters_keep_only_known_values(tenant, other_tenant):
    with tenant.scope():
        from journeys.services import journey_create

        journey = journey_create(organization=tenant.org, name="网购", stages=[
            {"name": "配送", "touchpoints": [{"key": "delivery", "name": "送货上门"}]}])
    form = _form(tenant, f"journey={journey.pk}&touchpoint=delivery&channel=app&segment=会员")
    assert form.filters() == {"journey": journey.pk, "touchpoint": "delivery", "channel": "app",
                              "segment": "会员"}
    strange = _form(tenant, "journey=999999&touchpoint=nope&channel=fax&segment=")
    assert strange.filters() == {} and {"journey", "touchpoint", "channel"} <= set(strange.errors)
