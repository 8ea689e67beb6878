"""Forms of the settings pages. They parse input only; the services decide and validate rules."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django import forms
from django.utils.translation import gettext_lazy as _

from cem.models import ApiKey, Membership
from cem.services import MAX_INVITE_CAP_DAYS, WEEKDAYS

ROLE_CHOICES = Membership.Role.choices
WEEKDAY_LABELS = {"mon": _("Monday"), "tue": _("Tuesday"), "wed": _("Wednesday"),
                  "thu": _("Thursday"), "fri": _("Friday"), "sat": _("Saturday"),
                  "sun": _("Sunday")}


class DepartmentChoiceField(forms.TypedChoiceField):
    """One of the organization's departments (from `cem.selectors.department_tree`), shown with
    its place in the tree; cleans to the Department, or None. Other ids are invalid choices."""

    def __init__(self, tree, *, empty_label, **kwargs):
        by_id = {str(department.pk): department for department, _depth in tree}
        choices = [("", empty_label)] + [(str(d.pk), "\u3000" * depth + d.name) for d, depth in tree]
        super().__init__(choices=choices, coerce=by_id.__getitem__, empty_value=None, **kwargs)


def _member_fields(form, tree) -> None:
    form.fields["role"] = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    form.fields["department"] = DepartmentChoiceField(
        tree, label=_("Department"), required=False, empty_label=_("No department"),
        help_text=_("Required for department members: they work this department's tickets."))


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *ROLE_CHOICES])

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = DepartmentChoiceField(
            tree, label=_("Department"), required=False, empty_label=_("All departments"))


class MemberAddForm(forms.Form):
    """Give an existing login a role here."""

    username = forms.CharField(label=_("Username"), max_length=150)

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        _member_fields(self, tree)


class MemberCreateForm(forms.Form):
    """Create a new login with a password, and give it a role here."""

    new_username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    password = forms.CharField(label=_("Password"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        _member_fields(self, tree)


class MemberUpdateForm(forms.Form):
    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        _member_fields(self, tree)


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_default = forms.BooleanField(
        label=_("Default department (receives tickets no rule routes)"), required=False)

    def __init__(self, *args, tree, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = DepartmentChoiceField(tree, label=_("Parent department"),
                                                      required=False, empty_label=_("None (top level)"))
        self.fields["lead"] = forms.ChoiceField(
            label=_("Lead"), required=False,
            choices=[("", _("No lead"))] + [(str(m.user_id), m.user.get_username()) for m in members])
        self.order_fields(["name", "parent", "lead", "is_default"])
        self._members = {str(m.user_id): m.user for m in members}

    def clean_lead(self):
        return self._members.get(self.cleaned_data.get("lead") or "")


class DepartmentDeleteForm(forms.Form):
    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_members_to"] = DepartmentChoiceField(
            tree, label=_("Move its members to"), required=False, empty_label=_("Choose a department"))


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("Who uses it, for example the call-center CRM or the shop review sync."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=ApiKey.Scope.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Give the key at least one scope.")})


class ApiKeyFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All keys")), ("active", _("Active")), ("revoked", _("Revoked"))])


@lru_cache(maxsize=1)
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))]


class OrganizationForm(forms.Form):
    """The profile; business hours come as one text field per weekday ("09:00-12:00, 13:00-18:00")
    and one date per line for holidays (the page's script edits the same fields)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
    survey_invite_cap_days = forms.IntegerField(
        label=_("Days between two survey invitations to one customer"), min_value=0,
        max_value=MAX_INVITE_CAP_DAYS, help_text=_("0 means no limit."))
    holidays = forms.CharField(label=_("Holidays"), required=False, widget=forms.Textarea(
        attrs={"rows": 4, "placeholder": "2026-10-01"}), help_text=_("One date per line (YYYY-MM-DD)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=WEEKDAY_LABELS[day], required=False, max_length=200,
                widget=forms.TextInput(attrs={"placeholder": _("closed"), "data-day": day}))

    @staticmethod
    def initial_for(org) -> dict:
        weekly = (org.business_hours or {}).get("weekly", {})
        initial = {"name": org.name, "timezone": org.timezone,
                   "survey_invite_cap_days": org.survey_invite_cap_days,
                   "holidays": "\n".join((org.business_hours or {}).get("holidays", []))}
        for day in WEEKDAYS:
            initial[f"hours_{day}"] = ", ".join(f"{a}-{b}" for a, b in weekly.get(day, []))
        return initial

    def business_hours(self) -> dict:
        """The calendar as the service expects it; malformed spans are passed on as they are so
        the service's validation names them."""
        weekly = {}
        for day in WEEKDAYS:
            text = self.cleaned_data.get(f"hours_{day}", "").replace("，", ",").replace("–", "-")
            spans = [part.strip() for part in text.split(",") if part.strip()]
            if spans:
                weekly[day] = [[t.strip() for t in span.split("-", 1)] if "-" in span else [span]
                               for span in spans]
        holidays = [line.strip() for line in self.cleaned_data.get("holidays", "").splitlines()
                    if line.strip()]
        if not weekly and not holidays:
            return {}
        return {"weekly": weekly, "holidays": holidays}


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Target"), required=False, max_length=100)
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"] = forms.ChoiceField(
            label=_("Action"), required=False, choices=[("", _("All actions")), *actions])
        self.fields["actor"] = forms.ChoiceField(
            label=_("By"), required=False, choices=[("", _("Anyone")), *[(a, a) for a in actors]])
        self.order_fields(["action", "actor", "start", "end", "q"])
