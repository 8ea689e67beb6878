"""The bell's pages: the user's notifications, open one (marks it read), mark all read."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from cem.access import OrgPageMixin
from improvement.models import Notification
from improvement.selectors.notifications import notification_get, notification_list
from improvement.services.notifications import notification_mark_read


class NotificationListView(OrgPageMixin, TemplateView):
    template_name = "improvement/notifications.html"

    def get_context_data(self, **kwargs):
        rows = notification_list(organization=self.organization, user=self.request.user)
        return super().get_context_data(
            **kwargs, page=Paginator(rows, 30).get_page(self.request.GET.get("page")))


class NotificationOpenView(OrgPageMixin, View):
    """Follow a notification's link and mark it read."""

    def get(self, request, notification_id: int):
        try:
            row = notification_get(organization=self.organization, user=request.user,
                                   notification_id=notification_id)
        except Notification.DoesNotExist:
            raise Http404
        notification_mark_read(organization=self.organization, user=request.user, notification_ids=[row.pk])
        target = row.url if url_has_allowed_host_and_scheme(row.url, {request.get_host()}) else "/"
        return redirect(target or "notification-list")


class NotificationReadAllView(OrgPageMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        notification_mark_read(organization=self.organization, user=request.user)
        return redirect("notification-list")
