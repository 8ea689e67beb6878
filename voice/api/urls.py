from django.urls import path

from voice.api import survey_views, views

urlpatterns = [
    path("feedback/", views.FeedbackListCreateApi.as_view(), name="api-feedback"),
    path("feedback/batch/", views.FeedbackBatchCreateApi.as_view(), name="api-feedback-batch"),
    path("feedback/<int:feedback_id>/", views.FeedbackDetailApi.as_view(),
         name="api-feedback-detail"),
    path("customers/", views.CustomerUpsertApi.as_view(), name="api-customers"),
    path("interactions/", views.InteractionUpsertApi.as_view(), name="api-interactions"),
    path("interactions/batch/", views.InteractionBatchUpsertApi.as_view(),
         name="api-interactions-batch"),
    path("survey-links/", survey_views.SurveyLinkListCreateApi.as_view(), name="api-survey-links"),
    path("survey-links/<int:link_id>/", survey_views.SurveyLinkDetailApi.as_view(),
         name="api-survey-link-detail"),
    path("survey-links/<int:link_id>/invitations/", survey_views.SurveyInvitationCreateApi.as_view(),
         name="api-survey-invitations"),
]
