"""Topics page actions that run in the workers: topic discovery (run, accept, dismiss) and the
re-analysis of past feedback (request, progress page, polled JSON status)."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cem.access import MANAGERS
from cem.errors import ApplicationError
from cem.pages import error_text
from voice import selectors_topics as selectors
from voice.forms.topics import SuggestionAcceptForm
from voice.services import discovery, reanalysis
from voice.views.base import VoicePageMixin


class TopicDiscoverView(VoicePageMixin, View):
    """POST: queue a topic discovery run (or join the unfinished one)."""

    allowed_roles = MANAGERS
    http_method_names = ["post"]

    def post(self, request):
        discovery.discovery_run_request(organization=self.organization, actor=request.user)
        messages.success(request, _("Topic discovery started. Suggestions appear below when "
                                    "it is done; reload the page in a moment."))
        return redirect("topic-list")


class _SuggestionMixin(VoicePageMixin):
    allowed_roles = MANAGERS
    http_method_names = ["post"]

    def suggestion(self, suggestion_id: int):
        return selectors.topic_suggestion_get(organization=self.organization,
                                              suggestion_id=suggestion_id)


class TopicSuggestionAcceptView(_SuggestionMixin, View):
    """POST name: the suggestion becomes a topic (origin: discovered)."""

    def post(self, request, suggestion_id: int):
        suggestion = self.suggestion(suggestion_id)
        form = SuggestionAcceptForm(request.POST)
        name = form.cleaned_data["name"] if form.is_valid() else suggestion.default_name
        try:
            topic = discovery.topic_suggestion_accept(organization=self.organization,
                                                      suggestion=suggestion, actor=request.user,
                                                      name=name)
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Topic %(name)s joined the taxonomy. Re-analyze past "
                                        "feedback to tag it there too.") % {"name": topic.name})
        return redirect("topic-list")


class TopicSuggestionDismissView(_SuggestionMixin, View):
    def post(self, request, suggestion_id: int):
        try:
            discovery.topic_suggestion_dismiss(organization=self.organization,
                                               suggestion=self.suggestion(suggestion_id),
                                               actor=request.user)
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Suggestion dismissed."))
        return redirect("topic-list")


class ReanalysisCreateView(VoicePageMixin, View):
    """POST: start re-analyzing past feedback (or show the job already running)."""

    allowed_roles = MANAGERS
    http_method_names = ["post"]

    def post(self, request):
        job, created = reanalysis.reanalysis_job_request(organization=self.organization,
                                                         actor=request.user)
        if not created:
            messages.info(request, _("A re-analysis is already running; here is its progress."))
        return redirect("reanalysis-detail", job_id=job.pk)


class ReanalysisDetailView(VoicePageMixin, TemplateView):
    template_name = "voice/topics/reanalysis.html"
    allowed_roles = MANAGERS

    def get_context_data(self, **kwargs):
        job = selectors.reanalysis_job_get(organization=self.organization,
                                           job_id=self.kwargs["job_id"])
        return super().get_context_data(job=job, status=reanalysis.reanalysis_status(job),
                                        **kwargs)


class ReanalysisStatusView(VoicePageMixin, View):
    """GET: the job's progress as JSON (polled every second by the job page)."""

    allowed_roles = MANAGERS

    def get(self, request, job_id: int):
        job = selectors.reanalysis_job_get(organization=self.organization, job_id=job_id)
        response = JsonResponse(reanalysis.reanalysis_status(job))
        response["Cache-Control"] = "no-store"
        return response
