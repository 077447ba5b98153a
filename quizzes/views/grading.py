"""The essays waiting for a grade, in the admin's look: filtered by quiz and cohort, a page at
a time. Grades are posted to ``quizzes_grade`` (``quizzes.admin_views.grade``)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.selectors import cohorts_visible_to
from quizzes import selectors
from quizzes.admin_forms import GradeForm
from quizzes.keys import public_view
from quizzes.models import Attempt, Response
from quizzes.scoring import Outcome

PER_PAGE = 20


class GradingFilterForm(forms.Form):
    quiz = forms.ModelChoiceField(
        label=_("Quiz"), queryset=None, required=False, empty_label=_("All quizzes")
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=None, required=False, empty_label=_("All cohorts")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quiz"].queryset = selectors.quizzes_visible_to(user).order_by("title")
        self.fields["cohort"].queryset = cohorts_visible_to(user).order_by("name")


class GradingQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "quizzes/admin/grading_queue.html"
    page_title = _("Essays to grade")
    header_icon = "edit"
    breadcrumbs_items = [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {"url": reverse_lazy("quizzes_grading_queue"), "label": _("Essays to grade")},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("quizzes.grade_attempt"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def waiting(self, filters: GradingFilterForm):
        attempts = selectors.attempts_visible_to(self.request.user).filter(
            state=Attempt.State.SUBMITTED, pending_grading__gt=0
        )
        if filters.is_valid():
            if filters.cleaned_data["quiz"]:
                attempts = attempts.filter(quiz=filters.cleaned_data["quiz"])
            if filters.cleaned_data["cohort"]:
                attempts = attempts.filter(enrollment__cohort=filters.cleaned_data["cohort"])
        return (
            Response.objects.filter(attempt__in=attempts, outcome=Outcome.NEEDS_GRADING)
            .select_related(
                "question_version",
                "attempt__quiz",
                "attempt__user__delegate_profile",
                "attempt__enrollment__cohort",
            )
            .order_by("attempt__submitted_at", "attempt_id", "position")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = GradingFilterForm(self.request.GET or None, user=self.request.user)
        page = Paginator(self.waiting(filters), PER_PAGE).get_page(self.request.GET.get("p"))
        rows = []
        for response in page.object_list:
            data = response.question_version.data
            rows.append(
                {
                    "response": response,
                    "view": public_view(data, []),
                    "marks": data.get("marks"),
                    "form": GradeForm(marks=data.get("marks"), prefix=f"r{response.pk}"),
                }
            )
        context.update(rows=rows, page_obj=page, total=page.paginator.count, filter_form=filters)
        return context
