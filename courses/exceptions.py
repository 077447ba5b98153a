"""Domain errors. Each carries a stable code and a translated message for the user."""

from django.utils.translation import gettext_lazy as _


class LMSError(Exception):
    code = "lms_error"
    message = _("The request could not be completed.")

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class EnrolmentError(LMSError):
    code = "enrolment_error"


class AlreadyEnrolled(EnrolmentError):
    code = "already_enrolled"
    message = _("You are already enrolled in this course.")


class SelfEnrolmentClosed(EnrolmentError):
    code = "self_enrolment_closed"
    message = _("This course is open only to delegates with an enrolment code.")


class UnknownEnrolmentCode(EnrolmentError):
    code = "unknown_enrolment_code"
    message = _("This enrolment code is not valid. Check it with your organiser.")


class EnrolmentCodeExpired(EnrolmentError):
    code = "enrolment_code_expired"
    message = _("Enrolment with this code has closed.")


class CohortFull(EnrolmentError):
    code = "cohort_full"
    message = _("This cohort is full.")


class CourseUnavailable(EnrolmentError):
    code = "course_unavailable"
    message = _("This course is not available.")


class NotEnrolled(LMSError):
    code = "not_enrolled"
    message = _("You are not enrolled in this course.")


class NotACourseItem(LMSError):
    code = "not_a_course_item"
    message = _("This page is not part of a course you can complete.")


class CompletedByPassing(LMSError):
    code = "completed_by_passing"
    message = _("A quiz is completed by passing it.")


class SignupLinkInvalid(LMSError):
    code = "signup_link_invalid"
    message = _(
        "This confirmation link is not valid: it has expired, was replaced by a newer sign-up, "
        "or has already been used. Sign up again to get a new one."
    )


class SignupAlreadyConfirmed(LMSError):
    code = "signup_already_confirmed"
    message = _("This email address already has an account. Sign in with it.")
