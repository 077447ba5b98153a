from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses import roles
        from courses.privacy import registry
        from quizzes.privacy import QuizzesProvider
        from quizzes.services.drawing import connect_receivers

        connect_receivers()

        registry.register(QuizzesProvider())

        roles.grant(
            roles.TRAINERS,
            "quizzes.add_question",
            "quizzes.change_question",
            "quizzes.view_question",
            "quizzes.add_questioncategory",
            "quizzes.change_questioncategory",
            "quizzes.view_questioncategory",
            "quizzes.view_attempt",
            "quizzes.grade_attempt",
        )
        roles.grant(roles.HR, "quizzes.view_attempt")
