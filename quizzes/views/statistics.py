"""Wagtail admin screens for trainers and HR: the item statistics of a quiz (Moodle's quiz
statistics report) with filters, a summary, a chart, a table per question, the distractors of
each choice question, and CSV/XLSX exports of the question table.

Who sees what: superusers and HR (``courses.view_all_progress``) every delegate; trainers the
delegates of the cohorts they train, and only the quizzes of those cohorts' courses. Anyone else
gets 403 on the picker and 404 on a quiz.

Their URLs are ``statistics_urlpatterns()`` in ``quizzes/admin_urls.py``.
"""

from dataclasses import dataclass

import django_filters
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from courses.models import Cohort, Province
from courses.spreadsheets import ExcelFriendlyExportMixin
from courses.text import collapse_spaces
from quizzes.charts import BarChart, bar_chart
from quizzes.models import Attempt, Question
from quizzes.selectors import statistics as stats_selectors
from quizzes.selectors.statistics import ALL_ATTEMPTS, FIRST_ATTEMPTS, QuestionReport
from quizzes.statistics import (
    VERY_EASY_FACILITY,
    VERY_HARD_FACILITY,
    WEAK_DISCRIMINATION,
    Flag,
)

PAGE_TITLE = gettext_lazy("Quiz statistics")


def forbidden(request) -> TemplateResponse:
    # Wagtail's admin turns a raised PermissionDenied into a redirect; answer 403 instead.
    return TemplateResponse(
        request,
        "quizzes/admin/statistics_forbidden.html",
        {"header_title": _("Permission denied"), "page_title": _("Permission denied")},
        status=403,
    )


def flag_label(flag: Flag) -> str:
    if flag == Flag.NEGATIVE_DISCRIMINATION:
        return _("Negative discrimination: check the answer key")
    if flag == Flag.WEAK_DISCRIMINATION:
        return _("Weak discrimination (below %(limit)s%%)") % {"limit": int(WEAK_DISCRIMINATION)}
    if flag == Flag.VERY_HARD:
        return _("Very hard (facility below %(limit)s%%)") % {"limit": int(VERY_HARD_FACILITY)}
    return _("Very easy (facility above %(limit)s%%)") % {"limit": int(VERY_EASY_FACILITY)}


TYPE_LABELS = dict(Question.TYPE_CHOICES)
FLAG_ORDER = list(Flag)


@dataclass
class QuestionRow:
    """A question's row as the screen and the exports show it."""

    question: QuestionReport
    type_label: str
    notes: list[str]

    @property
    def notes_text(self) -> str:
        return "; ".join(self.notes)

    @property
    def weak_facility(self) -> bool:
        return bool({Flag.VERY_HARD, Flag.VERY_EASY} & self.question.flags)

    @property
    def weak_discrimination(self) -> bool:
        flags = {Flag.WEAK_DISCRIMINATION, Flag.NEGATIVE_DISCRIMINATION}
        return bool(flags & self.question.flags)


def question_row(question: QuestionReport) -> QuestionRow:
    return QuestionRow(
        question=question,
        type_label=str(TYPE_LABELS.get(question.type, question.type)),
        notes=[flag_label(f) for f in FLAG_ORDER if f in question.flags],
    )


def chart_for(questions: list[QuestionReport]) -> BarChart:
    return bar_chart(
        [(str(q.number), [q.facility, q.discrimination]) for q in questions],
    )


# The quiz picker


class QuizStatisticsIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "quizzes/admin/statistics_index.html"
    page_title = PAGE_TITLE
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not stats_selectors.may_view_statistics(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = stats_selectors.quiz_entries(self.request.user)
        return context


# One quiz


class NFCCharFilter(django_filters.CharFilter):
    """Typed Vietnamese compared as stored: NFC, spaces folded."""

    def filter(self, qs, value):
        return super().filter(qs, collapse_spaces(value) if value else value)


class StatisticsFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Cohort"),
        field_name="enrollment__cohort",
        queryset=Cohort.objects.none(),
    )
    province = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Province"),
        field_name="enrollment__province",
        queryset=Province.objects.all(),
    )
    organisation = NFCCharFilter(
        label=gettext_lazy("Organisation"),
        field_name="enrollment__organisation",
        lookup_expr="icontains",
    )
    attempts = django_filters.ChoiceFilter(
        label=gettext_lazy("Attempts"),
        choices=[(ALL_ATTEMPTS, gettext_lazy("All attempts"))],
        empty_label=gettext_lazy("First attempt of each delegate"),
        method="keep_all",  # the view keeps first attempts unless this says "all"
    )

    class Meta:
        model = Attempt
        fields = ["cohort", "province", "organisation", "attempts"]

    def __init__(self, *args, quiz, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cohort"].queryset = stats_selectors.cohorts_for_quiz(quiz=quiz, user=user)

    def keep_all(self, queryset, name, value):
        return queryset


class QuizStatisticsView(ExcelFriendlyExportMixin, ReportView):
    """The statistics of one quiz. Everything lives in the results template, so the filters
    refresh the summary, the chart and the tables together."""

    template_name = "quizzes/admin/statistics.html"
    results_template_name = "quizzes/admin/statistics_results.html"
    header_icon = "table"
    page_title = PAGE_TITLE
    index_url_name = "quizzes_statistics"
    index_results_url_name = "quizzes_statistics_results"
    filterset_class = StatisticsFilterSet
    paginate_by = None
    permission_policy = None
    columns = []
    list_export = [
        "question.number",
        "question.question_id",
        "question.name",
        "question.text",
        "type_label",
        "question.attempts",
        "question.facility",
        "question.sd",
        "question.discrimination",
        "question.efficiency",
        "question.awaiting_grading",
        "notes_text",
    ]
    export_headings = {
        "question.number": gettext_lazy("No."),
        "question.question_id": gettext_lazy("Question ID"),
        "question.name": gettext_lazy("Question"),
        "question.text": gettext_lazy("Question text"),
        "type_label": gettext_lazy("Type"),
        "question.attempts": gettext_lazy("Attempts"),
        "question.facility": gettext_lazy("Facility index (%)"),
        "question.sd": gettext_lazy("Standard deviation (%)"),
        "question.discrimination": gettext_lazy("Discrimination index (%)"),
        "question.efficiency": gettext_lazy("Discriminative efficiency (%)"),
        "question.awaiting_grading": gettext_lazy("Awaiting grading"),
        "notes_text": gettext_lazy("Notes"),
    }
    custom_value_preprocess = {
        **ExcelFriendlyExportMixin.custom_value_preprocess,
        float: {
            ExcelFriendlyExportMixin.FORMAT_CSV: lambda value: round(value, 2),
            ExcelFriendlyExportMixin.FORMAT_XLSX: lambda value: round(value, 2),
        },
    }

    @cached_property
    def quiz(self):
        quiz = (
            stats_selectors.quizzes_for_statistics(self.request.user)
            .filter(pk=self.kwargs["quiz_id"])
            .first()
        )
        if quiz is None:
            raise Http404
        return quiz

    def dispatch(self, request, *args, **kwargs):
        self.quiz  # noqa: B018 (404 unless the user may analyse this quiz)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.quiz.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("quizzes_statistics_index"), "label": PAGE_TITLE},
            {"url": "", "label": self.quiz.title},
        ]

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.quiz.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.quiz.pk])

    def get_filename(self):
        return f"quiz-statistics-{self.quiz.pk}"

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "quiz": self.quiz, "user": self.request.user}

    @cached_property
    def which_attempts(self) -> str:
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("attempts") or FIRST_ATTEMPTS
        return FIRST_ATTEMPTS

    def get_queryset(self):
        return stats_selectors.scoped_attempts(quiz=self.quiz, user=self.request.user)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return stats_selectors.restrict_attempts(queryset, self.which_attempts)

    def get_filtered_queryset(self):
        attempts = self.filter_queryset(self.get_queryset())
        self.report = stats_selectors.quiz_report(quiz=self.quiz, attempts=attempts)
        return self.report.questions

    def decorate_paginated_queryset(self, object_list):
        return [question_row(question) for question in object_list]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = self.report.questions
        context.update(
            quiz=self.quiz,
            report=self.report,
            summary=self.report.quiz,
            all_attempts=self.which_attempts == ALL_ATTEMPTS,
            chart=chart_for(questions),
            choice_questions=[q for q in questions if q.distractors],
            weak_discrimination=int(WEAK_DISCRIMINATION),
            very_hard=int(VERY_HARD_FACILITY),
            very_easy=int(VERY_EASY_FACILITY),
        )
        return context
