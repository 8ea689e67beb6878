"""Forms of the journey designer (the services validate keys, departments and limits)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cem.selectors import department_list
from journeys.models import CHANNELS

#: Channel labels of the Partner API codes (voice.models.Channel holds the same; journeys may
#: not import voice).
CHANNEL_LABELS = {"survey": _("Survey"), "app": _("App"), "web": _("Web"),
                  "call_center": _("Call center"), "email": _("Email"),
                  "ecommerce_review": _("E-commerce review"), "social": _("Social media"),
                  "store": _("Store"), "partner": _("Partner")}


class JourneyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    persona = forms.CharField(label=_("Persona"), max_length=200, required=False,
                              help_text=_("Who walks this journey, e.g. 25–40 岁的线上购物会员."))
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class StageForm(forms.Form):
    name = forms.CharField(label=_("Stage name"), max_length=200)


class TouchpointForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("Stage"), coerce=int)
    key = forms.RegexField(label=_("Key"), regex=r"^[-a-zA-Z0-9_]+$", max_length=64,
                           help_text=_("Unique in the organization; feedback refers to it, e.g. delivery."),
                           error_messages={"invalid": _("Use letters, digits, - and _ only (at most 64).")})
    name = forms.CharField(label=_("Name"), max_length=200)
    department = forms.TypedChoiceField(label=_("Owning department"), coerce=int, required=False,
                                        empty_value=None)
    channels = forms.MultipleChoiceField(
        label=_("Channels"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, CHANNEL_LABELS[code]) for code in CHANNELS])
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, journey, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s.pk, s.name) for s in journey.stages.all()]
        self.fields["department"].choices = [("", _("No department"))] + [
            (d.pk, d.name) for d in department_list(organization=organization)]

    def data_for_service(self) -> dict:
        data = self.cleaned_data
        return {"key": data["key"], "name": data["name"], "department": data["department"],
                "channels": list(data["channels"]), "description": data["description"]}
