"""The department workspace: the ticket board and list, a ticket with its history, and the
actions on it (move, claim/assign, comment, priority, re-route, evidence)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from cem import selectors as cem_selectors
from cem.access import MANAGERS, OrgPageMixin
from cem.errors import ApplicationError
from cem.models import Department, Membership
from improvement.access import Actor
from improvement.forms import ReportRangeForm, TicketCreateForm, TicketFilterForm
from improvement.models import Priority, Ticket
from improvement.selectors.reports import report_range, ticket_times_by_department
from improvement.selectors.tickets import (
    BOARD_COLUMNS,
    ticket_board,
    ticket_events,
    ticket_evidence,
    ticket_get,
    ticket_list,
)
from improvement.services import tickets as services
from improvement.services.tickets import MANAGER_ONLY, TRANSITIONS

WRITERS = (Membership.Role.ADMIN, Membership.Role.CX_MANAGER, Membership.Role.DEPARTMENT_MEMBER)
PAGE_SIZE = 25
EVIDENCE_SHOWN = 50


class TicketMixin(OrgPageMixin):
    def actor(self) -> Actor:
        return Actor.from_membership(self.membership)

    def get_ticket(self) -> Ticket:
        try:
            return ticket_get(organization=self.organization, actor=self.actor(),
                              ticket_id=self.kwargs["ticket_id"])
        except Ticket.DoesNotExist:
            raise Http404


def _filters(form: TicketFilterForm, user) -> dict:
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    filters = {k: data[k] for k in ("status", "priority", "rule", "q") if data.get(k)}
    if data.get("department"):
        filters["department"] = data["department"].pk
    if data.get("overdue"):
        filters["overdue"] = True
    if data.get("mine"):
        filters["assignee"] = user.pk
    return filters


class TicketBoardView(TicketMixin, TemplateView):
    """`/tickets/`: a board by status (default) or a paginated list (`?view=list`)."""

    template_name = "improvement/ticket_board.html"

    def get_context_data(self, **kwargs):
        actor = self.actor()
        form = TicketFilterForm(self.request.GET or None, organization=self.organization)
        filters = _filters(form, self.request.user)
        as_list = self.request.GET.get("view") == "list"
        context = {"form": form, "actor": actor, "as_list": as_list, "filters": filters,
                   "can_create": actor.can_write_tickets, "query": self.request.GET.urlencode()}
        if as_list:
            rows = ticket_list(organization=self.organization, actor=actor, filters=filters)
            context["page"] = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        else:
            board = ticket_board(organization=self.organization, actor=actor, filters=filters)
            context["columns"] = [{"status": s, "label": Ticket.Status(s).label, **board[s]}
                                  for s in BOARD_COLUMNS]
            context["empty"] = not any(c["count"] for c in context["columns"])
        params = self.request.GET.copy()
        params.pop("page", None)
        context["page_query"] = params.urlencode()
        return super().get_context_data(**kwargs, **context)


def _assignable(organization, ticket: Ticket) -> list[Membership]:
    rows = cem_selectors.membership_list(organization=organization).exclude(role=Membership.Role.VIEWER)
    return [m for m in rows if m.role != Membership.Role.DEPARTMENT_MEMBER
            or m.department_id == ticket.department_id]


def _moves(ticket: Ticket, actor: Actor) -> list[dict]:
    if not actor.can_work(ticket):
        return []
    return [{"status": s, "label": Ticket.Status(s).label} for s in TRANSITIONS.get(ticket.status, ())
            if s not in MANAGER_ONLY or actor.can_manage]


class TicketDetailView(TicketMixin, TemplateView):
    template_name = "improvement/ticket_detail.html"

    def get_context_data(self, **kwargs):
        ticket, actor = self.get_ticket(), self.actor()
        can_work = actor.can_work(ticket)
        return super().get_context_data(
            **kwargs, ticket=ticket, actor=actor, can_work=can_work, moves=_moves(ticket, actor),
            events=ticket_events(ticket=ticket), evidence=ticket_evidence(ticket=ticket, limit=EVIDENCE_SHOWN),
            assignable=_assignable(self.organization, ticket) if can_work else [],
            departments=cem_selectors.department_list(organization=self.organization) if actor.can_manage else [],
            priorities=Priority.choices, effect=ticket.effect)


class TicketCreateView(TicketMixin, FormView):
    template_name = "improvement/ticket_form.html"
    form_class = TicketCreateForm
    allowed_roles = WRITERS

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.organization}

    def get_initial(self):
        return {"feedback": self.request.GET.get("feedback", "")[:200]}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            ticket = services.ticket_create(
                organization=self.organization, actor=self.actor(), title=data["title"],
                description=data["description"], priority=data["priority"], department=data["department"],
                touchpoint=data["touchpoint"], topic=data["topic"], feedback_ids=data["feedback"],
                source=Ticket.Source.FEEDBACK if data["feedback"] else Ticket.Source.MANUAL)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Ticket #%(id)d created.") % {"id": ticket.pk})
        return redirect("ticket-detail", ticket_id=ticket.pk)


class TicketActionView(TicketMixin, View):
    """Base of the POST actions on one ticket: errors come back as messages on the ticket page."""

    http_method_names = ["post"]
    allowed_roles = WRITERS
    done = _("Saved.")

    def post(self, request, ticket_id: int):
        ticket = self.get_ticket()
        try:
            self.act(ticket, self.actor(), request.POST)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.done)
        return redirect(reverse("ticket-detail", kwargs={"ticket_id": ticket.pk}))

    def act(self, ticket, actor, data):
        raise NotImplementedError


class TicketTransitionView(TicketActionView):
    done = _("Status changed.")

    def act(self, ticket, actor, data):
        services.ticket_transition(ticket=ticket, actor=actor, to_status=data.get("to_status", ""),
                                   comment=data.get("comment", "")[:5000])


class TicketCommentView(TicketActionView):
    done = _("Comment added.")

    def act(self, ticket, actor, data):
        services.ticket_comment(ticket=ticket, actor=actor, text=data.get("text", "")[:5000])


class TicketAssignView(TicketActionView):
    """`assignee` = a user id, "me" (claim: also starts work), or "" (unassign)."""

    done = _("Assignment changed.")

    def act(self, ticket, actor, data):
        wanted = data.get("assignee", "")
        if wanted == "me":
            services.ticket_claim(ticket=ticket, actor=actor)
            return
        member = None
        if wanted:
            member = next((m.user for m in _assignable(self.organization, ticket) if str(m.user_id) == wanted),
                          None)
            if member is None:
                raise ApplicationError(services.ERR_ASSIGNEE, field="assignee")
        services.ticket_assign(ticket=ticket, actor=actor, assignee=member)


class TicketPriorityView(TicketActionView):
    done = _("Priority changed.")

    def act(self, ticket, actor, data):
        services.ticket_set_priority(ticket=ticket, actor=actor, priority=data.get("priority", ""))


class TicketDepartmentView(TicketActionView):
    allowed_roles = MANAGERS
    done = _("Ticket re-routed.")

    def act(self, ticket, actor, data):
        department = None
        if data.get("department"):
            try:
                department = cem_selectors.department_get(organization=self.organization,
                                                          department_id=int(data["department"]))
            except (ValueError, OverflowError, Department.DoesNotExist):
                raise ApplicationError(services.ERR_DEPARTMENT, field="department")
        services.ticket_set_department(ticket=ticket, actor=actor, department=department)


class TicketEvidenceView(TicketActionView):
    done = _("Evidence linked.")

    def act(self, ticket, actor, data):
        try:
            ids = [int(x) for x in data.get("feedback", "").replace("，", ",").replace(" ", ",").split(",")
                   if x.strip()]
        except ValueError:
            ids = None
        if not ids:
            raise ApplicationError(_("Give feedback ids as numbers separated by commas."), field="feedback")
        services.ticket_add_evidence(ticket=ticket, actor=actor, feedback_ids=ids[:100])


class TicketReportView(TicketMixin, TemplateView):
    """Response and resolution times per department (members see their own department)."""

    template_name = "improvement/ticket_report.html"

    def get_context_data(self, **kwargs):
        form = ReportRangeForm(self.request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        start, end, first, last = report_range(organization=self.organization, first=data.get("start"),
                                               last=data.get("end"))
        report = ticket_times_by_department(organization=self.organization, actor=self.actor(), start=start, end=end)
        return super().get_context_data(**kwargs, report=report, first=first, last=last, form=form,
                                        has_calendar=bool(self.organization.business_hours))
