"""Registers the quiz admin screens. Nothing is computed here."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from courses.compat import register_permission_policy
from quizzes import admin_views
from quizzes.admin_urls import authoring_urlpatterns, importing_urlpatterns, statistics_urlpatterns
from quizzes.admin_viewsets import AttemptViewSet, QuestionBankGroup
from quizzes.models import Attempt, Question, QuestionCategory, QuizPage
from quizzes.permissions import (
    AttemptPermissionPolicy,
    QuestionCategoryPermissionPolicy,
    QuestionPermissionPolicy,
)
from quizzes.selectors import statistics as stats_selectors
from quizzes.services.authoring import place_before_final_test
from quizzes.views.grading import GradingQueueView

# Attempts are records: they change only through quizzes.services.
register_permission_policy(Attempt, AttemptPermissionPolicy(Attempt))
register_permission_policy(Question, QuestionPermissionPolicy(Question))
register_permission_policy(QuestionCategory, QuestionCategoryPermissionPolicy(QuestionCategory))

register_snippet(QuestionBankGroup)


@hooks.register("after_create_page")
def keep_the_final_test_last(request, page):
    place_before_final_test(page=page, user=request.user)


@hooks.register("register_lms_urls")
def register_attempt_urls():
    return [path("", include("quizzes.urls"))]


@hooks.register("register_lms_api")
def register_api(router):
    from quizzes.api import views

    router.register("quizzes", views.QuizAPIViewSet, basename="quiz")
    router.register("attempts", views.AttemptAPIViewSet, basename="attempt")
    router.register(
        "delegate-attempts", views.DelegateAttemptAPIViewSet, basename="delegate-attempt"
    )
    router.register("quiz-statistics", views.QuizStatisticsAPIViewSet, basename="quiz-statistics")


@hooks.register("register_log_actions")
def register_regrade_log_action(actions):
    @actions.register_action("quizzes.regrade")
    class Regraded(LogFormatter):
        """A regrade finished, in the quiz page's history: who asked for it, how many changed."""

        label = _("Regrade")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return ngettext(
                "Regraded %(count)s attempt; %(changed)s changed.",
                "Regraded %(count)s attempts; %(changed)s changed.",
                data.get("attempts", 0),
            ) % {"count": data.get("attempts", 0), "changed": data.get("changed", 0)}


@hooks.register("register_admin_viewset")
def register_attempts():
    return AttemptViewSet("attempts")


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [
        path(
            "quizzes/attempts/<int:attempt_id>/answers/",
            admin_views.attempt_detail,
            name="quizzes_attempt_detail",
        ),
        path("quizzes/responses/<int:response_id>/grade/", admin_views.grade, name="quizzes_grade"),
        path("quizzes/grading/", GradingQueueView.as_view(), name="quizzes_grading_queue"),
        path("quizzes/<int:quiz_id>/regrade/", admin_views.regrade, name="quizzes_regrade"),
        path(
            "quizzes/regrades/<int:regrade_id>/",
            admin_views.regrade_status,
            name="quizzes_regrade_status",
        ),
        path(
            "quizzes/<int:quiz_id>/responses.<str:fmt>",
            admin_views.responses_export,
            name="quizzes_responses_export",
        ),
        *statistics_urlpatterns(),
        *authoring_urlpatterns(),
        path("quizzes/", include(importing_urlpatterns())),
    ]


class GradingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quizzes.grade_attempt")


@hooks.register("register_admin_menu_item")
def register_grading_menu_item():
    return GradingMenuItem(
        _("Essays to grade"),
        reverse("quizzes_grading_queue"),
        icon_name="edit",
        order=245,
    )


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return stats_selectors.may_view_statistics(request.user)


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        _("Quiz statistics"), reverse("quizzes_statistics_index"), icon_name="table", order=246
    )


@hooks.register("register_page_listing_more_buttons")
def quiz_page_buttons(page, user, next_url=None):
    if not isinstance(page.specific_deferred, QuizPage):
        return
    if page.permissions_for_user(user).can_edit():
        yield ListingMenuItem(
            _("Add questions from the bank"),
            reverse("quizzes_add_questions", args=[page.pk]),
            icon_name="help",
            priority=69,
        )
    yield ListingMenuItem(
        _("Attempts"),
        reverse("attempts:index") + f"?quiz={page.pk}",
        icon_name="tasks",
        priority=70,
    )
    yield ListingMenuItem(
        _("Statistics"),
        reverse("quizzes_statistics", args=[page.pk]),
        icon_name="table",
        priority=71,
    )
    yield ListingMenuItem(
        _("Responses (XLSX)"),
        reverse("quizzes_responses_export", args=[page.pk, "xlsx"]),
        icon_name="download",
        priority=72,
    )
    if user.has_perm("quizzes.grade_attempt"):
        yield ListingMenuItem(
            _("Regrade"),
            reverse("quizzes_regrade", args=[page.pk]),
            icon_name="repeat",
            priority=74,
        )
