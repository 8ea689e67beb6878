from django.urls import path

from voice.api import survey_views, topic_views, views

urlpatterns = [
    path("feedback/", views.FeedbackListCreateApi.as_view(), name="api-feedback"),
    path("feedback/batch/", views.FeedbackBatchCreateApi.as_view(), name="api-feedback-batch"),
    path("feedback/<int:feedback_id>/", views.FeedbackDetailApi.as_view(),
         name="api-feedback-detail"),
    path("customers/", views.CustomerUpsertApi.as_view(), name="api-customers"),
    path("interactions/", views.InteractionUpsertApi.as_view(), name="api-interactions"),
    path("interactions/batch/", views.InteractionBatchUpsertApi.as_view(),
         name="api-interactions-batch"),
    path("topics/", topic_views.TopicListCreateApi.as_view(), name="api-topics"),
    path("topics/discover/", topic_views.TopicDiscoveryApi.as_view(), name="api-topic-discovery"),
    path("topics/suggestions/<int:suggestion_id>/accept/",
         topic_views.TopicSuggestionAcceptApi.as_view(), name="api-topic-suggestion-accept"),
    path("topics/suggestions/<int:suggestion_id>/dismiss/",
         topic_views.TopicSuggestionDismissApi.as_view(), name="api-topic-suggestion-dismiss"),
    path("topics/<int:topic_id>/", topic_views.TopicDetailApi.as_view(), name="api-topic-detail"),
    path("keywords/", topic_views.KeywordCloudApi.as_view(), name="api-keywords"),
    path("reanalysis/", topic_views.ReanalysisListCreateApi.as_view(), name="api-reanalysis"),
    path("reanalysis/<int:job_id>/", topic_views.ReanalysisDetailApi.as_view(),
         name="api-reanalysis-detail"),
    path("survey-links/", survey_views.SurveyLinkListCreateApi.as_view(), name="api-survey-links"),
    path("survey-links/<int:link_id>/", survey_views.SurveyLinkDetailApi.as_view(),
         name="api-survey-link-detail"),
    path("survey-links/<int:link_id>/invitations/", survey_views.SurveyInvitationCreateApi.as_view(),
         name="api-survey-invitations"),
]
