from django.urls import path

from cem.api import views

urlpatterns = [
    path("organization/", views.OrganizationDetailApi.as_view(), name="api-organization"),
    path("api-keys/", views.ApiKeyListCreateApi.as_view(), name="api-keys"),
    path("api-keys/<int:key_id>/revoke/", views.ApiKeyRevokeApi.as_view(), name="api-key-revoke"),
]
