"""Registers the LMS's admin screens. Nothing is computed here."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.admin_panels import MyCohortsPanel
from courses.admin_views import CohortProgressView
from courses.admin_viewsets import CohortViewSet, EnrollmentViewSet, ProvinceViewSetGroup
from courses.byte_ranges import partial_document_response
from courses.compat import APIToken, register_permission_policy
from courses.models import Cohort, Enrollment
from courses.permissions import (
    CohortPermissionPolicy,
    EnrollmentPermissionPolicy,
    scope_page_choices,
)
from courses.privacy import wagtail_hooks as privacy_hooks  # noqa: F401 (registers hooks)
from courses.site_history import SITE_WIDE_REPORT_MENU_ITEMS, may_read_site_history
from courses.views.lockouts import PERMISSION as LOCKOUTS_PERMISSION
from courses.views.lockouts import lockout_urlpatterns
from courses.views.roster import roster_urlpatterns

register_permission_policy(Cohort, CohortPermissionPolicy(Cohort))
# Enrolments are records: they change only through the LMS's own services.
register_permission_policy(Enrollment, EnrollmentPermissionPolicy(Enrollment))


@hooks.register("register_admin_viewset")
def register_cohorts():
    return CohortViewSet("cohorts")


@hooks.register("register_admin_viewset")
def register_enrollments():
    return EnrollmentViewSet("enrollments")


@hooks.register("register_admin_viewset")
def register_provinces():
    return ProvinceViewSetGroup()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "cohorts/<int:pk>/progress/",
            CohortProgressView.as_view(),
            name="courses_cohort_progress",
        ),
        path(
            "cohorts/<int:pk>/progress/results/",
            CohortProgressView.as_view(results_only=True),
            name="courses_cohort_progress_results",
        ),
    ]


@hooks.register("register_admin_urls")
def register_roster_urls():
    return roster_urlpatterns()


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return lockout_urlpatterns()


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(LOCKOUTS_PERMISSION)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(
        _("Sign-in lockouts"), reverse("courses_lockouts"), icon_name="lock", order=900
    )


@hooks.register("construct_homepage_panels")
def add_cohorts_panel(request, panels):
    panels.append(MyCohortsPanel(request))


# API tokens (Wagtail 8): Wagtail registers its token screens only with wagtail.api.v3; the REST
# API (courses/api/authentication.py) accepts these tokens, so administrators manage them here.
if APIToken is not None:

    @hooks.register("register_admin_viewset")
    def register_api_tokens():
        from courses.admin_api_tokens import TokenViewSet

        return TokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")


@hooks.register("construct_reports_menu")
def hide_site_wide_reports(request, menu_items):
    # Shown to whoever may read them (courses.site_history).
    if not may_read_site_history(request.user):
        menu_items[:] = [
            item for item in menu_items if item.name not in SITE_WIDE_REPORT_MENU_ITEMS
        ]


@hooks.register("construct_page_chooser_queryset")
def hide_other_courses_drafts(pages, request):
    # Linking to another course's live pages is fine; its drafts are its trainers' business.
    return scope_page_choices(pages, request.user)


# After Wagtail's own check of the document's view restrictions (order 0).
@hooks.register("before_serve_document", order=100)
def serve_byte_ranges(document, request):
    return partial_document_response(document, request)
