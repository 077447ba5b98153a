"""Question bank and quiz factories."""

from decimal import Decimal

import factory

from quizzes.models import Choice, Question, QuestionCategory, QuizPage, QuizSlot
from tests import factories


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kết luận 57-KL/TW ({n})")


def question(kind="single", *, category=None, choices=None, marks=Decimal(1), **kwargs) -> Question:
    """A question with choices given as (text, is_correct) or dicts of Choice fields."""
    q = Question(
        category=category or CategoryFactory(),
        name=kwargs.pop("name", f"Câu hỏi {kind}"),
        type=kind,
        text=kwargs.pop("text", "<p>Kết luận 57-KL/TW được ban hành ngày nào?</p>"),
        marks=marks,
        **kwargs,
    )
    if choices is None:
        choices = {
            "single": [("15/6/2023", True), ("14/2/2012", False), ("16/2/2024", False)],
            "multiple": [("Chủ động", True), ("Đồng bộ", True), ("Bị động", False)],
            "true_false": [("Đúng", True), ("Sai", False)],
            "short_answer": [("Hòa Bình", True)],
            "numerical": [{"text": "280", "is_correct": True, "tolerance": Decimal(0)}],
            "matching": [
                {"text": "57-KL/TW", "match": "15/6/2023"},
                {"text": "16-KL/TW", "match": "14/2/2012"},
                {"text": "71-KL/TW", "match": "16/2/2024"},
            ],
            "ordering": [("2012", False), ("2023", False), ("2024", False)],
            "essay": [],
        }[kind]
    q.choices = [
        Choice(**choice)
        if isinstance(choice, dict)
        else Choice(text=choice[0], is_correct=choice[1])
        for choice in choices
    ]
    q.save()
    return q


def quiz(course=None, *, questions=(), **kwargs) -> QuizPage:
    course = course or factories.course()
    kwargs.setdefault("title", "Kiểm tra kiến thức")
    kwargs.setdefault("slug", f"quiz-{QuizPage.objects.count() + 1}-{course.pk}")
    kwargs.setdefault("pass_mark_percent", Decimal(70))
    page = QuizPage(**kwargs)
    page.slots = [QuizSlot(question=q, sort_order=i) for i, q in enumerate(questions)]
    return factories.add_page(course, page)


def random_slot(quiz_page: QuizPage, category, count: int) -> None:
    QuizSlot.objects.create(
        quiz=quiz_page, category=category, count=count, sort_order=quiz_page.slots.count()
    )
