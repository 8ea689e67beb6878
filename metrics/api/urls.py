from django.urls import path

from metrics.api import views

urlpatterns = [
    path("metrics/summary/", views.MetricsSummaryApi.as_view(), name="api-metrics-summary"),
    path("metrics/timeseries/", views.MetricsTimeseriesApi.as_view(),
         name="api-metrics-timeseries"),
    path("metrics/breakdown/", views.MetricsBreakdownApi.as_view(), name="api-metrics-breakdown"),
    path("metrics/key-drivers/", views.MetricsKeyDriversApi.as_view(),
         name="api-metrics-key-drivers"),
]
