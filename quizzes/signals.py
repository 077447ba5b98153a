from django.dispatch import Signal

# Sent after commit when a submitted attempt passes. Arguments: attempt (quizzes.models.Attempt).
# Course completion itself is announced by courses.signals.course_completed.
attempt_passed = Signal()
