"""Put each existing question category into the bank of the one course whose quizzes use it.

A category whose questions (or random draws) appear in the quizzes of exactly one course goes
into that course's bank; one used by several courses, or by none, stays shared (administrators
change it; every course may use it). Nothing is deleted or renamed.
"""

from collections import defaultdict

from django.db import migrations

STEPLEN = 4  # treebeard's path step in Wagtail's page tree


def assign(apps, schema_editor):
    QuestionCategory = apps.get_model("quizzes", "QuestionCategory")
    QuizSlot = apps.get_model("quizzes", "QuizSlot")
    CoursePage = apps.get_model("courses", "CoursePage")

    course_by_path = dict(CoursePage.objects.values_list("path", "pk"))
    courses_of = defaultdict(set)
    for quiz_path, question_category, slot_category in QuizSlot.objects.values_list(
        "quiz__path", "question__category_id", "category_id"
    ):
        course = course_by_path.get(quiz_path[:-STEPLEN])
        for category in (question_category, slot_category):
            if category is not None and course is not None:
                courses_of[category].add(course)
    for category in QuestionCategory.objects.filter(course__isnull=True):
        courses = courses_of.get(category.pk, set())
        if len(courses) != 1:
            continue
        (course,) = courses
        if QuestionCategory.objects.filter(course_id=course, name=category.name).exists():
            continue  # pragma: no cover - a bank cannot hold two of a name
        category.course_id = course
        category.save(update_fields=["course"])


def share_again(apps, schema_editor):
    apps.get_model("quizzes", "QuestionCategory").objects.update(course=None)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_coursepage_outline_version"),
        ("quizzes", "0002_question_category_course_bank"),
    ]

    operations = [migrations.RunPython(assign, share_again)]
