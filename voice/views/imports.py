"""File imports: upload (CSV or Excel), the job page with a live progress bar, its JSON status,
the rejected rows as CSV, resuming a stuck job, and the template files."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cem.access import MANAGERS
from cem.errors import ApplicationError
from voice import selectors
from voice.exports import import_template_csv, import_template_xlsx, rejected_rows_csv
from voice.forms.imports import ImportUploadForm
from voice.models import ImportJob
from voice.services.csv_import import (
    COLUMNS,
    ERR_TOO_BIG,
    MAX_FILE_BYTES,
    import_job_create,
    import_job_resume,
)
from voice.views.base import VoicePageMixin

JOBS_PER_PAGE = 20
#: rejected rows listed on the job page and in the status JSON (all are in the CSV download)
ERRORS_SHOWN = 100
#: multipart framing and form fields around the file
UPLOAD_OVERHEAD_BYTES = 64 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportJobListView(VoicePageMixin, TemplateView):
    """GET past imports and the upload form; POST uploads a file (checked at once)."""

    template_name = "voice/imports.html"
    allowed_roles = MANAGERS

    def get_context_data(self, **kwargs):
        jobs = Paginator(selectors.import_job_list(organization=self.organization), JOBS_PER_PAGE)
        kwargs.setdefault("form", ImportUploadForm())
        return super().get_context_data(
            jobs=jobs.get_page(self.request.GET.get("page")), columns=COLUMNS,
            max_mb=MAX_FILE_BYTES // (1024 * 1024), **kwargs)

    def post(self, request):
        # NOTE: refuse an oversized upload from its Content-Length, before Django spools it.
        if _content_length(request) > MAX_FILE_BYTES + UPLOAD_OVERHEAD_BYTES:
            form = ImportUploadForm(data={}, files={})
            form.errors["file"] = form.error_class([
                ERR_TOO_BIG.format(mb=MAX_FILE_BYTES // (1024 * 1024))])
            return self.render_to_response(self.get_context_data(form=form), status=413)
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_job_create(organization=self.organization,
                                        uploaded=form.cleaned_data["file"], created_by=request.user)
            except ApplicationError as exc:
                form.add_error("file", exc.message)
            else:
                return HttpResponseRedirect(reverse("import-job-detail", args=[job.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class _JobMixin(VoicePageMixin):
    allowed_roles = MANAGERS

    def get_job(self) -> ImportJob:
        try:
            return selectors.import_job_get(organization=self.organization,
                                            job_id=self.kwargs["job_id"])
        except ImportJob.DoesNotExist as exc:
            raise Http404 from exc


def job_status(job: ImportJob) -> dict:
    """The JSON the job page polls: counters, percent, the first rejected rows."""
    return {
        "id": job.pk, "status": job.status, "status_label": str(job.get_status_display()),
        "finished": job.is_finished, "percent": job.percent, "total_rows": job.total_rows,
        "processed_rows": job.processed_rows, "accepted_rows": job.accepted_rows,
        "duplicate_rows": job.duplicate_rows, "rejected_rows": job.rejected_rows,
        "failure_reason": job.failure_reason, "can_resume": job.can_resume(),
        "errors": job.errors[:ERRORS_SHOWN],
    }


class ImportJobDetailView(_JobMixin, TemplateView):
    """GET: progress (live, polled), then the report."""

    template_name = "voice/import_job.html"

    def get_context_data(self, **kwargs):
        job = self.get_job()
        return super().get_context_data(job=job, status=job_status(job),
                                        errors_shown=ERRORS_SHOWN, **kwargs)


class ImportJobStatusView(_JobMixin, View):
    """GET: the job's status as JSON (polled every second by the job page)."""

    def get(self, request, job_id):
        response = JsonResponse(job_status(self.get_job()))
        response["Cache-Control"] = "no-store"
        return response


class ImportJobRejectedView(_JobMixin, View):
    """GET: the rejected rows (row number, reason, original cells) as CSV."""

    def get(self, request, job_id):
        job = self.get_job()
        response = HttpResponse(rejected_rows_csv(job=job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejected.csv"'
        return response


class ImportJobResumeView(_JobMixin, View):
    """POST: re-enqueue a job stuck in `queued` (or running without progress)."""

    http_method_names = ["post"]

    def post(self, request, job_id):
        job = self.get_job()
        try:
            import_job_resume(job=job)
        except ApplicationError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, _("The import resumes where it stopped."))
        return HttpResponseRedirect(reverse("import-job-detail", args=[job.pk]))


class ImportTemplateView(VoicePageMixin, View):
    """GET: the template file (`csv` or `xlsx`) with every column and two example rows."""

    allowed_roles = MANAGERS
    fmt = "csv"

    def get(self, request):
        fmt = self.fmt
        if fmt == "xlsx":
            response = HttpResponse(import_template_xlsx(), content_type=XLSX_TYPE)
        else:
            response = HttpResponse(import_template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="opencem-import-template.{fmt}"'
        return response
