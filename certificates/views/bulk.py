"""Wagtail admin screens for downloading many certificates as one ZIP.

start (the filters from the querystring; GET shows what will be in the ZIP, POST starts the job)
-> status (a progress bar that polls the same URL as JSON, and works by reloading too)
-> download. Only the requester (and superusers) can see a job; to anyone else it does not
exist (404).

Their URLs are ``bulk_urlpatterns()`` in ``certificates/admin_urls.py``; the
certificates register links to ``reverse("certificates_bulk_start") + "?" +
filter_querystring(request.GET)``.
"""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from certificates import tasks
from certificates.bulk import BulkDownloadError
from certificates.filters import (
    InvalidFilter,
    describe_filters,
    filter_certificates,
    filter_querystring,
    parse_filters,
)
from certificates.models import BulkDownload, Certificate
from courses import leases
from courses.admin_toolkit import PermissionRequiredMixin

PERMISSION = "certificates.view_certificate"
RECENT_JOBS = 10


class PermissionMixin(PermissionRequiredMixin):
    permission = PERMISSION
    forbidden_template_name = "certificates/admin/bulk_forbidden.html"


class JobMixin(PermissionMixin):
    def get_job(self) -> BulkDownload:
        jobs = tasks.visible_jobs(user=self.request.user)
        return get_object_or_404(jobs, pk=self.kwargs["job_id"])


class BulkStartView(PermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "certificates/admin/bulk_start.html"
    page_title = gettext_lazy("Download certificates as ZIP")
    header_icon = "download"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            filters = parse_filters(self.request.GET)
        except InvalidFilter as error:
            context["filter_error"] = error.message
        else:
            certificates = filter_certificates(Certificate.objects.all(), filters)
            context["count"] = certificates.count()
            context["filter_rows"] = describe_filters(filters)
            context["too_many"] = context["count"] > tasks.MAX_CERTIFICATES
            context["max_certificates"] = tasks.MAX_CERTIFICATES
        context["jobs"] = [
            (job, job_text(job))
            for job in BulkDownload.objects.filter(requested_by=self.request.user)[:RECENT_JOBS]
        ]
        context["querystring"] = filter_querystring(self.request.GET)
        return context

    def post(self, request, *args, **kwargs):
        try:
            job = tasks.start_bulk_download(
                user=request.user, params=request.GET, language=get_language()
            )
        except InvalidFilter as error:
            messages.error(request, error.message)
        except BulkDownloadError as error:
            messages.error(request, error.describe())
        else:
            return redirect("certificates_bulk_status", job_id=job.pk)
        return self.render_to_response(self.get_context_data(), status=400)


def job_text(job: BulkDownload) -> str:
    """What the progress bar says, for people and screen readers."""
    if job.state == BulkDownload.State.QUEUED:
        return _("Waiting to start…")
    if job.state == BulkDownload.State.FAILED:
        return _("The ZIP could not be built.")
    if job.state == BulkDownload.State.EXPIRED:
        return _("The ZIP has expired: its file was deleted.")
    if job.state == BulkDownload.State.DONE:
        return ngettext(
            "The ZIP of %(total)s certificate is ready.",
            "The ZIP of %(total)s certificates is ready.",
            job.total,
        ) % {"total": job.total}
    return ngettext(
        "%(done)s of %(total)s certificate added.",
        "%(done)s of %(total)s certificates added.",
        job.total,
    ) % {"done": job.done, "total": job.total}


def job_json(job: BulkDownload) -> dict:
    done = job.state == BulkDownload.State.DONE
    return {
        **leases.job_status(job, text=job_text(job)),
        "download_url": reverse("certificates_bulk_download", args=[job.pk]) if done else None,
    }


class BulkStatusView(JobMixin, WagtailAdminTemplateMixin, TemplateView):
    """HTML for people; JSON (``Accept: application/json`` or ``?format=json``) for polling."""

    template_name = "certificates/admin/bulk_status.html"
    header_icon = "download"

    def get(self, request, *args, **kwargs):
        self.job = self.get_job()
        if leases.asks_for_status(request):
            return JsonResponse(job_json(self.job), headers={"Cache-Control": "no-store"})
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Certificate ZIP #%(id)s") % {"id": self.job.pk}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("certificates_bulk_start"), "label": _("Download certificates as ZIP")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            filter_rows = describe_filters(parse_filters(self.job.filters))
        except InvalidFilter:  # e.g. a province deleted since: the ids still say what is in it
            filter_rows = []
        context.update(
            job=self.job,
            status=job_json(self.job),
            filter_rows=filter_rows,
            status_url=reverse("certificates_bulk_status", args=[self.job.pk]),
            querystring=filter_querystring(self.job.filters),
        )
        if self.job.state == BulkDownload.State.EXPIRED:
            context["retention_days"] = tasks.retention_days()
        return context


class BulkDownloadView(JobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if not zip_ready(job):
            raise Http404
        return zip_download(job, actor=request.user)


def zip_ready(job: BulkDownload) -> bool:
    return job.state == BulkDownload.State.DONE and bool(job.zip_file)


def zip_download(job: BulkDownload, *, actor) -> FileResponse:
    """The finished ZIP as an attachment, its download recorded (admin and API alike)."""
    try:
        handle = job.zip_file.open("rb")
    except OSError:
        raise Http404 from None
    tasks.record_bulk_download(job=job, actor=actor)
    return FileResponse(
        handle, as_attachment=True, filename=zip_filename(job), content_type="application/zip"
    )


def zip_filename(job: BulkDownload) -> str:
    """``chung-nhan-20240711-0900-7.zip``: what, when requested, which job."""
    when = timezone.localtime(job.requested_at)
    return f"{slugify(_('certificates')) or 'certificates'}-{when:%Y%m%d-%H%M}-{job.pk}.zip"


class BulkResumeView(JobMixin, View):
    def post(self, request, *args, **kwargs):
        job = self.get_job()
        if tasks.resume_bulk_download(job=job):
            messages.success(request, _("The ZIP is being built again from where it stopped."))
        else:
            messages.warning(request, _("This ZIP is not stuck: nothing to resume."))
        return redirect("certificates_bulk_status", job_id=job.pk)
