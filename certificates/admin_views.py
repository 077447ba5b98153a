"""HR's certificate screens besides the register itself: download, revoke, reissue, issue by
hand, and the completion report of a cohort. Each view validates, calls a service, answers."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from certificates import exceptions, services
from certificates.admin_forms import (
    CohortChoiceForm,
    CompletionReportFilterSet,
    IssueCertificateForm,
    ReasonForm,
)
from certificates.downloads import pdf_response
from certificates.models import Certificate
from courses import selectors as course_selectors
from courses.admin_toolkit import STATUS_LABELS, ProgressColumn
from courses.models import Cohort, Enrollment
from courses.progress import Progress
from courses.spreadsheets import ExcelFriendlyExportMixin

VIEW, ISSUE, CHANGE = (
    "certificates.view_certificate",
    "certificates.add_certificate",
    "certificates.change_certificate",
)
REGISTER = "certificate_register"  # the register viewset's URL namespace


def register_url(name: str, *args) -> str:
    return reverse(f"{REGISTER}:{name}", args=args)


class PermissionRequiredMixin:
    """Wagtail answers a PermissionDenied with a redirect to the dashboard and a message."""

    permission_required = VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CertificateDownloadView(PermissionRequiredMixin, View):
    """The issued PDF, for HR; the download is recorded with who made it."""

    def get(self, request, pk: int):
        return pdf_response(get_object_or_404(Certificate, pk=pk), actor=request.user)


class CertificateFormView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """A form about one valid certificate, ending in a call to a service."""

    permission_required = CHANGE
    template_name = "certificates/admin/certificate_form.html"
    form_class = ReasonForm
    submit_label = ""
    intro = ""

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        if self.certificate.status != Certificate.Status.VALID:
            messages.error(request, str(exceptions.NotValid.message))
            return redirect(register_url("inspect", self.certificate.pk))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.certificate.serial

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": register_url("index"),
                "label": capfirst(Certificate._meta.verbose_name_plural),
            },
            {"url": register_url("inspect", self.certificate.pk), "label": self.certificate.serial},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate=self.certificate,
            submit_label=self.submit_label,
            intro=self.intro,
            cancel_url=register_url("inspect", self.certificate.pk),
        )
        return context

    def form_valid(self, form):
        try:
            certificate = self.perform(form.cleaned_data["reason"])
        except exceptions.CertificateError as error:
            messages.error(self.request, str(error.message))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(certificate))
        return redirect(register_url("inspect", certificate.pk))

    def perform(self, reason: str) -> Certificate:
        raise NotImplementedError

    def success_message(self, certificate: Certificate) -> str:
        raise NotImplementedError


class RevokeView(CertificateFormView):
    page_title = gettext_lazy("Revoke certificate")
    header_icon = "circle-xmark"
    submit_label = gettext_lazy("Revoke")
    intro = gettext_lazy(
        "A revoked certificate stays in the register; the public check page says it was "
        "revoked, and when. This cannot be undone."
    )

    def perform(self, reason: str) -> Certificate:
        return services.revoke_certificate(
            certificate_id=self.certificate.pk, by=self.request.user, reason=reason
        )

    def success_message(self, certificate: Certificate) -> str:
        return _("Certificate %(serial)s revoked.") % {"serial": certificate.serial}


class ReissueView(CertificateFormView):
    page_title = gettext_lazy("Reissue certificate")
    header_icon = "rotate"
    submit_label = gettext_lazy("Reissue")
    intro = gettext_lazy(
        "Reissuing draws a new certificate with a new number and code from the delegate's "
        "profile as it is now (correct the profile first); the old one is marked as replaced."
    )

    def perform(self, reason: str) -> Certificate:
        return services.reissue_certificate(
            certificate_id=self.certificate.pk, by=self.request.user, reason=reason
        )

    def success_message(self, certificate: Certificate) -> str:
        return _("Certificate %(old)s replaced by %(new)s.") % {
            "old": self.certificate.serial,
            "new": certificate.serial,
        }


class IssueView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Issue by hand: pick a cohort, then one of its delegates without a valid certificate.

    ``?enrollment=<id>`` preselects an enrolment (for links from an enrolment's screens)."""

    permission_required = ISSUE
    template_name = "certificates/admin/issue.html"
    page_title = gettext_lazy("Issue a certificate")
    header_icon = "plus"

    @cached_property
    def preselected(self) -> Enrollment | None:
        enrollment_id = self.request.GET.get("enrollment", "")
        # Not str.isdigit(): it accepts "²", which int() then refuses.
        if not enrollment_id.isascii() or not enrollment_id.isdecimal():
            return None
        return Enrollment.objects.filter(
            pk=enrollment_id, cohort__in=course_selectors.cohorts_visible_to(self.request.user)
        ).first()

    @cached_property
    def cohort_form(self) -> CohortChoiceForm:
        data = self.request.GET if "cohort" in self.request.GET else None
        initial = {"cohort": self.preselected.cohort_id} if self.preselected else None
        return CohortChoiceForm(data, initial=initial, user=self.request.user)

    @cached_property
    def cohort(self) -> Cohort | None:
        if self.cohort_form.is_bound:
            return self.cohort_form.cleaned_data["cohort"] if self.cohort_form.is_valid() else None
        return self.preselected.cohort if self.preselected else None

    def issue_form(self, data=None) -> IssueCertificateForm | None:
        if self.cohort is None:
            return None
        initial = {"enrollment": self.preselected.pk} if self.preselected else None
        return IssueCertificateForm(data, initial=initial, cohort=self.cohort)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": register_url("index"),
                "label": capfirst(Certificate._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.issue_form())
        context.update(cohort_form=self.cohort_form, cohort=self.cohort)
        return context

    def post(self, request, *args, **kwargs):
        form = self.issue_form(request.POST)
        if form is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        enrollment = form.cleaned_data["enrollment"]
        try:
            certificate, created = services.issue_certificate(
                enrollment_id=enrollment.pk, issued_by=request.user
            )
        except exceptions.CertificateError as error:
            messages.error(request, str(error.message))
            return self.render_to_response(self.get_context_data(form=form))
        if created:
            messages.success(
                request,
                _("Certificate %(serial)s issued to %(name)s.")
                % {"serial": certificate.serial, "name": certificate.full_name},
            )
        else:
            messages.warning(
                request,
                _("%(name)s already has a valid certificate, %(serial)s.")
                % {"serial": certificate.serial, "name": certificate.full_name},
            )
        return redirect(register_url("inspect", certificate.pk))


