"""Settings → Departments (admins and CX managers): the tree, create, edit, delete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from cem import selectors, services
from cem.access import MANAGERS, OrgPageMixin
from cem.errors import ApplicationError
from cem.forms import DepartmentDeleteForm, DepartmentForm
from cem.pages import form_error


def _descendant_ids(tree, department) -> set[int]:
    """The department and everything below it (tree is in depth-first order)."""
    ids, inside, depth0 = set(), False, 0
    for node, depth in tree:
        if node.pk == department.pk:
            inside, depth0 = True, depth
            ids.add(node.pk)
        elif inside and depth > depth0:
            ids.add(node.pk)
        elif inside:
            break
    return ids


class DepartmentListView(OrgPageMixin, View):
    allowed_roles = MANAGERS

    def get(self, request):
        tree = selectors.department_tree(organization=self.organization)
        return render(request, "settings/departments.html", {"tree": tree})


class DepartmentFormMixin:
    """Shared by create and edit: the form with the tree (minus the department's own branch)."""

    def _form(self, data=None, department=None, initial=None):
        tree = selectors.department_tree(organization=self.organization)
        if department is not None:
            excluded = _descendant_ids(tree, department)
            tree = [(d, depth) for d, depth in tree if d.pk not in excluded]
        members = selectors.membership_list(organization=self.organization)
        return DepartmentForm(data, tree=tree, members=members, initial=initial)

    def _save(self, request, form, department=None):
        data = form.cleaned_data
        values = {"name": data["name"], "parent": data["parent"], "lead": data["lead"],
                  "is_default": data["is_default"]}
        if department is None:
            return services.department_create(organization=self.organization, actor=request.user,
                                              **values)
        return services.department_update(department=department, actor=request.user, **values)

    def _render(self, request, form, department=None):
        return render(request, "settings/department_form.html",
                      {"form": form, "department": department})

    def _post(self, request, department=None):
        form = self._form(request.POST, department)
        if form.is_valid():
            try:
                saved = self._save(request, form, department)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved department %(name)s.") % {"name": saved.name})
                return redirect("settings-departments")
        return self._render(request, form, department)


class DepartmentCreateView(DepartmentFormMixin, OrgPageMixin, View):
    allowed_roles = MANAGERS

    def get(self, request):
        parent = request.GET.get("parent", "")
        return self._render(request, self._form(initial={"parent": parent}))

    def post(self, request):
        return self._post(request)


class DepartmentUpdateView(DepartmentFormMixin, OrgPageMixin, View):
    allowed_roles = MANAGERS

    def get(self, request, department_id: int):
        department = selectors.department_get(organization=self.organization,
                                              department_id=department_id)
        initial = {"name": department.name, "parent": department.parent_id,
                   "lead": department.lead_id, "is_default": department.is_default}
        return self._render(request, self._form(department=department, initial=initial), department)

    def post(self, request, department_id: int):
        department = selectors.department_get(organization=self.organization,
                                              department_id=department_id)
        return self._post(request, department)


class DepartmentDeleteView(OrgPageMixin, View):
    """GET says what deleting does (members, sub-departments, linked records); POST deletes."""

    allowed_roles = MANAGERS

    def _page(self, request, department, form=None):
        tree = [(d, depth) for d, depth in selectors.department_tree(organization=self.organization)
                if d.pk != department.pk]
        form = form or DepartmentDeleteForm(tree=tree)
        impact = selectors.department_delete_impact(organization=self.organization,
                                                    department=department)
        return render(request, "settings/department_delete.html", {
            "department": department, "impact": impact, "form": form})

    def get(self, request, department_id: int):
        department = selectors.department_get(organization=self.organization,
                                              department_id=department_id)
        return self._page(request, department)

    def post(self, request, department_id: int):
        department = selectors.department_get(organization=self.organization,
                                              department_id=department_id)
        tree = [(d, depth) for d, depth in selectors.department_tree(organization=self.organization)
                if d.pk != department.pk]
        form = DepartmentDeleteForm(request.POST, tree=tree)
        if form.is_valid():
            try:
                services.department_delete(department=department, actor=request.user,
                                           move_members_to=form.cleaned_data["move_members_to"])
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Deleted department %(name)s.") % {"name": department.name})
                return redirect("settings-departments")
        return self._page(request, department, form)
