"""Wagtail admin views for trainers and HR: cohort progress with filters and exports."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from courses import selectors
from courses.models import Cohort, Completion, Enrollment, Province
from courses.progress import compute_progress
from courses.spreadsheets import ExcelFriendlyExportMixin

STATUS_LABELS = {
    "completed": _("Completed"),
    "in_progress": _("In progress"),
    "not_started": _("Not started"),
}


def with_status(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.annotate(
        has_completions=Exists(Completion.objects.filter(enrollment=OuterRef("pk")))
    )


class StatusFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if value == "completed":
            return qs.filter(completed_at__isnull=False)
        started = Q(has_completions=True) | Q(last_activity_at__isnull=False)
        if value == "in_progress":
            return qs.filter(started, completed_at__isnull=True)
        if value == "not_started":
            return qs.exclude(started).filter(completed_at__isnull=True)
        return qs


class CohortProgressFilterSet(WagtailFilterSet):
    status = StatusFilter(label=_("Status"), choices=list(STATUS_LABELS.items()))
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.all()
    )

    class Meta:
        model = Enrollment
        fields = ["status", "province"]


class ProgressColumn(Column):
    cell_template_name = "courses/admin/progress_cell.html"


class CohortProgressView(ExcelFriendlyExportMixin, ReportView):
    """Every delegate of one cohort with their progress. Trainers see only their cohorts."""

    template_name = "courses/admin/cohort_progress.html"
    header_icon = "group"
    index_url_name = "courses_cohort_progress"
    index_results_url_name = "courses_cohort_progress_results"
    filterset_class = CohortProgressFilterSet
    is_searchable = True
    search_fields = [
        "user__delegate_profile__full_name",
        "user__email",
        "organisation",
    ]
    paginate_by = 100
    permission_policy = None
    columns = [
        Column("full_name", label=_("Full name"), accessor="full_name"),
        Column("organisation", label=_("Organisation")),
        Column("province", label=_("Province")),
        ProgressColumn("progress", label=_("Progress"), accessor="progress"),
        Column("status", label=_("Status"), accessor="status_label"),
        DateColumn("last_activity_at", label=_("Last activity")),
        DateColumn("completed_at", label=_("Completed")),
    ]
    list_export = [
        "full_name",
        "email",
        "organisation",
        "position",
        "province",
        "percent",
        "status_label",
        "enrolled_at",
        "last_activity_at",
        "completed_at",
    ]
    export_headings = {
        "full_name": _("Full name"),
        "email": _("Email"),
        "organisation": _("Organisation"),
        "position": _("Position"),
        "province": _("Province"),
        "percent": _("Progress (%)"),
        "status_label": _("Status"),
        "enrolled_at": _("Enrolled"),
        "last_activity_at": _("Last activity"),
        "completed_at": _("Completed"),
    }

    @cached_property
    def cohort(self) -> Cohort:
        cohort = selectors.cohorts_visible_to(self.request.user).filter(pk=self.kwargs["pk"])
        cohort = cohort.first()
        if cohort is None:
            raise Http404
        return cohort

    def dispatch(self, request, *args, **kwargs):
        self.cohort  # noqa: B018 (404 unless the user may follow this cohort)
        return super().dispatch(request, *args, **kwargs)

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.cohort.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.cohort.pk])

    def get_page_title(self):
        return _("Progress: %(cohort)s") % {"cohort": self.cohort.name}

    def get_filename(self):
        return f"progress-{self.cohort.pk}"

    def get_queryset(self):
        return with_status(
            self.cohort.enrollments.select_related("user__delegate_profile", "province")
        ).order_by("user__delegate_profile__full_name", "user__email")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.is_searching:
            # The default search needs a search index; a plain filter suits one cohort.
            query = Q()
            for field in self.search_fields:
                query |= Q(**{f"{field}__icontains": self.search_query})
            queryset = queryset.filter(query)
        return queryset

    def search_queryset(self, queryset):
        return queryset

    def decorate_paginated_queryset(self, object_list):
        items = selectors.progress_items(
            selectors.course_items([self.cohort.course])[self.cohort.course_id]
        )
        rows = list(object_list)
        done: dict[int, set[int]] = {row.pk: set() for row in rows}
        for enrollment_id, page_id in Completion.objects.filter(
            enrollment__in=[row.pk for row in rows]
        ).values_list("enrollment_id", "page_id"):
            done[enrollment_id].add(page_id)
        for row in rows:
            row.progress = compute_progress(items, done[row.pk])
            row.percent = row.progress.percent_int
            profile = getattr(row.user, "delegate_profile", None)
            row.full_name = profile.full_name if profile else row.user.get_full_name()
            row.email = row.user.email
            row.status_label = STATUS_LABELS[self._status(row)]
        return rows

    @staticmethod
    def _status(row) -> str:
        if row.completed_at or row.progress.is_complete:
            return "completed"
        if row.progress.completed or row.last_activity_at:
            return "in_progress"
        return "not_started"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        context["summary"] = selectors.cohort_summaries(
            Cohort.objects.filter(pk=self.cohort.pk)
        ).first()
        return context
