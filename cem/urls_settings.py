"""Pages under /settings/: the index and the core sections (other apps add their own)."""

from django.urls import path

from cem import views_departments, views_members, views_settings

urlpatterns = [
    path("", views_settings.SettingsIndexView.as_view(), name="settings-index"),
    path("members/", views_members.MemberListView.as_view(), name="settings-members"),
    path("members/add/", views_members.MemberAddView.as_view(), name="settings-member-add"),
    path("members/<int:membership_id>/", views_members.MemberUpdateView.as_view(),
         name="settings-member-edit"),
    path("members/<int:membership_id>/remove/", views_members.MemberRemoveView.as_view(),
         name="settings-member-remove"),
    path("departments/", views_departments.DepartmentListView.as_view(),
         name="settings-departments"),
    path("departments/new/", views_departments.DepartmentCreateView.as_view(),
         name="settings-department-add"),
    path("departments/<int:department_id>/", views_departments.DepartmentUpdateView.as_view(),
         name="settings-department-edit"),
    path("departments/<int:department_id>/delete/", views_departments.DepartmentDeleteView.as_view(),
         name="settings-department-delete"),
    path("api-keys/", views_settings.ApiKeyListView.as_view(), name="settings-api-keys"),
    path("api-keys/<int:key_id>/revoke/", views_settings.ApiKeyRevokeView.as_view(),
         name="settings-api-key-revoke"),
    path("organization/", views_settings.OrganizationUpdateView.as_view(),
         name="settings-organization"),
    path("audit/", views_settings.AuditEventListView.as_view(), name="settings-audit"),
]