# The completion report


@dataclass(frozen=True, slots=True)
class CompletionRow:
    """One delegate of the report: their progress, status and certificate."""

    full_name: str
    email: str
    organisation: str
    position: str
    province: str
    progress: Progress
    status: str  # completed | in_progress | not_started
    completed_at: datetime | None
    certificate_serial: str

    @property
    def percent(self) -> int:
        return self.progress.percent_int

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True, slots=True)
class ProvinceCounts:
    province: str
    completed: int = 0
    in_progress: int = 0
    not_started: int = 0
    certified: int = 0

    @property
    def total(self) -> int:
        return self.completed + self.in_progress + self.not_started


def count_by_province(rows: list[CompletionRow]) -> tuple[list[ProvinceCounts], ProvinceCounts]:
    """Delegates per province and status (provinces by name), and the totals."""
    statuses: Counter = Counter((row.province, row.status) for row in rows)
    certified: Counter = Counter(row.province for row in rows if row.certificate_serial)

    def counts(province: str, keys) -> ProvinceCounts:
        return ProvinceCounts(
            province=province,
            completed=sum(statuses[(key, "completed")] for key in keys),
            in_progress=sum(statuses[(key, "in_progress")] for key in keys),
            not_started=sum(statuses[(key, "not_started")] for key in keys),
            certified=sum(certified[key] for key in keys),
        )

    provinces = sorted({row.province for row in rows}, key=lambda name: (not name, name))
    return [counts(name, [name]) for name in provinces], counts("", provinces)


