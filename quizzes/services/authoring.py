"""Building a quiz from the bank: many questions at once, as a new draft of the quiz page."""

from collections.abc import Sequence

from django.db import transaction
from wagtail.models import Page, Revision

from courses.models import CourseItem
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


@transaction.atomic
def place_before_final_test(*, page: Page, user=None) -> bool:
    """Move a course item added after its course's final test to just before it, so the final
    test stays last. Returns whether the page moved. A final test itself stays where it is."""
    specific = page.specific
    if not isinstance(specific, CourseItem) or getattr(specific, "is_final_test", False):
        return False
    final_test = (
        QuizPage.objects.child_of(page.get_parent())
        .filter(is_final_test=True)
        .exclude(pk=page.pk)
        .order_by("path")
        .first()
    )
    if final_test is None or page.path < final_test.path:
        return False
    page.move(final_test, pos="left", user=user)
    return True
