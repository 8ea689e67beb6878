"""Root URLs: pages, the partner API v1, its schema and offline docs, health."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cem import views

api_v1 = [
    path("", include("voice.api.urls")),  # first: the partners' ingest (see urlpatterns)
    path("", include("cem.api.urls")),
    path("", include("journeys.api.urls")),
    path("", include("metrics.api.urls")),
    path("", include("improvement.api.urls")),
]

urlpatterns = [
    # NOTE: the partner API first: Django tries the patterns in order, and every partner
    # request walked the page includes before reaching it (bench/ingest_http.py).
    path("api/v1/", include(api_v1)),
    path("", include("dashboard.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("org/switch/", views.OrganizationSwitchView.as_view(), name="org-switch"),
    path("no-organization/", views.NoOrganizationView.as_view(), name="no-organization"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("settings/", include("cem.urls_settings")),
    path("", include("journeys.urls")),
    path("", include("voice.urls")),
    path("", include("metrics.urls")),
    path("", include("improvement.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # NOTE: the Django admin is for platform operators (superusers) only; it sees all tenants.
    path("admin/", admin.site.urls),
]
