"""Settings sections of the closed loop: alert rules, routing (owners), SLA policy, webhooks and
the webhook delivery log (admins)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from cem import selectors as cem_selectors
from cem.access import ADMINS, MANAGERS, OrgPageMixin
from cem.errors import ApplicationError
from cem.models import Department
from improvement import sla
from improvement.forms import AlertRuleForm, WebhookForm
from improvement.models import AlertRule, Priority, WebhookDelivery, WebhookEndpoint
from improvement.selectors import routing as routing_selectors
from improvement.selectors.notifications import (
    webhook_delivery_list,
    webhook_endpoint_get,
    webhook_endpoint_list,
)
from improvement.selectors.rules import alert_rule_get, alert_rule_list
from improvement.services import routing as routing_services
from improvement.services import rules as rule_services
from improvement.services import webhooks as webhook_services
from improvement.services.sla import sla_policy_set
from journeys.models import Touchpoint
from voice.models import Topic

PAGE_SIZE = 25


def _form_error(form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class AlertRuleListView(OrgPageMixin, TemplateView):
    """Rules with their state and a form to add one."""

    template_name = "improvement/alert_rules.html"
    allowed_roles = MANAGERS

    def get_context_data(self, form=None, **kwargs):
        rows = alert_rule_list(organization=self.organization)
        return super().get_context_data(
            **kwargs, page=Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page")),
            form=form or AlertRuleForm(organization=self.organization,
                                       initial={"kind": AlertRule.Kind.TOPIC_NEGATIVE_COUNT}))

    def post(self, request):
        form = AlertRuleForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                rule = rule_services.alert_rule_create(organization=self.organization,
                                                       data=form.rule_data(), created_by=request.user)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Rule “%(name)s” created.") % {"name": rule.name})
                return redirect("alert-rule-list")
        return self.render_to_response(self.get_context_data(form=form))


class AlertRuleMixin(OrgPageMixin):
    allowed_roles = MANAGERS

    def get_rule(self) -> AlertRule:
        try:
            return alert_rule_get(organization=self.organization, rule_id=self.kwargs["rule_id"])
        except AlertRule.DoesNotExist:
            raise Http404


class AlertRuleEditView(AlertRuleMixin, TemplateView):
    template_name = "improvement/alert_rule_edit.html"

    def get_context_data(self, form=None, **kwargs):
        rule = self.get_rule()
        initial = {name: getattr(rule, name) for name in (
            "kind", "name", "topic", "metric", "comparison", "threshold", "window_minutes",
            "min_responses", "touchpoint", "channel", "priority", "department", "cooldown_minutes")}
        initial["keywords"] = ", ".join(rule.keywords)
        form = form or AlertRuleForm(organization=self.organization, initial=initial)
        form.fields["kind"].disabled = True
        return super().get_context_data(**kwargs, rule=rule, form=form)

    def post(self, request, rule_id: int):
        rule = self.get_rule()
        form = AlertRuleForm({**request.POST.dict(), "kind": rule.kind}, organization=self.organization)
        if form.is_valid():
            try:
                rule_services.alert_rule_update(rule=rule, changes=form.rule_data(for_update=True),
                                               actor=request.user)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("alert-rule-list")
        return self.render_to_response(self.get_context_data(form=form))


class AlertRuleToggleView(AlertRuleMixin, View):
    http_method_names = ["post"]

    def post(self, request, rule_id: int):
        rule = self.get_rule()
        rule_services.alert_rule_set_enabled(rule=rule, enabled=not rule.is_enabled, actor=request.user)
        messages.success(request, _("Rule enabled.") if rule.is_enabled else _("Rule disabled."))
        return redirect("alert-rule-list")


class AlertRuleDeleteView(AlertRuleMixin, View):
    http_method_names = ["post"]

    def post(self, request, rule_id: int):
        rule_services.alert_rule_delete(rule=self.get_rule(), actor=request.user)
        messages.success(request, _("Rule deleted; its tickets stay."))
        return redirect("alert-rule-list")


def _pick(rows, raw: str):
    """The row whose id is `raw`, None for "" — anything else is ignored (returns False)."""
    if raw == "":
        return None
    return next((row for row in rows if str(row.pk) == raw), False)


class RoutingSettingsView(OrgPageMixin, TemplateView):
    """Who owns each topic and touchpoint, and the default department."""

    template_name = "improvement/routing.html"
    allowed_roles = MANAGERS

    def get_context_data(self, **kwargs):
        departments = list(cem_selectors.department_list(organization=self.organization))
        return super().get_context_data(
            **kwargs, departments=departments, has_default=any(d.is_default for d in departments),
            topics=routing_selectors.topic_list(organization=self.organization),
            touchpoints=routing_selectors.touchpoint_list(organization=self.organization))

    def post(self, request):
        org = self.organization
        departments = list(cem_selectors.department_list(organization=org))
        default = _pick(departments, request.POST.get("default_department", "")) \
            if "default_department" in request.POST else False
        if default is not False:
            try:  # NOTE: first, so a refused default leaves the owners unchanged too
                routing_services.department_set_default(organization=org, department=default,
                                                        actor=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("routing-settings")
        changed = 0
        for items, prefix, setter in (
                (routing_selectors.topic_list(organization=org), "topic", self._set_topic),
                (routing_selectors.touchpoint_list(organization=org), "touchpoint", self._set_touchpoint)):
            for item in items:
                field = f"{prefix}-{item.pk}"
                department = _pick(departments, request.POST.get(field, "")) if field in request.POST else False
                if department is not False and department != item.department:
                    setter(item, department)
                    changed += 1
        messages.success(request, _("Routing saved (%(n)d owners changed).") % {"n": changed})
        return redirect("routing-settings")

    def _set_topic(self, topic: Topic, department: Department | None):
        routing_services.topic_set_owner(organization=self.organization, topic=topic, department=department,
                                         actor=self.request.user)

    def _set_touchpoint(self, touchpoint: Touchpoint, department: Department | None):
        routing_services.touchpoint_set_owner(organization=self.organization, touchpoint=touchpoint,
                                              department=department, actor=self.request.user)


class SlaSettingsView(OrgPageMixin, TemplateView):
    template_name = "improvement/sla.html"
    allowed_roles = MANAGERS

    def get_context_data(self, **kwargs):
        targets = sla.sla_targets(organization=self.organization)
        rows = [{"priority": p, "label": label, "target": targets[p],
                 "first_response_hours": round(targets[p].first_response_minutes / 60, 2),
                 "resolution_hours": round(targets[p].resolution_minutes / 60, 2)}
                for p, label in Priority.choices]
        return super().get_context_data(**kwargs, rows=rows,
                                        has_calendar=bool(self.organization.business_hours))

    def post(self, request):
        try:
            for priority in Priority.values:
                sla_policy_set(
                    organization=self.organization, priority=priority,
                    first_response_minutes=_minutes(request.POST, f"{priority}-first_response"),
                    resolution_minutes=_minutes(request.POST, f"{priority}-resolution"),
                    use_business_hours=request.POST.get(f"{priority}-business") == "on",
                    actor=request.user)
        except ApplicationError as exc:
            messages.error(request, f"{Priority(priority).label}: {exc.message}")
            return self.render_to_response(self.get_context_data())
        messages.success(request, _("SLA policy saved. New tickets get these due times."))
        return redirect("sla-settings")


def _minutes(data, prefix: str) -> int:
    """Hours and minutes fields of the SLA form → minutes (0 when unreadable: refused later)."""
    try:
        return int(float(data.get(f"{prefix}_hours") or 0) * 60) + int(data.get(f"{prefix}_minutes") or 0)
    except (ValueError, OverflowError):
        return 0


class WebhookListView(OrgPageMixin, TemplateView):
    template_name = "improvement/webhooks.html"
    allowed_roles = MANAGERS

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            **kwargs, endpoints=webhook_endpoint_list(organization=self.organization),
            form=form or WebhookForm(), is_admin=self.membership.is_admin)

    def post(self, request):
        form = WebhookForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                webhook_services.webhook_endpoint_create(
                    organization=self.organization, name=data["name"], url=data["url"],
                    fmt=data["format"], events=data["events"], secret=data["secret"],
                    created_by=request.user)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Webhook added. Send a test message to check it."))
                return redirect("webhook-list")
        return self.render_to_response(self.get_context_data(form=form))


class WebhookMixin(OrgPageMixin):
    allowed_roles = MANAGERS

    def get_endpoint(self) -> WebhookEndpoint:
        try:
            return webhook_endpoint_get(organization=self.organization, endpoint_id=self.kwargs["endpoint_id"])
        except WebhookEndpoint.DoesNotExist:
            raise Http404


class WebhookEditView(WebhookMixin, TemplateView):
    template_name = "improvement/webhook_edit.html"

    def get_context_data(self, form=None, **kwargs):
        endpoint = self.get_endpoint()
        form = form or WebhookForm(initial={"name": endpoint.name, "url": endpoint.url,
                                            "format": endpoint.format, "events": endpoint.events,
                                            "is_active": endpoint.is_active})
        recent = webhook_delivery_list(organization=self.organization, filters={"endpoint": endpoint.pk})[:10]
        return super().get_context_data(**kwargs, endpoint=endpoint, form=form, recent=recent,
                                        is_admin=self.membership.is_admin)

    def post(self, request, endpoint_id: int):
        endpoint, form = self.get_endpoint(), WebhookForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                webhook_services.webhook_endpoint_update(
                    endpoint=endpoint, name=data["name"], url=data["url"], fmt=data["format"],
                    events=data["events"], secret=data["secret"] or None, is_active=data["is_active"],
                    actor=request.user)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Webhook saved."))
                return redirect("webhook-list")
        return self.render_to_response(self.get_context_data(form=form))


class WebhookTestView(WebhookMixin, View):
    http_method_names = ["post"]

    def post(self, request, endpoint_id: int):
        webhook_services.webhook_send_test(endpoint=self.get_endpoint())
        messages.success(request, _("Test message queued: see the delivery log in a few seconds."))
        return redirect("webhook-edit", endpoint_id=endpoint_id)


class WebhookDeleteView(WebhookMixin, View):
    http_method_names = ["post"]

    def post(self, request, endpoint_id: int):
        webhook_services.webhook_endpoint_delete(endpoint=self.get_endpoint(), actor=request.user)
        messages.success(request, _("Webhook deleted."))
        return redirect("webhook-list")


class WebhookDeliveryListView(OrgPageMixin, TemplateView):
    """The delivery log (admins): status code, attempts, error, per endpoint and event."""

    template_name = "improvement/webhook_deliveries.html"
    allowed_roles = ADMINS

    def get_context_data(self, **kwargs):
        filters = {k: self.request.GET.get(k) for k in ("endpoint", "status", "event")}
        if filters["endpoint"] and not filters["endpoint"].isdigit():
            filters["endpoint"] = None
        rows = webhook_delivery_list(organization=self.organization, filters=filters)
        return super().get_context_data(
            **kwargs, page=Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page")),
            filters=filters, endpoints=webhook_endpoint_list(organization=self.organization),
            statuses=WebhookDelivery.Status.choices, events=WebhookEndpoint.Event.choices)
