"""Pages of the metrics app: the journey map (journeys + feedback + metrics)."""

from django.urls import path

from metrics.views.journey_map import JourneyMapView

urlpatterns = [
    path("journeys/<int:journey_id>/", JourneyMapView.as_view(), name="journey-map"),
]
