from django.urls import path

from improvement.api import views

urlpatterns = [
    path("departments/", views.DepartmentListCreateApi.as_view(), name="api-departments"),
    path("alert-rules/", views.AlertRuleListCreateApi.as_view(), name="api-alert-rules"),
    path("alert-rules/<int:rule_id>/", views.AlertRuleDetailApi.as_view(), name="api-alert-rule-detail"),
    path("tickets/", views.TicketListCreateApi.as_view(), name="api-tickets"),
    path("tickets/stats/", views.TicketStatsApi.as_view(), name="api-ticket-stats"),
    path("tickets/<int:ticket_id>/", views.TicketDetailApi.as_view(), name="api-ticket-detail"),
    path("tickets/<int:ticket_id>/transition/", views.TicketTransitionApi.as_view(),
         name="api-ticket-transition"),
    path("tickets/<int:ticket_id>/comments/", views.TicketCommentCreateApi.as_view(),
         name="api-ticket-comments"),
]
