from django.urls import path

from metrics.api import emotion, views

urlpatterns = [
    path("metrics/summary/", views.MetricsSummaryApi.as_view(), name="api-metrics-summary"),
    path("metrics/timeseries/", views.MetricsTimeseriesApi.as_view(),
         name="api-metrics-timeseries"),
    path("metrics/breakdown/", views.MetricsBreakdownApi.as_view(), name="api-metrics-breakdown"),
    path("metrics/key-drivers/", views.MetricsKeyDriversApi.as_view(),
         name="api-metrics-key-drivers"),
    path("journeys/<int:journey_id>/emotion-curve/", emotion.JourneyEmotionCurveApi.as_view(),
         name="api-journey-emotion-curve"),
]
