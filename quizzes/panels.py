"""Panels of the quiz page editor."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class AddFromBankPanel(Panel):
    """A link to add many questions of the bank at once (``quizzes_add_questions``); shown once
    the quiz exists."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/add_from_bank_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["url"] = reverse("quizzes_add_questions", args=[self.instance.pk])
            return context
