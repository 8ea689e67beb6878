"""Pages of the voice app: the feedback explorer, file imports, survey links, public surveys."""

from django.urls import path

from voice.views import feedback, imports, survey_public, surveys

urlpatterns = [
    path("feedback/", feedback.FeedbackListView.as_view(), name="feedback-list"),
    path("feedback/export.csv", feedback.FeedbackExportView.as_view(), name="feedback-export"),
    path("feedback/retry-failed/", feedback.FeedbackRetryAllView.as_view(),
         name="feedback-retry-failed"),
    path("feedback/<int:feedback_id>/", feedback.FeedbackDetailView.as_view(),
         name="feedback-detail"),
    path("feedback/<int:feedback_id>/correct/", feedback.FeedbackCorrectView.as_view(),
         name="feedback-correct"),
    path("feedback/<int:feedback_id>/retry/", feedback.FeedbackRetryView.as_view(),
         name="feedback-retry"),
    path("feedback/import/", imports.ImportJobListView.as_view(), name="import-job-list"),
    path("feedback/import/template.csv", imports.ImportTemplateView.as_view(fmt="csv"),
         name="import-template-csv"),
    path("feedback/import/template.xlsx", imports.ImportTemplateView.as_view(fmt="xlsx"),
         name="import-template-xlsx"),
    path("feedback/import/<int:job_id>/", imports.ImportJobDetailView.as_view(),
         name="import-job-detail"),
    path("feedback/import/<int:job_id>/status/", imports.ImportJobStatusView.as_view(),
         name="import-job-status"),
    path("feedback/import/<int:job_id>/rejected.csv", imports.ImportJobRejectedView.as_view(),
         name="import-job-rejected"),
    path("feedback/import/<int:job_id>/resume/", imports.ImportJobResumeView.as_view(),
         name="import-job-resume"),
    path("settings/surveys/", surveys.SurveyLinkListView.as_view(), name="survey-link-list"),
    path("settings/surveys/cap/", surveys.SurveyInviteCapView.as_view(), name="survey-invite-cap"),
    path("settings/surveys/<int:link_id>/", surveys.SurveyLinkDetailView.as_view(),
         name="survey-link-detail"),
    path("settings/surveys/<int:link_id>/toggle/", surveys.SurveyLinkToggleView.as_view(),
         name="survey-link-toggle"),
    path("settings/surveys/<int:link_id>/invite/", surveys.SurveyInvitationCreateView.as_view(),
         name="survey-invitation-create"),
    path("s/<str:token>/", survey_public.SurveyPublicView.as_view(), name="survey-public"),
    path("s/<str:token>/thanks/", survey_public.SurveyThanksView.as_view(), name="survey-thanks"),
]
