from django.urls import path

from improvement import views_notifications as notes
from improvement import views_settings as settings_views
from improvement import views_tickets as tickets

urlpatterns = [
    path("tickets/", tickets.TicketBoardView.as_view(), name="ticket-board"),
    path("tickets/new/", tickets.TicketCreateView.as_view(), name="ticket-create"),
    path("tickets/report/", tickets.TicketReportView.as_view(), name="ticket-report"),
    path("tickets/<int:ticket_id>/", tickets.TicketDetailView.as_view(), name="ticket-detail"),
    path("tickets/<int:ticket_id>/transition/", tickets.TicketTransitionView.as_view(),
         name="ticket-transition"),
    path("tickets/<int:ticket_id>/comment/", tickets.TicketCommentView.as_view(), name="ticket-comment"),
    path("tickets/<int:ticket_id>/assign/", tickets.TicketAssignView.as_view(), name="ticket-assign"),
    path("tickets/<int:ticket_id>/priority/", tickets.TicketPriorityView.as_view(), name="ticket-priority"),
    path("tickets/<int:ticket_id>/department/", tickets.TicketDepartmentView.as_view(),
         name="ticket-department"),
    path("tickets/<int:ticket_id>/evidence/", tickets.TicketEvidenceView.as_view(), name="ticket-evidence"),
    path("notifications/", notes.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read/", notes.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("notifications/<int:notification_id>/", notes.NotificationOpenView.as_view(),
         name="notification-open"),
    path("settings/alert-rules/", settings_views.AlertRuleListView.as_view(), name="alert-rule-list"),
    path("settings/alert-rules/<int:rule_id>/", settings_views.AlertRuleEditView.as_view(),
         name="alert-rule-edit"),
    path("settings/alert-rules/<int:rule_id>/toggle/", settings_views.AlertRuleToggleView.as_view(),
         name="alert-rule-toggle"),
    path("settings/alert-rules/<int:rule_id>/delete/", settings_views.AlertRuleDeleteView.as_view(),
         name="alert-rule-delete"),
    path("settings/routing/", settings_views.RoutingSettingsView.as_view(), name="routing-settings"),
    path("settings/sla/", settings_views.SlaSettingsView.as_view(), name="sla-settings"),
    path("settings/webhooks/", settings_views.WebhookListView.as_view(), name="webhook-list"),
    path("settings/webhooks/deliveries/", settings_views.WebhookDeliveryListView.as_view(),
         name="webhook-deliveries"),
    path("settings/webhooks/<int:endpoint_id>/", settings_views.WebhookEditView.as_view(),
         name="webhook-edit"),
    path("settings/webhooks/<int:endpoint_id>/test/", settings_views.WebhookTestView.as_view(),
         name="webhook-test"),
    path("settings/webhooks/<int:endpoint_id>/delete/", settings_views.WebhookDeleteView.as_view(),
         name="webhook-delete"),
]
