from django.urls import path

from journeys.api import views

urlpatterns = [
    path("journeys/", views.JourneyListCreateApi.as_view(), name="api-journeys"),
    path("journeys/<int:journey_id>/", views.JourneyDetailApi.as_view(), name="api-journey-detail"),
]
