"""Settings → Audit history: filters, pagination, and nothing of other tenants."""

import pytest
from django.urls import reverse

from cem import services
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


def test_history_shows_changes_with_before_and_after(tenant, other_tenant):
    admin = session_client(tenant.users["admin"])
    viewer = tenant.users["viewer"].memberships.get(organization=tenant.org)
    admin.post(reverse("settings-member-edit", kwargs={"membership_id": viewer.pk}),
               {"role": "cx_manager"})
    page = admin.get(reverse("settings-audit")).content.decode()
    assert "修改成员角色或部门" in page and "只读成员 → 体验管理者" in page
    assert other_tenant.marker not in page


def test_filters_and_pages(tenant):
    for i in range(60):
        services.audit_record(organization=tenant.org, actor=tenant.users["manager"],
                              action="alert_rule.created", target_label=f"规则{i:02d}")
    admin = session_client(tenant.users["admin"])
    first = admin.get(reverse("settings-audit"), {"action": "alert_rule.created"}).content.decode()
    assert "规则59" in first and "规则05" not in first and "第 1 / 2 页" in first
    second = admin.get(reverse("settings-audit"), {"action": "alert_rule.created", "page": 2})
    assert "规则05" in second.content.decode()
    by = admin.get(reverse("settings-audit"), {"actor": "alpha-manager", "q": "规则07"}).content.decode()
    assert "规则07" in by and "规则08" not in by
    nothing = admin.get(reverse("settings-audit"), {"start": "2001-01-01", "end": "2001-01-02"})
    assert "没有符合筛选条件的记录" in nothing.content.decode()
    bad = admin.get(reverse("settings-audit"), {"start": "not-a-date", "action": "nope"})
    assert bad.status_code == 200


def test_user_text_is_escaped(tenant):
    services.audit_record(organization=tenant.org, actor=None, action="x.y",
                          target_label="<script>alert(1)</script>",
                          details={"note": "<img src=x onerror=alert(1)>"})
    page = session_client(tenant.users["admin"]).get(reverse("settings-audit")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
