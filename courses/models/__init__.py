from courses.models.enrolment import (
    Cohort,
    Completion,
    CourseTrainerGroup,
    Enrollment,
    generate_enrolment_code,
)
from courses.models.pages import CourseIndexPage, CourseItem, CoursePage, ModulePage
from courses.models.people import DelegateProfile, FormerProvince, Province, SignupRequest
from courses.models.privacy import Consent, DataRequest, ErasedAccount, PersonalDataAccess

__all__ = [
    "Cohort",
    "Consent",
    "DataRequest",
    "ErasedAccount",
    "PersonalDataAccess",
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
    "SignupRequest",
    "generate_enrolment_code",
]
