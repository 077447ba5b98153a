from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from courses import selectors


class MyCohortsPanel(Component):
    """Admin dashboard panel: the cohorts this trainer (or HR) follows, with completion counts."""

    name = "my_cohorts"
    template_name = "courses/admin/my_cohorts_panel.html"
    order = 50

    def __init__(self, request) -> None:
        self.request = request

    def get_context_data(self, parent_context=None):
        cohorts = selectors.cohort_summaries(selectors.cohorts_visible_to(self.request.user))
        return {
            "cohorts": list(cohorts.order_by("-starts_on", "name", "pk")[:10]),
            "title": _("Cohorts you follow"),
        }
