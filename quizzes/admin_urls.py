"""The quizzes app's Wagtail admin URLs, registered by ``quizzes/wagtail_hooks.py`` with the
``register_admin_urls`` hook (the site's URLs are in ``quizzes/urls.py``)."""

from django.urls import path

from quizzes.views import authoring, importing, statistics


def statistics_urlpatterns() -> list:
    """The statistics screens, to be registered under the Wagtail admin."""
    return [
        path(
            "quizzes/statistics/",
            statistics.QuizStatisticsIndexView.as_view(),
            name="quizzes_statistics_index",
        ),
        path(
            "quizzes/<int:quiz_id>/statistics/",
            statistics.QuizStatisticsView.as_view(),
            name="quizzes_statistics",
        ),
        path(
            "quizzes/<int:quiz_id>/statistics/results/",
            statistics.QuizStatisticsView.as_view(results_only=True),
            name="quizzes_statistics_results",
        ),
    ]


def authoring_urlpatterns() -> list:
    """Adding questions from the bank to a quiz page."""
    return [
        path(
            "quizzes/<int:quiz_id>/add-questions/",
            authoring.AddQuestionsView.as_view(),
            name="quizzes_add_questions",
        )
    ]


def importing_urlpatterns() -> list:
    """The import and export screens, to be registered under the Wagtail admin (the tests mount
    them under ``admin/quizzes/``)."""
    return [
        path("questions/import/", importing.QuestionImportView.as_view(), name="quizzes_import"),
        path(
            "questions/import/template.xlsx",
            importing.ImportTemplateView.as_view(),
            name="quizzes_import_template",
        ),
        path(
            "questions/import/<slug:token>/",
            importing.ImportPreviewView.as_view(),
            name="quizzes_import_preview",
        ),
        path(
            "questions/import/<slug:token>/confirm/",
            importing.ImportConfirmView.as_view(),
            name="quizzes_import_confirm",
        ),
        path(
            "questions/import/<slug:token>/imported/",
            importing.ImportResultView.as_view(),
            name="quizzes_import_result",
        ),
        path("questions/export/", importing.QuestionExportView.as_view(), name="quizzes_export"),
        path(
            "questions/export/<str:fmt>/",
            importing.QuestionExportDownloadView.as_view(),
            name="quizzes_export_download",
        ),
    ]
