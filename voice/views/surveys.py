"""Survey links for CX managers (settings): the list with response rates, one link with its
invitations, inviting a customer, opening/closing a link, the frequency cap."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cem.access import MANAGERS
from cem.errors import ApplicationError, ConflictError
from voice import selectors
from voice.forms.surveys import SurveyInvitationForm, SurveyInviteCapForm, SurveyLinkCreateForm
from voice.models import SurveyInvitation, SurveyLink
from voice.services.surveys import (
    survey_invitation_create,
    survey_invitation_url,
    survey_invite_cap_set,
    survey_link_create,
    survey_link_set_active,
)
from voice.views.base import VoicePageMixin, client_base_url

INVITATIONS_PER_PAGE = 50


def _public_url(request, link: SurveyLink) -> str:
    return client_base_url(request) + reverse("survey-public", kwargs={"token": link.token})


def _rate(link) -> float | None:
    sent = getattr(link, "invitations_sent", 0)
    return round(link.invitations_answered * 100 / sent, 1) if sent else None


class SurveyLinkListView(VoicePageMixin, TemplateView):
    """GET the links and the cap; POST creates a link."""

    template_name = "voice/survey_links.html"
    allowed_roles = MANAGERS

    def get_context_data(self, **kwargs):
        links = list(selectors.survey_link_list(organization=self.organization))
        for link in links:
            link.public_url = _public_url(self.request, link)
            link.response_rate = _rate(link)
        kwargs.setdefault("form", SurveyLinkCreateForm(organization=self.organization))
        kwargs.setdefault("cap_form", SurveyInviteCapForm(initial={
            "survey_invite_cap_days": self.organization.survey_invite_cap_days}))
        return super().get_context_data(links=links, **kwargs)

    def post(self, request):
        form = SurveyLinkCreateForm(request.POST, organization=self.organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                link = survey_link_create(organization=self.organization,
                                          touchpoint=data["touchpoint"], question=data["question"],
                                          title=data["title"], intro=data["intro"],
                                          created_by=request.user)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The survey link is ready to share."))
                return HttpResponseRedirect(reverse("survey-link-detail", args=[link.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SurveyInviteCapView(SurveyLinkListView):
    """POST: the organization's frequency cap (days between two invitations to one customer)."""

    http_method_names = ["post"]

    def post(self, request):
        form = SurveyInviteCapForm(request.POST)
        if form.is_valid():
            survey_invite_cap_set(organization=self.organization,
                                  days=form.cleaned_data["survey_invite_cap_days"])
            messages.success(request, _("The frequency cap is saved."))
            return HttpResponseRedirect(reverse("survey-link-list"))
        return self.render_to_response(self.get_context_data(cap_form=form), status=400)


class SurveyLinkDetailView(VoicePageMixin, TemplateView):
    """GET one link: its public URL, counts, invitations (paginated) and the invite form."""

    template_name = "voice/survey_link_detail.html"
    allowed_roles = MANAGERS

    def get_link(self) -> SurveyLink:
        try:
            return selectors.survey_link_get(organization=self.organization,
                                             link_id=self.kwargs["link_id"])
        except SurveyLink.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        link = self.get_link()
        link.public_url = _public_url(self.request, link)
        link.response_rate = _rate(link)
        invitations = Paginator(selectors.survey_invitation_list(organization=self.organization,
                                                                 link=link), INVITATIONS_PER_PAGE)
        page = invitations.get_page(self.request.GET.get("page"))
        base = client_base_url(self.request)
        for invitation in page.object_list:
            invitation.url = survey_invitation_url(invitation=invitation, base_url=base)
        kwargs.setdefault("form", SurveyInvitationForm())
        return super().get_context_data(link=link, invitations=page, **kwargs)


class SurveyInvitationCreateView(SurveyLinkDetailView):
    """POST: invite one customer; shows the personal URL or queues the email."""

    http_method_names = ["post"]

    def post(self, request, link_id):
        link = self.get_link()
        form = SurveyInvitationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            send_email = data["delivery"] == SurveyInvitation.Channel.EMAIL
            try:
                invitation = survey_invitation_create(
                    organization=self.organization, link=link,
                    customer_external_id=data["customer_id"], customer_segment=data["segment"],
                    send_email=send_email, email=data["email"],
                    base_url=client_base_url(request))
            except ConflictError as exc:
                form.add_error("customer_id", exc.message)
            except ApplicationError as exc:
                field = {"customer": "customer_id"}.get(exc.field, exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                if send_email:
                    messages.success(request, _("The invitation email is on its way to %(email)s.")
                                     % {"email": invitation.email})
                else:
                    messages.success(request, _("Personal link for %(customer)s: %(url)s") % {
                        "customer": invitation.customer.external_id,
                        "url": survey_invitation_url(invitation=invitation,
                                                     base_url=client_base_url(request))})
                return HttpResponseRedirect(reverse("survey-link-detail", args=[link.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SurveyLinkToggleView(SurveyLinkDetailView):
    """POST: open or close the link (a closed link's public page is a 404)."""

    http_method_names = ["post"]

    def post(self, request, link_id):
        link = survey_link_set_active(link=self.get_link(),
                                      is_active=request.POST.get("active") == "1")
        messages.success(request, _("The survey link is open.") if link.is_active
                         else _("The survey link is closed."))
        target = request.POST.get("next") == "list"
        return HttpResponseRedirect(reverse("survey-link-list") if target
                                    else reverse("survey-link-detail", args=[link.pk]))

