"""The feedback explorer: the filtered list, one feedback with its analysis, corrections,
re-running failed analyses and the CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from cem.access import MANAGERS
from cem.errors import ApplicationError
from voice import selectors
from voice.exports import feedback_csv_stream
from voice.forms.feedback import FeedbackCorrectionForm, FeedbackFilterForm
from voice.highlight import decisive_words, explanation_rules, highlight
from voice.keyset import capped_count, keyset_page
from voice.models import Feedback
from voice.services.analysis import feedback_retry_failed
from voice.services.corrections import feedback_correct
from voice.views.base import VoicePageMixin

PAGE_SIZE = 50
COUNT_CAP = 1000


def _is_manager(membership) -> bool:
    return membership is not None and membership.role in MANAGERS


class FeedbackListView(VoicePageMixin, TemplateView):
    """GET /feedback/: filters in the URL, keyset pages, a capped total, empty states."""

    template_name = "voice/feedback_list.html"

    def get_context_data(self, **kwargs):
        form = FeedbackFilterForm(self.request.GET or None, organization=self.organization)
        filters = form.filters() if self.request.GET else {}
        rows = selectors.feedback_list(organization=self.organization, filters=filters,
                                       visible_to=self.membership)
        page = keyset_page(rows, before=self.request.GET.get("before"),
                           after=self.request.GET.get("after"), size=PAGE_SIZE)
        total, capped = capped_count(rows, cap=COUNT_CAP)
        is_manager = _is_manager(self.membership)
        return super().get_context_data(
            form=form, page=page, total=total, total_capped=capped, filtered=bool(filters),
            is_manager=is_manager,
            has_any_feedback=bool(page.rows) or selectors.feedback_exists(
                organization=self.organization),
            failed_count=selectors.feedback_failed_count(
                organization=self.organization, visible_to=self.membership) if is_manager else 0,
            **kwargs)


class FeedbackDetailView(VoicePageMixin, TemplateView):
    """GET /feedback/<id>/: the text highlighted by its analysis, topics, customer, history."""

    template_name = "voice/feedback_detail.html"

    def get_feedback(self) -> Feedback:
        try:
            return selectors.feedback_get(organization=self.organization,
                                          feedback_id=self.kwargs["feedback_id"],
                                          visible_to=self.membership)
        except Feedback.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        feedback = self.get_feedback()
        analysis = selectors.feedback_analysis_latest(organization=self.organization,
                                                      feedback=feedback)
        explanation = analysis.explanation if analysis else None
        is_manager = _is_manager(self.membership)
        form = kwargs.pop("form", None)
        if form is None and is_manager:
            form = self._correction_form(feedback)
        return super().get_context_data(
            feedback=feedback, analysis=analysis, pieces=highlight(feedback.text, explanation),
            words=decisive_words(explanation), rules=explanation_rules(explanation),
            corrections=selectors.feedback_correction_list(organization=self.organization,
                                                           feedback=feedback),
            metadata=sorted((feedback.metadata or {}).items()), is_manager=is_manager,
            correction_form=form, **kwargs)

    def _correction_form(self, feedback, data=None) -> FeedbackCorrectionForm:
        names = list(selectors.topic_list(organization=self.organization, active_only=True)
                     .values_list("name", flat=True))
        return FeedbackCorrectionForm(data, feedback=feedback, topic_names=names)


class FeedbackCorrectView(FeedbackDetailView):
    """POST /feedback/<id>/correct/: a CX manager sets the label and/or the topic set."""

    allowed_roles = MANAGERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        feedback = self.get_feedback()
        form = self._correction_form(feedback, request.POST)
        if form.is_valid():
            label, topics = form.correction()
            try:
                feedback_correct(organization=self.organization, feedback=feedback,
                                 actor=request.user, label=label, topics=topics)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The correction is saved; it stays through re-analysis."))
                return HttpResponseRedirect(reverse("feedback-detail", args=[feedback.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FeedbackRetryView(FeedbackDetailView):
    """POST /feedback/<id>/retry/: put a failed row back in the analysis queue."""

    allowed_roles = MANAGERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        feedback = self.get_feedback()
        if feedback_retry_failed(organization=self.organization, feedback_ids=[feedback.pk]):
            messages.success(request, _("The analysis runs again; this page shows the result "
                                        "once it is done."))
        else:
            messages.info(request, _("This feedback has not failed; nothing to re-run."))
        return HttpResponseRedirect(reverse("feedback-detail", args=[feedback.pk]))


class FeedbackRetryAllView(VoicePageMixin, View):
    """POST /feedback/retry-failed/: every failed row of the organization back in the queue."""

    allowed_roles = MANAGERS
    http_method_names = ["post"]

    def post(self, request):
        count = feedback_retry_failed(organization=self.organization)
        if count:
            messages.success(request, ngettext(
                "%(count)d failed feedback is being analyzed again.",
                "%(count)d failed feedback are being analyzed again.", count) % {"count": count})
        else:
            messages.info(request, _("No failed feedback to re-run."))
        return HttpResponseRedirect(reverse("feedback-list") + "?status=failed")


class FeedbackExportView(VoicePageMixin, View):
    """GET /feedback/export.csv: the filtered list as CSV (UTF-8 with BOM), streamed."""

    def get(self, request):
        form = FeedbackFilterForm(request.GET or None, organization=self.organization)
        rows = selectors.feedback_list(organization=self.organization,
                                       filters=form.filters() if request.GET else {},
                                       visible_to=self.membership)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            feedback_csv_stream(organization=self.organization, queryset=rows),
            content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="feedback-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
