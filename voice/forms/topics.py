"""Forms of the topic settings pages. They parse input only; the services validate the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cem.forms import DepartmentChoiceField


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    keywords = forms.CharField(
        # NOTE: not required here: the service refuses empty keyword lists with its own message.
        label=_("Keywords"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One keyword or phrase per line. Feedback whose clause contains one of them "
                    "is tagged with this topic."))
    is_active = forms.BooleanField(label=_("Active (used when analyzing new feedback)"),
                                   required=False, initial=True)

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = DepartmentChoiceField(
            tree, label=_("Owning department"), required=False, empty_label=_("No department"),
            help_text=_("Tickets about this topic are routed to this department."))
        self.order_fields(["name", "keywords", "department", "is_active"])


class SuggestionAcceptForm(forms.Form):
    name = forms.CharField(label=_("Topic name"), max_length=64)
