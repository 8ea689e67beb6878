"""The settings lists run a constant number of queries, for 1 row and for 20+ rows (N+1 rule)."""

import pytest
from django.urls import reverse

from cem import services
from tests.conftest import session_client

pytestmark = pytest.mark.django_db

LISTS = ("settings-members", "settings-departments", "settings-api-keys", "settings-audit")
#: A ceiling for one list page (the shell's own queries included; 4–6 today).
MAX_QUERIES = 12


def _grow(tenant, n=21):
    for i in range(n):
        user = services.user_get_or_create(username=f"bulk-{i:02d}", password="x-long-password-1")
        services.membership_set(organization=tenant.org, user=user, role="viewer")
        services.api_key_create(organization=tenant.org, name=f"伙伴{i}", scopes=["manage"],
                                created_by=user)
        services.department_create(organization=tenant.org, name=f"门店{i}", lead=user,
                                   parent=tenant.departments["物流部"])


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_is_constant(tenant, name, django_assert_max_num_queries):
    admin = session_client(tenant.users["admin"])
    with django_assert_max_num_queries(MAX_QUERIES) as one_row:
        assert admin.get(reverse(name)).status_code == 200
    _grow(tenant)
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert admin.get(reverse(name)).status_code == 200
