"""Settings → Members and roles (admins only): list, add or create, change role, remove."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from cem import selectors, services
from cem.access import ADMINS, OrgPageMixin
from cem.errors import ApplicationError
from cem.forms import MemberAddForm, MemberCreateForm, MemberFilterForm, MemberUpdateForm
from cem.models import Membership
from cem.pages import error_text, form_error, paginate


class MemberListView(OrgPageMixin, View):
    allowed_roles = ADMINS

    def get(self, request):
        tree = selectors.department_tree(organization=self.organization)
        filters = MemberFilterForm(request.GET or None, tree=tree)
        values = filters.cleaned_data if filters.is_valid() else {}
        members = selectors.membership_list(organization=self.organization, filters={
            "q": values.get("q"), "role": values.get("role"),
            "department": values["department"].pk if values.get("department") else None})
        page, query = paginate(request, members)
        return render(request, "settings/members.html", {
            "filters": filters, "page": page, "query": query,
            "filtered": any(v for k, v in request.GET.items() if k != "page")})


class MemberAddView(OrgPageMixin, View):
    """One page, two forms: add an existing login, or create a new one with a password."""

    allowed_roles = ADMINS

    def _render(self, request, add_form, create_form):
        return render(request, "settings/member_add.html",
                      {"add_form": add_form, "create_form": create_form})

    def get(self, request):
        tree = selectors.department_tree(organization=self.organization)
        initial = {"role": Membership.Role.VIEWER}
        return self._render(request, MemberAddForm(tree=tree, initial=initial),
                            MemberCreateForm(tree=tree, initial=initial))

    def post(self, request):
        tree = selectors.department_tree(organization=self.organization)
        creating = request.POST.get("action") == "create"
        add_form = MemberAddForm(None if creating else request.POST, tree=tree)
        create_form = MemberCreateForm(request.POST if creating else None, tree=tree)
        form = create_form if creating else add_form
        if not form.is_valid():
            return self._render(request, add_form, create_form)
        data = form.cleaned_data
        try:
            if creating:
                membership = services.member_create_user(
                    organization=self.organization, actor=request.user,
                    username=data["new_username"], password=data["password"], email=data["email"],
                    role=data["role"], department=data["department"])
            else:
                membership = services.member_add(
                    organization=self.organization, actor=request.user, username=data["username"],
                    role=data["role"], department=data["department"])
        except ApplicationError as exc:
            if exc.field == "username" and creating:
                exc.field = "new_username"
            form_error(form, exc)
            return self._render(request, add_form, create_form)
        messages.success(request, _("%(username)s is now a member (%(role)s).") % {
            "username": membership.user.get_username(), "role": membership.get_role_display()})
        return redirect("settings-members")


class MemberUpdateView(OrgPageMixin, View):
    allowed_roles = ADMINS

    def _render(self, request, membership, form):
        return render(request, "settings/member_form.html",
                      {"member": membership, "form": form})

    def get(self, request, membership_id: int):
        membership = selectors.membership_get(organization=self.organization,
                                              membership_id=membership_id)
        tree = selectors.department_tree(organization=self.organization)
        form = MemberUpdateForm(tree=tree, initial={"role": membership.role,
                                                    "department": membership.department_id})
        return self._render(request, membership, form)

    def post(self, request, membership_id: int):
        membership = selectors.membership_get(organization=self.organization,
                                              membership_id=membership_id)
        tree = selectors.department_tree(organization=self.organization)
        form = MemberUpdateForm(request.POST, tree=tree)
        if not form.is_valid():
            return self._render(request, membership, form)
        try:
            services.member_update(membership=membership, actor=request.user,
                                   role=form.cleaned_data["role"],
                                   department=form.cleaned_data["department"])
        except ApplicationError as exc:
            form_error(form, exc)
            return self._render(request, membership, form)
        messages.success(request, _("Saved the role of %(username)s.") % {
            "username": membership.user.get_username()})
        return redirect("settings-members")


class MemberRemoveView(OrgPageMixin, View):
    """GET asks for confirmation and says what happens; POST removes."""

    allowed_roles = ADMINS

    def _context(self, membership):
        led = [d.name for d, _depth in selectors.department_tree(organization=self.organization)
               if d.lead_id == membership.user_id]
        last_admin = (membership.role == Membership.Role.ADMIN
                      and selectors.membership_admin_count(organization=self.organization) == 1)
        return {"member": membership, "led": led, "last_admin": last_admin,
                "is_self": membership.user_id == self.request.user.pk}

    def get(self, request, membership_id: int):
        membership = selectors.membership_get(organization=self.organization,
                                              membership_id=membership_id)
        return render(request, "settings/member_remove.html", self._context(membership))

    def post(self, request, membership_id: int):
        membership = selectors.membership_get(organization=self.organization,
                                              membership_id=membership_id)
        context = self._context(membership)
        try:
            services.member_remove(membership=membership, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
            return render(request, "settings/member_remove.html", context)
        messages.success(request, _("%(username)s no longer has access to %(organization)s.") % {
            "username": membership.user.get_username(), "organization": self.organization.name})
        if context["is_self"]:
            return redirect("home")
        return redirect("settings-members")
