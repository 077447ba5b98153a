"""Building a quiz from the bank: many questions at once, as a new draft of the quiz page."""

from collections.abc import Sequence

from django.db import transaction
from wagtail.models import Revision

from quizzes.models import Question, QuizPage, QuizSlot


@transaction.atomic
def add_questions_to_quiz(
    *, quiz: QuizPage, questions: Sequence[Question], user
) -> tuple[Revision | None, list[Question]]:
    """Append a slot for each question the quiz does not hold yet, after its last slot, in the
    order given. The change is a new revision of the quiz (a draft, as an edit in the page
    editor would be): trainers review and publish it, and workflows apply as usual. Returns the
    revision (None if nothing was added) and the questions added."""
    draft = quiz.get_latest_revision_as_object()
    slots = list(draft.slots.all())
    held = {slot.question_id for slot in slots if slot.question_id}
    added = [question for question in dict.fromkeys(questions) if question.pk not in held]
    if not added:
        return None, []
    next_order = max((slot.sort_order or 0 for slot in slots), default=-1) + 1
    draft.slots = slots + [
        QuizSlot(question=question, sort_order=next_order + offset)
        for offset, question in enumerate(added)
    ]
    revision = draft.save_revision(user=user, log_action=True)
    return revision, added
