"""The shell: navigation and its active state, language (Chinese by default), user menu,
error pages in plain words, escaping of tenant text."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cem import services
from cem.navigation import nav_for, register_nav
from tests.conftest import session_client

pytestmark = pytest.mark.django_db


def test_chinese_by_default_english_when_asked(tenant):
    client = session_client(tenant.users["manager"])
    for accept in (None, "zh-CN,zh;q=0.9", "fr-FR"):
        headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
        page = client.get(reverse("home"), **headers).content.decode()
        assert 'lang="zh-hans"' in page and "仪表盘" in page, accept
    assert 'lang="en"' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="en"' in page and ">Dashboard<" in page  # the switch beats the browser


def test_the_api_honours_accept_language(tenant):
    client = Client()
    response = client.post(reverse("api-departments"), data="{}", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Api-Key {tenant.raw_key}",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_login_page_offers_the_language_switch(client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="language"' in page and "登录" in page


def test_navigation_marks_the_current_section(tenant):
    admin = session_client(tenant.users["admin"])
    membership = tenant.users["viewer"].memberships.get(organization=tenant.org)
    page = admin.get(reverse("settings-member-edit", kwargs={"membership_id": membership.pk}))
    body = page.content.decode()
    assert 'data-nav="settings-index" class="active"' in body
    assert 'data-nav="settings-members" class="active"' in body
    assert 'data-nav="home" class="active"' not in body
    home = admin.get(reverse("home")).content.decode()
    assert 'data-nav="home" class="active"' in home


def test_nav_registry_filters_by_role_and_prefers_the_longest_match():
    register_nav("settings", 999, "settings-audit", "审计", roles=("admin",))
    links = nav_for(section="settings", role="admin", current_url_name=None,
                    current_path="/settings/audit/?page=2")
    assert [link["url_name"] for link in links if link["active"]] == ["settings-audit"]
    assert nav_for(section="settings", role="viewer", current_url_name=None) == []
    register_nav("settings", 999, "not-a-route", "x")  # unknown routes are skipped, not fatal
    assert all(link["url_name"] != "not-a-route" for link in nav_for(
        section="settings", role="admin", current_url_name=None))
    with pytest.raises(ValueError):
        register_nav("sidebar", 1, "home", "x")
    from cem.apps import register_pages

    register_pages()  # restore the core entries this test replaced


def test_user_menu_and_organization_switch(tenant, other_tenant):
    user = tenant.users["manager"]
    services.membership_set(organization=other_tenant.org, user=user, role="viewer")
    page = session_client(user).get(reverse("home")).content.decode()
    assert 'class="usermenu"' in page and reverse("password_change") in page
    assert f'<option value="{other_tenant.org.pk}">{other_tenant.org.name}</option>' in page


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_404_is_plain_and_the_same_for_missing_and_foreign_objects(tenant, other_tenant):
    admin = session_client(tenant.users["admin"])
    missing = admin.get(reverse("settings-api-key-revoke", kwargs={"key_id": 999999}))
    foreign = admin.get(reverse("settings-api-key-revoke", kwargs={"key_id": other_tenant.api_key.pk}))
    assert missing.status_code == foreign.status_code == 404
    # identical but for the requested path itself, which the language switch echoes back
    foreign_path = reverse("settings-api-key-revoke", kwargs={"key_id": other_tenant.api_key.pk})
    assert (_without_csrf(missing).replace(missing.wsgi_request.path, "PATH")
            == _without_csrf(foreign).replace(foreign_path, "PATH"))
    assert "这个页面不存在" in missing.content.decode()
    admin.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "This page does not exist" in admin.get("/no/such/page/").content.decode()


def test_500_page_is_plain_in_both_languages():
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    for language, words in (("zh-hans", "系统出错了"), ("en", "Something went wrong on our side")):
        with translation.override(language):
            response = server_error(RequestFactory().get("/"))
        assert response.status_code == 500 and words in response.content.decode()


def test_csrf_failure_page_is_plain(tenant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant.users["admin"])
    response = client.post(reverse("settings-api-keys"), {"name": "x", "scopes": ["manage"]})
    assert response.status_code == 403 and "表单已过期" in response.content.decode()


def test_tenant_text_is_escaped_in_the_shell(tenant):
    services.organization_update(organization=tenant.org, actor=None, name="<b>坏</b>公司",
                                 tz="Asia/Shanghai", business_hours={}, survey_invite_cap_days=30)
    services.department_create(organization=tenant.org, name="<script>alert(1)</script>")
    page = session_client(tenant.users["admin"]).get(reverse("settings-departments")).content.decode()
    assert "<b>坏</b>" not in page and "&lt;b&gt;坏&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_static_assets_are_local_only(tenant):
    page = session_client(tenant.users["admin"]).get(reverse("settings-organization")).content.decode()
    for attribute in ('src="http', "src=\"//", 'href="http', 'href="//'):
        assert attribute not in page
    assert settings.STATIC_URL in page


def test_apps_add_top_bar_widgets_without_editing_the_base_template(tenant, monkeypatch):
    from cem import navigation

    monkeypatch.setattr(navigation, "_topbar", {})
    navigation.register_topbar(20, "cem/_language_form.html")
    navigation.register_topbar(10, "cem/_language_form.html")  # idempotent: moved, not doubled
    assert navigation.topbar_templates() == ["cem/_language_form.html"]
    page = session_client(tenant.users["viewer"]).get(reverse("home")).content.decode()
    assert page.count('class="inline lang-switch"') == 2
