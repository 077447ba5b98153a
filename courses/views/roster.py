"""Wagtail admin screens that import a cohort's delegates from an organiser's roster file.

Upload -> preview (every row's outcome, an error per bad row) -> confirm (all or nothing)
-> result (with a CSV of what happened). The parsed rows wait in the session under a random
token between the steps; the confirmation checks them again against the database.

The lead registers ``roster_urlpatterns()`` with the ``register_admin_urls`` hook.
"""

import secrets
from contextlib import suppress

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import roster, uploads
from courses.admin_steps import PermissionRequiredMixin, SessionStore
from courses.compat import permission_policy_for
from courses.conf import lms_settings
from courses.models import Cohort
from courses.roster import RowStatus
from courses.roster import services as roster_services
from courses.sites import site_root_url
from courses.spreadsheets import csv_text

PERMISSION = "courses.change_cohort"
IMPORTS = SessionStore("courses_roster_imports")  # previews and results, the newest 3


def roster_urlpatterns() -> list:
    """The roster screens, to be registered under the Wagtail admin."""
    prefix = "cohorts/<int:cohort_id>/roster/"
    return [
        path(prefix, RosterUploadView.as_view(), name="courses_roster_upload"),
        path(f"{prefix}<slug:token>/", RosterPreviewView.as_view(), name="courses_roster_preview"),
        path(
            f"{prefix}<slug:token>/confirm/",
            RosterConfirmView.as_view(),
            name="courses_roster_confirm",
        ),
        path(
            f"{prefix}<slug:token>/imported/",
            RosterResultView.as_view(),
            name="courses_roster_result",
        ),
        path(
            f"{prefix}<slug:token>/imported.csv",
            RosterResultCSVView.as_view(),
            name="courses_roster_result_csv",
        ),
        path(
            "cohorts/roster-template.<str:fmt>",
            RosterTemplateView.as_view(),
            name="courses_roster_template",
        ),
    ]


class RosterPermissionMixin(PermissionRequiredMixin):
    permission = PERMISSION
    forbidden_template_name = "courses/admin/roster_forbidden.html"