def completion_rows(cohort: Cohort, *, with_serials: bool) -> list[CompletionRow]:
    """The cohort's delegates with their progress (``courses.selectors.cohort_progress_facts``)."""
    serials = {}
    if with_serials:
        serials = dict(
            Certificate.objects.filter(
                enrollment__cohort=cohort, status=Certificate.Status.VALID
            ).values_list("enrollment_id", "serial")
        )
    rows = []
    for row in course_selectors.cohort_progress_facts(cohort=cohort):
        rows.append(
            CompletionRow(
                full_name=row.full_name,
                email=row.email,
                organisation=row.organisation,
                position=row.position,
                province=row.province,
                progress=row.progress,
                # A completion on record stands even if required items were added since.
                status="completed" if row.completed_at else row.status,
                completed_at=row.completed_at,
                certificate_serial=serials.get(row.enrollment_id, ""),
            )
        )
    return rows


class CompletionReportView(PermissionRequiredMixin, ExcelFriendlyExportMixin, ReportView):
    """Who of a cohort completed (with the certificate's number), who is in progress, who has
    not started; counts per province and status. Trainers see their own cohorts."""

    permission_required = "courses.view_cohort"
    permission_policy = None
    results_template_name = "certificates/admin/completion_report_results.html"
    index_url_name = "certificate_completion:index"
    index_results_url_name = "certificate_completion:index_results"
    page_title = gettext_lazy("Completion report")
    header_icon = "table"
    filterset_class = CompletionReportFilterSet
    paginate_by = 100

    export_headings = {
        "full_name": gettext_lazy("Full name"),
        "email": gettext_lazy("Email"),
        "organisation": gettext_lazy("Organisation"),
        "position": gettext_lazy("Position"),
        "province": gettext_lazy("Province"),
        "percent": gettext_lazy("Progress (%)"),
        "status_label": gettext_lazy("Status"),
        "completed_at": gettext_lazy("Completed"),
        "certificate_serial": gettext_lazy("Certificate number"),
    }

    @cached_property
    def with_serials(self) -> bool:
        return self.request.user.has_perm(VIEW)

    @property
    def list_export(self) -> list[str]:
        fields = list(self.export_headings)
        return fields if self.with_serials else fields[:-1]

    @cached_property
    def columns(self):
        columns = [
            Column("full_name", label=_("Full name")),
            Column("organisation", label=_("Organisation")),
            Column("province", label=_("Province")),
            ProgressColumn("progress", label=_("Progress")),
            Column("status", label=_("Status"), accessor="status_label"),
            DateColumn("completed_at", label=_("Completed")),
        ]
        if self.with_serials:
            columns.append(Column("certificate_serial", label=_("Certificate number")))
        return columns

    def filter_value(self, name: str):
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get(name)
        return None

    @cached_property
    def cohort(self) -> Cohort | None:
        return self.filter_value("cohort")

    @cached_property
    def rows_in_province(self) -> list[CompletionRow]:
        if self.cohort is None:
            return []
        rows = completion_rows(self.cohort, with_serials=self.with_serials)
        province = self.filter_value("province")
        if province:
            rows = [row for row in rows if row.province == province.name]
        return rows

    def get_queryset(self):
        return self.rows_in_province

    def filter_queryset(self, rows):
        status = self.filter_value("status")
        return [row for row in rows if row.status == status] if status else rows

    def get_filename(self) -> str:
        return f"completion-{self.cohort.pk}" if self.cohort else "completion"

    @cached_property
    def no_results_message(self):
        if self.cohort is None:
            return _("Choose a cohort in the filters.")
        return _("No delegate matches these filters.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provinces, totals = count_by_province(self.rows_in_province)
        context.update(
            cohort=self.cohort,
            province_counts=provinces,
            totals=totals,
            with_serials=self.with_serials,
        )
        return context
