from django.urls import path

from voice.api import views

urlpatterns = [
    path("feedback/", views.FeedbackListCreateApi.as_view(), name="api-feedback"),
    path("feedback/batch/", views.FeedbackBatchCreateApi.as_view(), name="api-feedback-batch"),
    path("feedback/<int:feedback_id>/", views.FeedbackDetailApi.as_view(),
         name="api-feedback-detail"),
    path("customers/", views.CustomerUpsertApi.as_view(), name="api-customers"),
    path("interactions/", views.InteractionUpsertApi.as_view(), name="api-interactions"),
    path("interactions/batch/", views.InteractionBatchUpsertApi.as_view(),
         name="api-interactions-batch"),
]
