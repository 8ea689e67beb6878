"""Pages of the journey designer: the list (everyone reads, managers create), the editor
(rename, describe, add / rename / reorder / delete stages and touchpoints, departments and
channels) and the delete confirmations. The journey map itself lives in metrics (it needs
feedback and metrics)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from cem.access import EVERYONE, MANAGERS, OrgPageMixin
from cem.errors import ApplicationError
from cem.pages import error_text, paginate
from journeys import selectors, services
from journeys.forms import CHANNEL_LABELS, JourneyForm, StageForm, TouchpointForm


def _field(exc: ApplicationError) -> str:
    """`stages[2].touchpoints[0].key` → `key` (the designer's forms edit one item at a time)."""
    return (exc.field or "").rsplit(".", 1)[-1]


def _attach(form, exc: ApplicationError) -> None:
    field = _field(exc)
    form.add_error(field if field in form.fields else None, error_text(exc))


JOURNEYS_PER_PAGE = 50


class JourneyListView(OrgPageMixin, View):
    """GET /journeys/: every journey with its stages and touchpoint count."""

    allowed_roles = EVERYONE

    def get(self, request):
        journeys = selectors.journey_list_with_structure(organization=self.organization)
        page, query = paginate(request, journeys, per_page=JOURNEYS_PER_PAGE)
        return render(request, "journeys/journey_list.html", {
            "journeys": page.object_list, "page": page, "query": query,
            "can_design": self.membership.role in MANAGERS})


class JourneyCreateView(OrgPageMixin, View):
    """GET the form, POST creates the journey and opens the designer on it."""

    allowed_roles = MANAGERS

    def get(self, request):
        return render(request, "journeys/journey_form.html", {"form": JourneyForm()})

    def post(self, request):
        form = JourneyForm(request.POST)
        if form.is_valid():
            try:
                journey = services.journey_create(organization=self.organization,
                                                  actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Journey created. Add its stages and touchpoints."))
                return redirect("journey-edit", journey_id=journey.pk)
        return render(request, "journeys/journey_form.html", {"form": form}, status=400)


class JourneyDesignerMixin(OrgPageMixin):
    allowed_roles = MANAGERS

    def journey(self):
        return selectors.journey_get(organization=self.organization,
                                     journey_id=self.kwargs["journey_id"])

    def page(self, request, journey, *, status=200, **forms):
        context = {"journey": journey, "channel_choices": list(CHANNEL_LABELS.items()),
                   "journey_form": JourneyForm(initial={
                       "name": journey.name, "persona": journey.persona,
                       "description": journey.description}),
                   "stage_form": StageForm(),
                   "touchpoint_form": TouchpointForm(journey=journey,
                                                     organization=self.organization),
                   **forms}
        return render(request, "journeys/journey_edit.html", context, status=status)


class JourneyEditView(JourneyDesignerMixin, View):
    """GET the designer; POST renames / describes the journey."""

    def get(self, request, journey_id):
        return self.page(request, self.journey())

    def post(self, request, journey_id):
        journey = self.journey()
        form = JourneyForm(request.POST)
        if form.is_valid():
            try:
                services.journey_update(journey=journey, actor=request.user, change="details",
                                        **form.cleaned_data)
            except ApplicationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Journey saved."))
                return redirect("journey-edit", journey_id=journey.pk)
        return self.page(request, journey, status=400, journey_form=form)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class JourneyStructureView(JourneyDesignerMixin, View):
    """POST one designer step: `op` = stage-add | stage-rename | stage-up | stage-down |
    stage-delete (an empty stage only) | touchpoint-add | touchpoint-up | touchpoint-down."""

    def post(self, request, journey_id):
        journey = self.journey()
        op = request.POST.get("op", "")
        if op == "touchpoint-add":
            return self._touchpoint_add(request, journey)
        stage_id, tp_id = _int(request.POST.get("stage")), _int(request.POST.get("touchpoint"))
        steps = {
            "stage-add": lambda: services.stage_add(
                journey=journey, name=request.POST.get("name", ""), actor=request.user),
            "stage-rename": lambda: services.stage_rename(
                journey=journey, stage_id=stage_id, name=request.POST.get("name", ""),
                actor=request.user),
            "stage-up": lambda: services.stage_move(journey=journey, stage_id=stage_id, offset=-1,
                                                    actor=request.user),
            "stage-down": lambda: services.stage_move(journey=journey, stage_id=stage_id,
                                                      offset=1, actor=request.user),
            "stage-delete": lambda: self._stage_delete(request, journey, stage_id),
            "touchpoint-up": lambda: services.touchpoint_move(
                journey=journey, touchpoint_id=tp_id, offset=-1, actor=request.user),
            "touchpoint-down": lambda: services.touchpoint_move(
                journey=journey, touchpoint_id=tp_id, offset=1, actor=request.user),
        }
        if op not in steps:
            messages.error(request, _("Unknown action."))
            return redirect("journey-edit", journey_id=journey.pk)
        try:
            steps[op]()
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Journey saved."))
        return redirect("journey-edit", journey_id=journey.pk)

    def _stage_delete(self, request, journey, stage_id):
        stage = next((s for s in journey.stages.all() if s.pk == stage_id), None)
        if stage is not None and stage.touchpoints.all():
            raise ApplicationError(_("Move or delete the touchpoints of this stage first."),
                                   field="stage")
        services.stage_delete(journey=journey, stage_id=stage_id, actor=request.user)

    def _touchpoint_add(self, request, journey):
        form = TouchpointForm(request.POST, journey=journey, organization=self.organization)
        if form.is_valid():
            try:
                services.touchpoint_add(journey=journey, stage_id=form.cleaned_data["stage"],
                                        data=form.data_for_service(), actor=request.user)
            except ApplicationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Touchpoint added."))
                return redirect("journey-edit", journey_id=journey.pk)
        return self.page(request, journey, status=400, touchpoint_form=form)


class TouchpointEditView(JourneyDesignerMixin, View):
    """GET / POST one touchpoint: key, name, stage, department, channels, description."""

    def _touchpoint(self, journey):
        for stage in journey.stages.all():
            for tp in stage.touchpoints.all():
                if tp.pk == self.kwargs["touchpoint_id"]:
                    return tp
        raise journey.DoesNotExist

    def _render(self, request, journey, tp, form, status=200):
        return render(request, "journeys/touchpoint_form.html",
                      {"journey": journey, "touchpoint": tp, "form": form}, status=status)

    def get(self, request, journey_id, touchpoint_id):
        journey = self.journey()
        tp = self._touchpoint(journey)
        form = TouchpointForm(journey=journey, organization=self.organization, initial={
            "stage": tp.stage_id, "key": tp.key, "name": tp.name, "department": tp.department_id,
            "channels": tp.channels, "description": tp.description})
        return self._render(request, journey, tp, form)

    def post(self, request, journey_id, touchpoint_id):
        journey = self.journey()
        tp = self._touchpoint(journey)
        form = TouchpointForm(request.POST, journey=journey, organization=self.organization)
        if form.is_valid():
            try:
                services.touchpoint_update(journey=journey, touchpoint_id=tp.pk,
                                           stage_id=form.cleaned_data["stage"],
                                           data=form.data_for_service(), actor=request.user)
            except ApplicationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("Touchpoint saved."))
                return redirect("journey-edit", journey_id=journey.pk)
        return self._render(request, journey, tp, form, status=400)


class TouchpointDeleteView(TouchpointEditView):
    """GET asks (its feedback stays, unlinked); POST deletes."""

    def get(self, request, journey_id, touchpoint_id):
        journey = self.journey()
        return render(request, "journeys/touchpoint_delete.html",
                      {"journey": journey, "touchpoint": self._touchpoint(journey)})

    def post(self, request, journey_id, touchpoint_id):
        journey = self.journey()
        tp = self._touchpoint(journey)
        services.touchpoint_delete(journey=journey, touchpoint_id=tp.pk, actor=request.user)
        messages.success(request, _("Touchpoint deleted. Its feedback is kept, without a touchpoint."))
        return redirect("journey-edit", journey_id=journey.pk)


class JourneyDeleteView(JourneyDesignerMixin, View):
    """GET asks; POST deletes the journey (its touchpoints' feedback stays, unlinked)."""

    def get(self, request, journey_id):
        return render(request, "journeys/journey_delete.html", {"journey": self.journey()})

    def post(self, request, journey_id):
        services.journey_delete(journey=self.journey(), actor=request.user)
        messages.success(request, _("Journey deleted. Its feedback is kept, without a touchpoint."))
        return redirect("journey-list")
