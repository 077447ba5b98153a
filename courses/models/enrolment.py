import secrets

import swapper
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.conf import lms_settings

# Letters and digits that cannot be confused when read aloud or from a projector.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_enrolment_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(lms_settings.ENROLMENT_CODE_LENGTH))


class Cohort(models.Model):
    """A training conference: one course taken together by a group of delegates."""

    name = models.CharField(_("name"), max_length=200)
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("course"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trained_cohorts",
        verbose_name=_("trainers"),
        help_text=_("Trainers may edit this cohort's course and follow its delegates."),
    )
    enrolment_code = models.CharField(
        _("enrolment code"),
        max_length=32,
        unique=True,
        default=generate_enrolment_code,
        help_text=_("Delegates type this code to join the cohort. Letters and digits only."),
    )
    enrolment_closes_at = models.DateTimeField(
        _("enrolment closes at"),
        null=True,
        blank=True,
        help_text=_("After this moment the code no longer works. Leave empty to keep it open."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        permissions = [("view_all_progress", _("Can follow the progress of every cohort"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    """A delegate taking a course, with what was true of them when they enrolled."""

    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    class Method(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        CODE = "code", _("Enrolment code")
        ROSTER = "roster", _("Roster import")
        ADMIN = "admin", _("Added by an administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("delegate"),
        # No index of its own: one_enrollment_per_course starts with this column.
        db_index=False,
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("course"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        # No index of its own: the (cohort, completed_at) index starts with this column.
        db_index=False,
    )
    method = models.CharField(_("enrolled by"), max_length=10, choices=Method.choices)
    # Snapshot at enrolment: later profile edits do not move a delegate between report rows.
    province = models.ForeignKey(
        "courses.Province",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("province"),
        null=True,
        blank=True,
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # When the delegate last took the course again (a certificate's renewal): only what they
    # do from then on counts towards completing it again (quiz attempts and grades included).
    restarted_at = models.DateTimeField(_("restarted at"), null=True, blank=True)
    last_page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last page visited"),
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course")
        ]
        indexes = [models.Index(fields=["cohort", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"


class Completion(models.Model):
    """A course item (module, or a passed quiz) that a delegate has completed."""

    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="completions",
        verbose_name=_("enrolment"),
        # No index of its own: one_completion_per_item starts with this column.
        db_index=False,
    )
    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("item"),
    )
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        ordering = ["completed_at"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "page"], name="one_completion_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} ✓ {self.page_id}"


class CourseTrainerGroup(models.Model):
    """The Wagtail group whose page permissions let a course's trainers edit it.

    Kept outside the page so that publishing an old revision can never unlink it.
    """

    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="trainer_group",
        verbose_name=_("course"),
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )

    class Meta:
        verbose_name = _("course trainer group")
        verbose_name_plural = _("course trainer groups")

    def __str__(self) -> str:
        return self.group.name
