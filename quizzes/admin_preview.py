"""Trainers try a question from the bank as a delegate would see it (``quizzes.preview``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import InspectView

from courses.compat import permission_policy_for
from quizzes import preview
from quizzes.models import Question
from quizzes.services.versions import choices_in_order, snapshot_of

PREVIEW_URL_NAME = "preview_question"


def preview_url(question_id: int) -> str:
    return reverse(f"wagtailsnippets_quizzes_question:{PREVIEW_URL_NAME}", args=[question_id])


def preview_button(question_id: int, *, priority: int = 15) -> Button:
    return Button(_("Preview"), url=preview_url(question_id), icon_name="view", priority=priority)


class QuestionPreviewView(InspectView):
    """The question as saved, through the delegate's template; a posted answer is scored and
    its feedback shown, as a review would show it. Nothing is written. Reached like every view
    of the bank (``ScopedViewSetMixin``): another course's question is a 404."""

    template_name = "quizzes/admin/question_preview.html"
    page_title = _("Preview")
    http_method_names = ["get", "post", "head", "options"]

    def get_object(self, queryset=None):
        return Question.objects.prefetch_related(choices_in_order()).get(pk=self.pk)

    def get_edit_url(self):
        policy = permission_policy_for(Question)
        if not policy.user_has_permission_for_instance(self.request.user, "change", self.object):
            return None
        return super().get_edit_url()

    def get_delete_url(self):
        return None

    def get_fields(self):
        return []  # the delegate's view takes the place of the field list

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = snapshot_of(self.object)
        seed = self.object.pk
        result = error = answer = None
        if self.request.method == "POST":
            try:
                answer, result = preview.try_answer(data, self.request.POST, seed=seed)
            except preview.InvalidAnswer as invalid:
                error = invalid.message
            except (ValueError, TypeError):
                error = _("This answer could not be read. Please try again.")
        context.update(
            question=preview.question_on_page(data, seed=seed, answer=answer),
            result=result,
            error=error,
            general_feedback=data.get("general_feedback", ""),
        )
        return context
