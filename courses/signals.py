from django.dispatch import Signal

# Sent once, after commit, when an enrolment's last required item is completed.
# Arguments: enrollment (courses.models.Enrollment).
course_completed = Signal()
