"""Who reaches which question, category and attempt (see ``courses.permissions``).

Question banks follow Moodle's course banks: a category belongs to one course's bank (its
trainers read, use and change its questions) or to the shared bank (``course`` empty): every
trainer reads and uses shared questions; only superusers change them. Attempts are records of
the delegates of a cohort, reached as the cohort is.
"""

from courses.permissions import CohortScopedPolicy, CourseScopedPolicy, ReadOnlyMixin

# What a trainer may do with the shared bank's categories and questions.
SHARED_ACTIONS = frozenset({"view"})


class QuestionCategoryPermissionPolicy(CourseScopedPolicy):
    owner = "course_id"
    shared_actions = SHARED_ACTIONS


class QuestionPermissionPolicy(CourseScopedPolicy):
    owner = "category__course_id"
    shared_actions = SHARED_ACTIONS


class AttemptPermissionPolicy(ReadOnlyMixin, CohortScopedPolicy):
    owner = "enrollment__cohort_id"
