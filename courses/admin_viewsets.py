"""Wagtail admin screens for cohorts, enrolments and provinces."""

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton

from courses import selectors, services
from courses.admin_forms import CohortAdminForm
from courses.admin_inspect import LocalTimeInspectView
from courses.admin_scope import ScopedViewSetMixin
from courses.models import Cohort, Enrollment, FormerProvince, Province
from courses.spreadsheets import ExcelFriendlyExportMixin

# Cohorts


class CohortSaveMixin:
    """After a cohort is saved, give its trainers (and only them) edit rights on its course."""

    def save_instance(self):
        previous_course_id = None
        if self.object is not None and self.object.pk:
            previous_course_id = (
                Cohort.objects.filter(pk=self.object.pk).values_list("course_id", flat=True).first()
            )
        with transaction.atomic():
            instance = super().save_instance()
            services.sync_course_trainers(course=instance.course)
            if previous_course_id and previous_course_id != instance.course_id:
                previous = instance.course.__class__.objects.get(pk=previous_course_id)
                services.sync_course_trainers(course=previous)
        return instance


class CohortCreateView(CohortSaveMixin, generic.CreateView):
    object = None


class CohortEditView(CohortSaveMixin, generic.EditView):
    pass


class CohortIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.cohort_summaries(super().get_base_queryset().select_related("course"))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Progress"),
                url=reverse("courses_cohort_progress", args=[instance.pk]),
                icon_name="list-ul",
                priority=5,
            )
        )
        if self.request.user.has_perm("courses.change_cohort"):
            buttons.append(
                ListingButton(
                    _("Import delegates"),
                    url=reverse("courses_roster_upload", args=[instance.pk]),
                    icon_name="upload",
                    priority=6,
                )
            )
        return buttons


class CohortViewSet(ScopedViewSetMixin, ModelViewSet):
    """Cohorts: trainers see (and follow) the cohorts they train (``CohortPermissionPolicy``)."""

    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = LocalTimeInspectView
    search_fields = ["name", "venue", "enrolment_code", "organiser"]
    list_filter = ["course", "starts_on"]
    list_display = [
        "name",
        Column("course", label=_("Course")),
        Column("starts_on", label=_("Starts")),
        Column("venue", label=_("Venue")),
        Column("delegate_count", label=_("Delegates")),
        Column("completed_count", label=_("Completed")),
        Column("enrolment_code", label=_("Enrolment code")),
    ]
    list_export = ["name", "course", "starts_on", "ends_on", "venue", "organiser", "enrolment_code"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("course"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("venue"),
            FieldPanel("organiser"),
            FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [
                    FieldPanel("enrolment_code"),
                    FieldPanel("enrolment_closes_at"),
                    FieldPanel("capacity"),
                ],
                heading=_("Enrolment"),
            ),
        ],
        base_form_class=CohortAdminForm,
    )


# Enrolments: records, read-only in the admin; changed only through services.


class EnrollmentIndexView(ExcelFriendlyExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("user__delegate_profile", "course", "cohort", "province")
        )


class EnrollmentViewSet(ScopedViewSetMixin, ModelViewSet):
    """Enrolments: trainers see those of the cohorts they train (``EnrollmentPermissionPolicy``)."""

    model = Enrollment
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 220
    add_to_admin_menu = True
    index_view_class = EnrollmentIndexView
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = LocalTimeInspectView
    form_fields = []
    search_fields = ["user__email", "user__delegate_profile__full_name", "organisation"]
    list_filter = ["course", "cohort", "province", "method", "completed_at"]
    list_display = [
        Column("delegate", label=_("Delegate"), accessor="user.delegate_profile.full_name"),
        Column("course", label=_("Course")),
        Column("cohort", label=_("Cohort")),
        Column("province", label=_("Province")),
        DateColumn("enrolled_at", label=_("Enrolled")),
        DateColumn("completed_at", label=_("Completed")),
    ]
    list_export = [
        "user.delegate_profile.full_name",
        "user.email",
        "organisation",
        "position",
        "province",
        "course",
        "cohort",
        "get_method_display",
        "enrolled_at",
        "last_activity_at",
        "completed_at",
    ]
    export_headings = {
        "user.delegate_profile.full_name": _("Full name"),
        "user.email": _("Email"),
        "get_method_display": _("Enrolled by"),
    }
    inspect_view_fields = [
        "user",
        "course",
        "cohort",
        "method",
        "province",
        "organisation",
        "position",
        "enrolled_at",
        "last_activity_at",
        "completed_at",
    ]


# Provinces


class ProvinceViewSet(ModelViewSet):
    model = Province
    icon = "site"
    menu_label = _("Provinces")
    copy_view_enabled = False
    search_fields = ["name"]
    list_display = [
        "name",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    form_fields = ["name", "kind", "sort_order", "is_active"]


class FormerProvinceViewSet(ModelViewSet):
    model = FormerProvince
    icon = "history"
    menu_label = _("Former provinces")
    copy_view_enabled = False
    search_fields = ["name"]
    list_display = ["name", Column("successor", label=_("Merged into"))]
    list_filter = ["successor"]
    form_fields = ["name", "successor"]


class ProvinceViewSetGroup(ModelViewSetGroup):
    menu_label = _("Provinces")
    menu_icon = "site"
    menu_order = 900
    items = (ProvinceViewSet("provinces"), FormerProvinceViewSet("former_provinces"))
