"""The public survey page `/s/<token>/`: no login, mobile first, one score and a comment.

It shows nothing but the link's own title and introduction. An unknown or closed link is a
404; a personal invitation (`?i=<token>`) ties the answer to its customer, once.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from rest_framework import serializers

from cem.errors import ApplicationError
from cem.tenancy import org_scope
from voice import selectors
from voice.forms.surveys import SurveyAnswerForm
from voice.ratelimit import survey_submit_allowed
from voice.services.surveys import survey_submit

#: question kind → (question, label of the lowest score, label of the highest score)
QUESTIONS = {
    "nps": (_("How likely are you to recommend us to a friend or colleague?"),
            _("Not at all likely"), _("Extremely likely")),
    "csat": (_("How satisfied are you with this experience?"),
             _("Very dissatisfied"), _("Very satisfied")),
    "ces": (_("How easy was it to get what you needed?"), _("Very difficult"), _("Very easy")),
}


def _link_or_404(token: str):
    link = selectors.survey_link_get_public(token=token)
    if link is None:
        raise Http404
    return link


@method_decorator(never_cache, name="dispatch")
class SurveyPublicView(View):
    """GET the form, POST an answer (rate-limited per client IP, CSRF-protected)."""

    template_name = "voice/survey/form.html"

    def _render(self, request, link, form, status=200):
        question, low, high = QUESTIONS[link.question]
        return render(request, self.template_name, {
            "link": link, "form": form, "question": question, "low_label": low,
            "high_label": high, "wide_scale": len(link.score_range) > 7}, status=status)

    def _answered(self, request, link, status=200):
        return render(request, "voice/survey/answered.html", {"link": link}, status=status)

    def get(self, request, token):
        link = _link_or_404(token)
        with org_scope(link.organization):
            invitation_token = request.GET.get("i", "")[:64]
            invitation = selectors.survey_invitation_get_public(link=link, token=invitation_token)
            if invitation is not None and invitation.responded_at is not None:
                return self._answered(request, link)
            form = SurveyAnswerForm(link=link, initial={"i": invitation.token if invitation else ""})
            return self._render(request, link, form)

    def post(self, request, token):
        link = _link_or_404(token)
        allowed, wait = survey_submit_allowed(request)
        if not allowed:
            response = render(request, "voice/survey/rate_limited.html",
                              {"link": link, "wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        with org_scope(link.organization):
            form = SurveyAnswerForm(request.POST, link=link)
            if not form.is_valid():
                return self._render(request, link, form, status=400)
            try:
                survey_submit(link=link, score=form.cleaned_data["score"],
                              comment=form.cleaned_data["comment"],
                              invitation_token=form.cleaned_data["i"] or None)
            except ApplicationError as exc:
                if exc.status_code == 409:
                    return self._answered(request, link, status=409)
                if exc.field in ("score", "comment"):
                    form.add_error(exc.field, exc.message)
                    return self._render(request, link, form, status=400)
                raise Http404 from exc  # closed meanwhile
            except serializers.ValidationError:
                form.add_error("comment", _("This answer cannot be stored; please shorten it."))
                return self._render(request, link, form, status=400)
        return HttpResponseRedirect(reverse("survey-thanks", kwargs={"token": link.token}))


class SurveyThanksView(View):
    """GET: the thank-you page (the link's title only)."""

    def get(self, request, token):
        link = _link_or_404(token)
        return render(request, "voice/survey/thanks.html", {"link": link})
