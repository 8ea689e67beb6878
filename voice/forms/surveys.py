"""Forms of survey links: create a link, invite a customer, the frequency cap, a public answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from journeys.selectors import touchpoint_list
from voice.models import SurveyInvitation, SurveyLink
from voice.services.surveys import COMMENT_MAX_CHARS


class SurveyLinkCreateForm(forms.Form):
    touchpoint = forms.TypedChoiceField(label=_("Touchpoint"), coerce=int)
    question = forms.ChoiceField(label=_("Question"), choices=SurveyLink.Question.choices)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("Shown to the customer, e.g. “How was your delivery?”"))
    intro = forms.CharField(label=_("Introduction"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Optional, shown under the title."))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.touchpoints = {tp.pk: tp for tp in touchpoint_list(organization=organization)}
        self.fields["touchpoint"].choices = [
            (tp.pk, f"{tp.stage.journey.name} › {tp.name}") for tp in self.touchpoints.values()]

    def clean_touchpoint(self):
        return self.touchpoints[self.cleaned_data["touchpoint"]]


class SurveyInviteCapForm(forms.Form):
    survey_invite_cap_days = forms.IntegerField(
        label=_("Days between two invitations to one customer"), min_value=0, max_value=365,
        help_text=_("0 turns the frequency cap off."))


class SurveyInvitationForm(forms.Form):
    customer_id = forms.CharField(label=_("Customer ID"), max_length=128,
                                  help_text=_("The customer's ID in your own systems."))
    segment = forms.CharField(label=_("Segment"), max_length=64, required=False)
    delivery = forms.ChoiceField(
        label=_("Delivery"), widget=forms.RadioSelect, initial=SurveyInvitation.Channel.PARTNER,
        choices=[(SurveyInvitation.Channel.PARTNER, _("We deliver the link ourselves (show it)")),
                 (SurveyInvitation.Channel.EMAIL, _("Send it by email"))])
    email = forms.EmailField(label=_("Email address"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("delivery") == SurveyInvitation.Channel.EMAIL and not data.get("email"):
            self.add_error("email", _("Give the address to send the invitation to."))
        return data


class SurveyAnswerForm(forms.Form):
    """The public form: one score of the link's scale and an optional comment."""

    score = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": _("Please choose a score.")})
    comment = forms.CharField(required=False, max_length=COMMENT_MAX_CHARS,
                              widget=forms.Textarea(attrs={"rows": 4}))
    i = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, link: SurveyLink, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [(n, str(n)) for n in link.score_range]
