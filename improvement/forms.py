"""Forms of the improvement pages. Choices come from selectors (this organization only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cem import selectors as cem_selectors
from improvement.models import AlertRule, Priority, Ticket, WebhookEndpoint
from improvement.selectors import routing as routing_selectors
from voice.models import Channel

CHANNEL_CHOICES = [("", "—"), *Channel.choices]


def _departments(organization):
    return cem_selectors.department_list(organization=organization)


class AlertRuleForm(forms.Form):
    """One form for the three kinds; the page shows the fields of the chosen kind."""

    kind = forms.ChoiceField(label=_("Kind"), choices=AlertRule.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("Leave empty for a name made from the condition."))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, required=False, empty_label="—")
    metric = forms.ChoiceField(label=_("Metric"), choices=[("", "—"), *AlertRule.Metric.choices],
                               required=False)
    comparison = forms.ChoiceField(label=_("Comparison"), required=False,
                                   choices=[("", "—"), *AlertRule.Comparison.choices])
    threshold = forms.FloatField(label=_("Threshold"), required=False, min_value=-1e9, max_value=1e9,
                                 help_text=_("Topic rules: number of negative feedback. Metric rules: "
                                             "NPS points, percentages for CSAT and negative share, 1–7 for CES, "
                                             "seconds for response/resolution times."))
    window_minutes = forms.IntegerField(label=_("Window (minutes)"), required=False, min_value=1,
                                        max_value=129600)
    min_responses = forms.IntegerField(label=_("Minimum responses"), required=False, min_value=0,
                                       max_value=1_000_000, initial=30)
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), queryset=None, required=False, empty_label="—")
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES, required=False)
    keywords = forms.CharField(label=_("Keywords"), required=False, max_length=2000,
                               help_text=_("Separated by commas or spaces, e.g. 投诉, 12315, 曝光, 律师"))
    priority = forms.ChoiceField(label=_("Priority"), choices=[("", _("Default")), *Priority.choices],
                                 required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False,
                                        empty_label=_("Route automatically"))
    cooldown_minutes = forms.IntegerField(label=_("Cooldown after close (minutes)"), min_value=0,
                                          max_value=525600, initial=1440)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = routing_selectors.topic_list(organization=organization)
        self.fields["touchpoint"].queryset = routing_selectors.touchpoint_list(organization=organization)
        self.fields["department"].queryset = _departments(organization)

    def rule_data(self, *, for_update: bool = False) -> dict:
        """The cleaned body for improvement.services.rules (empty fields dropped; when editing,
        an emptied optional scope clears it instead of keeping the stored one)."""
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "keywords" in data:
            data["keywords"] = [k for k in data["keywords"].replace("，", ",").replace("、", ",")
                                .replace(" ", ",").split(",") if k.strip()]
        data.setdefault("department", None)
        if for_update:
            data.setdefault("touchpoint", None)
            data.setdefault("channel", "")
        return data


class TicketCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False, max_length=10000)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False,
                                        empty_label=_("Route automatically"))
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), queryset=None, required=False, empty_label="—")
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, required=False, empty_label="—")
    feedback = forms.CharField(label=_("Evidence: feedback ids"), required=False, max_length=1000,
                               help_text=_("Comma-separated ids of feedback this ticket is about."))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(organization)
        self.fields["touchpoint"].queryset = routing_selectors.touchpoint_list(organization=organization)
        self.fields["topic"].queryset = routing_selectors.topic_list(organization=organization)

    def clean_feedback(self):
        raw = self.cleaned_data["feedback"].replace("，", ",")
        try:
            return [int(x) for x in raw.replace(" ", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("Give feedback ids as numbers separated by commas."))


class TicketFilterForm(forms.Form):
    """Workspace filters (GET); invalid values are ignored rather than failing the page."""

    view = forms.ChoiceField(choices=[("board", "board"), ("list", "list")], required=False)
    status = forms.ChoiceField(choices=[("", _("All statuses")), *Ticket.Status.choices], required=False)
    department = forms.ModelChoiceField(queryset=None, required=False, empty_label=_("All departments"))
    priority = forms.ChoiceField(choices=[("", _("All priorities")), *Priority.choices], required=False)
    overdue = forms.BooleanField(required=False)
    mine = forms.BooleanField(required=False)
    rule = forms.IntegerField(required=False, min_value=1, max_value=2 ** 62)
    q = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(organization)


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(label=_("URL"), max_length=500,
                          help_text=_("Robots: paste the webhook address the group robot shows."))
    format = forms.ChoiceField(label=_("Message format"), choices=WebhookEndpoint.Format.choices)
    secret = forms.CharField(label=_("Signing secret"), max_length=200, required=False,
                             help_text=_("Generic: the HMAC key. DingTalk/Feishu: the robot's signing "
                                         "secret. Leave empty to keep the current one."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=WebhookEndpoint.Event.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       initial=["ticket.created", "ticket.overdue"])
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ReportRangeForm(forms.Form):
    """`from` / `to` days of the ticket report (GET; invalid values fall back to the default)."""

    start = forms.DateField(required=False)
    end = forms.DateField(required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {"start": data.get("from", ""), "end": data.get("to", "")}
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and (
                data["start"] > data["end"] or (data["end"] - data["start"]).days > 366):
            raise forms.ValidationError(_("Choose a range of at most 366 days, `from` before `to`."))
        return data
