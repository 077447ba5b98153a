from courses.models.enrolment import (
    Cohort,
    Completion,
    CourseTrainerGroup,
    Enrollment,
    generate_enrolment_code,
)
from courses.models.pages import CourseIndexPage, CourseItem, CoursePage, ModulePage
from courses.models.people import DelegateProfile, FormerProvince, Province

__all__ = [
    "Cohort",
    "Completion",
    "CourseIndexPage",
    "CourseItem",
    "CourseTrainerGroup",
    "CoursePage",
    "DelegateProfile",
    "Enrollment",
    "FormerProvince",
    "ModulePage",
    "Province",
    "generate_enrolment_code",
]