class RosterAdminMixin(RosterPermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "upload"
    page_title = gettext_lazy("Import delegates")

    @cached_property
    def cohort(self) -> Cohort:
        # Importing changes the cohort: the cohorts the user may change (courses.permissions).
        cohorts = permission_policy_for(Cohort).instances_user_has_permission_for(
            self.request.user, "change"
        )
        return get_object_or_404(cohorts.select_related("course"), pk=self.kwargs["cohort_id"])

    def get_page_subtitle(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        with suppress(NoReverseMatch):  # unless the cohort screens are not registered
            label = capfirst(Cohort._meta.verbose_name_plural)
            items.append({"url": reverse("cohorts:index"), "label": label})
        edit_url = AdminURLFinder(self.request.user).get_edit_url(self.cohort)
        items.append({"url": edit_url or "", "label": self.cohort.name})
        items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        context["upload_url"] = reverse("courses_roster_upload", args=[self.cohort.pk])
        context["cohort_url"] = AdminURLFinder(self.request.user).get_edit_url(self.cohort)
        return context

    def stored(self, state: str) -> dict | None:
        data = IMPORTS.get(self.request, self.kwargs["token"])
        if data and data.get("cohort") == self.cohort.pk and data.get("state") == state:
            return data
        return None

    def expired(self):
        messages.warning(self.request, _("This roster preview has expired. Upload the file again."))
        return redirect("courses_roster_upload", self.cohort.pk)


# Upload


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx, first sheet) or a CSV file, with a header row."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = lms_settings.ROSTER_MAX_BYTES
        try:
            self.table = roster.read_roster(
                uploads.read_upload(upload, max_bytes=limit),
                upload.name,
                max_rows=lms_settings.ROSTER_MAX_ROWS,
                max_bytes=limit,
            )
        except roster.RosterFileError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class RosterUploadView(RosterAdminMixin, FormView):
    template_name = "courses/admin/roster_upload.html"
    form_class = RosterUploadForm

    def form_valid(self, form):
        token = secrets.token_urlsafe(16)
        IMPORTS.keep(
            self.request,
            token,
            {
                "cohort": self.cohort.pk,
                "state": "pending",
                "filename": form.cleaned_data["file"].name,
                "rows": [row.as_list() for row in form.table.rows],
                "ignored": list(form.table.ignored_headings),
                "end": [form.table.end.number, form.table.end.text] if form.table.end else None,
                "expected": {},
            },
        )
        return redirect("courses_roster_preview", self.cohort.pk, token)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_rows"] = lms_settings.ROSTER_MAX_ROWS
        context["max_bytes"] = lms_settings.ROSTER_MAX_BYTES
        context["headings"] = [
            {
                "label": roster.COLUMN_LABELS[column],
                "aliases": roster.HEADER_ALIASES[column],
                "required": column in roster.REQUIRED_COLUMNS,
            }
            for column in roster.Column
        ]
        return context


# Preview and confirmation


class PendingImportMixin(RosterAdminMixin):
    template_name = "courses/admin/roster_preview.html"

    def prepare(self):
        self.pending = self.stored("pending")
        if self.pending is not None:
            return None
        if self.stored("done") is not None:  # e.g. a second click on Confirm
            return redirect("courses_roster_result", self.cohort.pk, self.kwargs["token"])
        return self.expired()

    def validated_rows(self) -> list[roster.RosterRow]:
        raw = [roster.RawRow.from_list(values) for values in self.pending["rows"]]
        return roster.validate_rows(raw, provinces=roster_services.province_index())

    def render_preview(self, *, error: str = "", changed=(), status: int = 200):
        plan = roster_services.plan_roster(cohort=self.cohort, rows=self.validated_rows())
        # What the admin is shown is what Confirm will import.
        self.pending["expected"] = plan.statuses()
        IMPORTS.keep(self.request, self.kwargs["token"], self.pending)
        enrolled_now = self.cohort.enrollments.count()
        context = self.get_context_data(
            plan=plan,
            error=error,
            changed=set(changed),
            filename=self.pending["filename"],
            ignored=self.pending["ignored"],
            table_end=self.pending.get("end"),
            summary=preview_summary(plan),
            can_confirm=not plan.has_errors and plan.enrolling > 0,
            confirm_label=ngettext(
                "Import %(count)d delegate", "Import %(count)d delegates", plan.enrolling
            )
            % {"count": plan.enrolling},
            confirm_url=reverse(
                "courses_roster_confirm", args=[self.cohort.pk, self.kwargs["token"]]
            ),
            over_capacity=(
                self.cohort.capacity is not None
                and enrolled_now + plan.enrolling > self.cohort.capacity
            ),
            total_after=enrolled_now + plan.enrolling,
        )
        return self.render_to_response(context, status=status)


class RosterPreviewView(PendingImportMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.render_preview()


class RosterConfirmView(PendingImportMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not self.pending["expected"]:  # confirmed without a preview: show it first
            return self.render_preview()
        rows = self.validated_rows()
        try:
            imported = roster_services.import_roster(
                cohort=self.cohort,
                rows=rows,
                expected=self.pending["expected"],
                site_url=site_root_url(page=self.cohort.course, request=request),
            )
        except roster_services.RosterChanged as error:
            return self.render_preview(error=str(error.message), changed=error.rows, status=409)
        except roster_services.RosterImportError as error:
            return self.render_preview(error=str(error.message), status=400)
        IMPORTS.keep(
            request,
            self.kwargs["token"],
            {
                "cohort": self.cohort.pk,
                "state": "done",
                "filename": self.pending["filename"],
                "imported": [[r.number, r.full_name, r.email, r.status.value] for r in imported],
            },
        )
        enrolled = sum(1 for r in imported if r.status in roster.ENROLLING)
        messages.success(
            request,
            ngettext(
                "%(count)d delegate was added to %(cohort)s.",
                "%(count)d delegates were added to %(cohort)s.",
                enrolled,
            )
            % {"count": enrolled, "cohort": self.cohort.name},
        )
        return redirect("courses_roster_result", self.cohort.pk, self.kwargs["token"])


def preview_summary(plan: roster_services.RosterPlan) -> list[dict]:
    counts = plan.counts
    texts = {
        RowStatus.NEW: ngettext(
            "%(count)d new account", "%(count)d new accounts", counts[RowStatus.NEW]
        ),
        RowStatus.EXISTING: ngettext(
            "%(count)d existing account", "%(count)d existing accounts", counts[RowStatus.EXISTING]
        ),
        RowStatus.ENROLLED: ngettext(
            "%(count)d already enrolled", "%(count)d already enrolled", counts[RowStatus.ENROLLED]
        ),
        RowStatus.OTHER_COHORT: ngettext(
            "%(count)d in another cohort",
            "%(count)d in another cohort",
            counts[RowStatus.OTHER_COHORT],
        ),
        RowStatus.ERROR: ngettext(
            "%(count)d row with errors", "%(count)d rows with errors", counts[RowStatus.ERROR]
        ),
    }
    return [
        {"status": status.value, "text": texts[status] % {"count": counts[status]}}
        for status in RowStatus
        if counts[status]
    ]


# Result


class DoneImportMixin(RosterAdminMixin):
    def prepare(self):
        self.done = self.stored("done")
        if self.done is None:
            raise Http404
        return None

    def imported_rows(self) -> list[dict]:
        return [
            {
                "number": number,
                "full_name": full_name,
                "email": email,
                "status": status,
                "status_label": roster.STATUS_LABELS[RowStatus(status)],
            }
            for number, full_name, email, status in self.done["imported"]
        ]


class RosterResultView(DoneImportMixin, TemplateView):
    template_name = "courses/admin/roster_result.html"

    def get_page_title(self):
        return _("Delegates imported")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.imported_rows()
        new = sum(1 for row in rows if row["status"] == RowStatus.NEW)
        existing = sum(1 for row in rows if row["status"] == RowStatus.EXISTING)
        skipped = len(rows) - new - existing
        summary = [
            (
                new,
                ngettext(
                    "%(count)d new account was created and emailed a link to set a password.",
                    "%(count)d new accounts were created and emailed a link to set a password.",
                    new,
                )
                % {"count": new},
            ),
            (
                existing,
                ngettext(
                    "%(count)d existing account was enrolled.",
                    "%(count)d existing accounts were enrolled.",
                    existing,
                )
                % {"count": existing},
            ),
            (
                skipped,
                ngettext(
                    "%(count)d delegate was skipped: already enrolled.",
                    "%(count)d delegates were skipped: already enrolled.",
                    skipped,
                )
                % {"count": skipped},
            ),
        ]
        context.update(
            rows=rows,
            filename=self.done["filename"],
            summary=[line for count, line in summary if count],
            csv_url=reverse(
                "courses_roster_result_csv", args=[self.cohort.pk, self.kwargs["token"]]
            ),
        )
        return context


class RosterResultCSVView(DoneImportMixin, View):
    def get(self, request, *args, **kwargs):
        rows = [
            [row["full_name"], row["email"], str(row["status_label"])]
            for row in self.imported_rows()
        ]
        response = HttpResponse(
            csv_text([[_("Full name"), _("Email"), _("Status")], *rows]),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="cohort-{self.cohort.pk}-imported-delegates.csv"'
        )
        return response


# Template


class RosterTemplateView(RosterPermissionMixin, View):
    FORMATS = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
    }

    def get(self, request, fmt: str):
        if fmt not in self.FORMATS:
            raise Http404
        content = roster.template_xlsx() if fmt == "xlsx" else roster.template_csv()
        response = HttpResponse(content, content_type=self.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="delegate-roster.{fmt}"'
        return response
