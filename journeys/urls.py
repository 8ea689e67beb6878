"""Pages of the journey designer (the map, /journeys/<id>/, is in metrics.urls)."""

from django.urls import path

from journeys import views

urlpatterns = [
    path("journeys/", views.JourneyListView.as_view(), name="journey-list"),
    path("journeys/new/", views.JourneyCreateView.as_view(), name="journey-create"),
    path("journeys/<int:journey_id>/edit/", views.JourneyEditView.as_view(), name="journey-edit"),
    path("journeys/<int:journey_id>/structure/", views.JourneyStructureView.as_view(),
         name="journey-structure"),
    path("journeys/<int:journey_id>/delete/", views.JourneyDeleteView.as_view(),
         name="journey-delete"),
    path("journeys/<int:journey_id>/touchpoints/<int:touchpoint_id>/",
         views.TouchpointEditView.as_view(), name="journey-touchpoint-edit"),
    path("journeys/<int:journey_id>/touchpoints/<int:touchpoint_id>/delete/",
         views.TouchpointDeleteView.as_view(), name="journey-touchpoint-delete"),
]
