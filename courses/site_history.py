"""Keeps Wagtail's site-wide reports (history, page types usage) to the users who may see every
course's objects.

Wagtail's site history report shows a plain model's entries to anyone holding any permission on
the model: a trainer would read another course's cohort names, questions and certificate template
changes, and who made them. Its page entries are scoped, the others are not, and the report has
no hook to narrow them. The page types usage report names the last edited page of each type,
and who edited it, across every course. Trainers keep each object's own history (scoped by its
viewset) and their pages' history; the site-wide reports are for HR (who follow every cohort,
and have no question bank) and administrators. ``courses.checks`` reports a site that leaves
this middleware out.
"""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses import selectors

SITE_WIDE_REPORTS = frozenset(
    {
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:site_history_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
    }
)
SITE_WIDE_REPORT_MENU_ITEMS = frozenset({"site-history", "page-types-usage"})


def may_read_site_history(user) -> bool:
    return user.is_superuser or selectors.follows_every_cohort(user)


class SiteHistoryScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in SITE_WIDE_REPORTS:
            return None
        user = request.user
        if not user.has_perm("wagtailadmin.access_admin") or may_read_site_history(user):
            return None  # who may not enter the admin gets Wagtail's sign-in redirect
        return TemplateResponse(
            request,
            "courses/admin/site_history_forbidden.html",
            {"header_title": _("Permission denied"), "page_title": _("Permission denied")},
            status=403,
        )
