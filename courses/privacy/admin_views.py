"""The data protection officer's screens in the Wagtail admin: the queue of requests with their
due dates, one request with its actions and history, a request entered on behalf of a delegate
who asked in writing, the subject's data as a ZIP, and the access log. Every screen needs
``courses.handle_datarequest`` (the "Data protection officers" group); others get a 403."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from courses.admin_steps import PermissionRequiredMixin
from courses.models import DataRequest, PersonalDataAccess
from courses.privacy import archive, services
from courses.spreadsheets import csv_text

PERMISSION = "courses.handle_datarequest"


def privacy_admin_urlpatterns() -> list:
    return [
        path("personal-data/", RequestQueueView.as_view(), name="courses_privacy_requests"),
        path("personal-data/new/", RequestCreateView.as_view(), name="courses_privacy_request_new"),
        path(
            "personal-data/<int:request_id>/",
            RequestDetailView.as_view(),
            name="courses_privacy_request",
        ),
        path(
            "personal-data/<int:request_id>/data.zip",
            SubjectExportView.as_view(),
            name="courses_privacy_request_export",
        ),
        path("personal-data/access-log/", AccessLogView.as_view(), name="courses_privacy_access"),
    ]


def subject_label(user) -> str:
    """Name and email, or that the account was erased (``user__erasure`` and
    ``user__delegate_profile`` selected with the user save a query each)."""
    if hasattr(user, "erasure"):
        return _("Erased account #%(id)s") % {"id": user.pk}
    profile = getattr(user, "delegate_profile", None)
    name = profile.full_name if profile else user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email or user.get_username()


class PrivacyAdminMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission = PERMISSION
    forbidden_template_name = "courses/privacy/admin/forbidden.html"
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.page_title != RequestQueueView.page_title:
            items.append(
                {"url": reverse("courses_privacy_requests"), "label": RequestQueueView.page_title}
            )
        return [*items, {"url": "", "label": self.get_page_title()}]


class RequestQueueView(PrivacyAdminMixin, TemplateView):
    template_name = "courses/privacy/admin/queue.html"
    page_title = gettext_lazy("Personal data requests")

    def get_context_data(self, **kwargs):
        show_all = self.request.GET.get("state") == "all"
        requests = DataRequest.objects.select_related(
            "user__delegate_profile", "user__erasure", "requested_by", "closed_by"
        ).order_by("state", "due_at")
        if not show_all:
            requests = requests.filter(state=DataRequest.State.OPEN)
        rows = [
            {
                "request": r,
                "subject": subject_label(r.user),
                "overdue": r.is_open and r.due_at < timezone.now(),
            }
            for r in requests[:500]
        ]
        return super().get_context_data(rows=rows, show_all=show_all, **kwargs)


class OnBehalfForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Delegate's email address"),
        help_text=gettext_lazy("The account the written request is about."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Request"), choices=DataRequest.Kind.choices)
    reason = forms.CharField(
        label=gettext_lazy("The written request"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy("Where and when it was received, and what it asks."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        users = get_user_model()._default_manager.filter(
            Q(email__iexact=email) | Q(username__iexact=email)
        )
        user = users.order_by("pk").first()
        if user is None:
            raise forms.ValidationError(_("No account has this email address."))
        self.cleaned_data["user"] = user
        return email


class RequestCreateView(PrivacyAdminMixin, FormView):
    template_name = "courses/privacy/admin/new.html"
    page_title = gettext_lazy("New request on behalf of a delegate")
    form_class = OnBehalfForm

    def form_valid(self, form):
        try:
            data_request = services.open_request(
                user=form.cleaned_data["user"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                requested_by=self.request.user,
            )
        except services.PrivacyError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The request has been recorded."))
        return HttpResponseRedirect(reverse("courses_privacy_request", args=[data_request.pk]))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("carry_out", gettext_lazy("Carry out")), ("refuse", gettext_lazy("Refuse"))]
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the record"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when refusing: the delegate sees it."),
    )


class RequestMixin:
    def prepare(self):
        self.data_request = (
            DataRequest.objects.select_related(
                "user__delegate_profile", "requested_by", "closed_by"
            )
            .filter(pk=self.kwargs["request_id"])
            .first()
        )
        if self.data_request is None:
            raise Http404
        return None


class RequestDetailView(RequestMixin, PrivacyAdminMixin, FormView):
    template_name = "courses/privacy/admin/detail.html"
    page_title = gettext_lazy("Personal data request")
    form_class = ActionForm

    def get_context_data(self, **kwargs):
        data_request = self.data_request
        return super().get_context_data(
            data_request=data_request,
            subject=subject_label(data_request.user),
            refusals=services.erasure_refusals(data_request.user)
            if data_request.is_open and data_request.kind == DataRequest.Kind.ERASURE
            else [],
            history=log_registry.get_logs_for_instance(data_request).select_related("user"),
            **kwargs,
        )

    def form_valid(self, form):
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["action"] == "refuse":
                services.refuse(data_request=self.data_request, actor=self.request.user, note=note)
            else:
                services.carry_out(
                    data_request=self.data_request, actor=self.request.user, note=note
                )
        except services.PrivacyError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The request has been closed."))
        return HttpResponseRedirect(reverse("courses_privacy_request", args=[self.data_request.pk]))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SubjectExportView(RequestMixin, PrivacyAdminMixin, TemplateView):
    """The subject's data as the delegate would download it, for a request made in writing."""

    def get(self, request, *args, **kwargs):
        user = self.data_request.user
        if services.is_erased(user):
            raise Http404
        response = HttpResponse(archive.build_archive(user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{archive.archive_name(user)}"'
        response.personal_data_subject = user  # for the access log
        return response


class AccessLogView(PrivacyAdminMixin, TemplateView):
    template_name = "courses/privacy/admin/access_log.html"
    page_title = gettext_lazy("Personal data access log")

    def get(self, request, *args, **kwargs):
        entries = PersonalDataAccess.objects.select_related("actor", "subject").order_by("-at")
        if request.GET.get("format") == "csv":
            return self.csv_response(entries)
        return self.render_to_response(self.get_context_data(entries=entries[:500]))

    def csv_response(self, entries):
        header = [
            _("When"),
            _("By"),
            _("Action"),
            _("What"),
            _("Address"),
            _("Filters"),
            _("Rows"),
            _("Whose data"),
        ]
        rows = [
            [
                timezone.localtime(e.at).isoformat(),
                e.actor.get_username() if e.actor else "",
                e.action,
                e.what,
                e.path,
                e.filters,
                e.rows if e.rows is not None else "",
                e.subject_id or "",
            ]
            for e in entries.iterator()
        ]
        response = HttpResponse(csv_text([header, *rows]).encode(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="personal-data-access-log.csv"'
        response.personal_data_rows = len(rows)
        return response
