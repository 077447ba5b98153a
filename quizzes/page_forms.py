"""The quiz page's admin form (imported by the model, so it imports no other form module)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class QuizPageForm(WagtailAdminPageForm):
    """A quiz draws only on its course's question bank and the shared one: a slot naming a
    question or a category of another course's bank is refused, whoever edits the quiz."""

    def is_valid(self) -> bool:
        # The slots' formset is validated after the page's own clean(): check them here.
        valid = super().is_valid()
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        course_id = parent.pk if parent is not None else None
        message = _(
            "Choose a question or category of this course's bank, or of the shared bank: this "
            "one belongs to another course."
        )
        for form in self.formsets["slots"].forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            question, category = data.get("question"), data.get("category")
            if question is not None and question.category.course_id not in (None, course_id):
                form.add_error("question", message)
                valid = False
            if category is not None and category.course_id not in (None, course_id):
                form.add_error("category", message)
                valid = False
        return valid
