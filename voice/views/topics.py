"""Settings → Topics (admins and CX managers): the taxonomy with recent counts, create, edit,
deactivate, delete; topic suggestions and re-analysis live in `topics_jobs`."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from cem import selectors as cem_selectors
from cem.access import MANAGERS
from cem.errors import ApplicationError
from cem.pages import form_error, paginate
from voice import selectors_topics as selectors
from voice.forms.topics import TopicForm
from voice.services import topics as services
from voice.views.base import VoicePageMixin


class TopicListView(VoicePageMixin, View):
    allowed_roles = MANAGERS

    def get(self, request):
        q = request.GET.get("q", "")[:64]
        topics = selectors.topic_list_with_counts(organization=self.organization, q=q)
        page, query = paginate(request, topics, per_page=50)
        return render(request, "voice/topics/list.html", {
            "page": page, "query": query, "q": q, "window_days": selectors.COUNT_WINDOW_DAYS,
            "run": selectors.discovery_run_latest(organization=self.organization),
            "suggestions": selectors.topic_suggestion_list(organization=self.organization),
            "reanalysis": selectors.reanalysis_job_list(organization=self.organization).first(),
        })


class _TopicFormMixin:
    def _form(self, data=None, initial=None):
        tree = cem_selectors.department_tree(organization=self.organization)
        return TopicForm(data, tree=tree, initial=initial)

    def _render(self, request, form, topic=None):
        return render(request, "voice/topics/form.html", {"form": form, "topic": topic})

    def _post(self, request, topic=None):
        form = self._form(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                if topic is None:
                    saved = services.topic_create(organization=self.organization,
                                                  actor=request.user, **values)
                else:
                    saved = services.topic_update(organization=self.organization, topic=topic,
                                                  actor=request.user, **values)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved topic %(name)s.") % {"name": saved.name})
                return redirect("topic-list")
        return self._render(request, form, topic)


class TopicCreateView(_TopicFormMixin, VoicePageMixin, View):
    allowed_roles = MANAGERS

    def get(self, request):
        return self._render(request, self._form(initial={"is_active": True}))

    def post(self, request):
        return self._post(request)


class TopicUpdateView(_TopicFormMixin, VoicePageMixin, View):
    allowed_roles = MANAGERS

    def get(self, request, topic_id: int):
        topic = selectors.topic_get(organization=self.organization, topic_id=topic_id)
        initial = {"name": topic.name, "keywords": "\n".join(topic.keywords),
                   "department": topic.department_id, "is_active": topic.is_active}
        return self._render(request, self._form(initial=initial), topic)

    def post(self, request, topic_id: int):
        topic = selectors.topic_get(organization=self.organization, topic_id=topic_id)
        return self._post(request, topic)


class TopicDeleteView(VoicePageMixin, View):
    """GET says what deleting does (feedback stays, links go) and offers deactivating; POST
    `action=deactivate` deactivates, otherwise deletes."""

    allowed_roles = MANAGERS

    def get(self, request, topic_id: int):
        topic = selectors.topic_list_with_counts(organization=self.organization, days=36500).get(
            pk=topic_id)
        return render(request, "voice/topics/delete.html", {"topic": topic})

    def post(self, request, topic_id: int):
        topic = selectors.topic_get(organization=self.organization, topic_id=topic_id)
        if request.POST.get("action") == "deactivate":
            services.topic_update(organization=self.organization, topic=topic, actor=request.user,
                                  is_active=False)
            messages.success(request, _("Deactivated topic %(name)s.") % {"name": topic.name})
        else:
            services.topic_delete(organization=self.organization, topic=topic, actor=request.user)
            messages.success(request, _("Deleted topic %(name)s.") % {"name": topic.name})
        return redirect("topic-list")
