"""Output shapes of the courses API. Serializers only shape data the selectors computed; they hold
no rules of their own."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from courses.models import Cohort, CoursePage, Enrollment

# Errors


class ErrorSerializer(serializers.Serializer):
    """Every error response: a stable code, a message in the request's language, and for
    invalid input the messages per field."""

    code = serializers.CharField(help_text=_("Stable, machine-readable error code."))
    message = serializers.CharField(help_text=_("Translated message for people."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Messages per field (`field` or `field.key`), for invalid input."),
    )
    position = serializers.IntegerField(
        required=False, help_text=_("The position of the refused answer (`invalid_answer`).")
    )


# Helpers


def absolute_url(context, url: str | None) -> str:
    request = context.get("request")
    if not url:
        return ""
    return request.build_absolute_uri(url) if request is not None else url


def item_kind(page) -> str:
    """``module`` or ``quiz``: the course item's model, as a stable code."""
    return page._meta.model_name.removesuffix("page")


def rich_text(html: str) -> str:
    return expand_db_html(html) if html else ""


# Courses


class ProgressSerializer(serializers.Serializer):
    completed = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    percent = serializers.IntegerField(
        source="percent_int", read_only=True, help_text=_("Whole percent, rounded down.")
    )
    is_complete = serializers.BooleanField(read_only=True)
    next_item = serializers.IntegerField(
        source="next_item_id",
        read_only=True,
        allow_null=True,
        help_text=_("The first item not yet completed, in teaching order."),
    )


class CourseBriefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CoursePage
        fields = ["id", "title", "code", "url"]

    def get_url(self, course) -> str:
        return absolute_url(self.context, course.get_url(self.context.get("request")))


class CourseSerializer(CourseBriefSerializer):
    enrolled = serializers.SerializerMethodField()

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "title",
            "code",
            "summary",
            "estimated_hours",
            "allow_self_enrolment",
            "url",
            "enrolled",
        ]

    def get_enrolled(self, course) -> bool:
        return course.pk in self.context.get("enrolled_course_ids", ())


class OutlineItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.SerializerMethodField(help_text=_("`module` or `quiz`."))
    kind_label = serializers.SerializerMethodField()
    required = serializers.BooleanField(read_only=True)
    completed = serializers.SerializerMethodField(
        help_text=_("Null unless you are enrolled in the course.")
    )
    url = serializers.SerializerMethodField()

    def get_kind(self, entry) -> str:
        return item_kind(entry.model)

    def get_kind_label(self, entry) -> str:
        return str(entry.kind)

    def get_completed(self, entry) -> bool | None:
        return entry.completed if self.context.get("enrolled") else None

    def get_url(self, entry) -> str:
        return absolute_url(self.context, entry.url)


class OutlineMixin(serializers.Serializer):
    outline = serializers.SerializerMethodField()

    @extend_schema_field(OutlineItemSerializer(many=True))
    def get_outline(self, outline):
        context = {**self.context, "enrolled": outline.enrollment is not None}
        return OutlineItemSerializer(outline.entries, many=True, context=context).data


class CohortBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "name"]


class EnrollmentBriefSerializer(serializers.ModelSerializer):
    cohort = CohortBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Enrollment
        fields = ["id", "cohort", "method", "enrolled_at", "completed_at", "last_activity_at"]


class CourseDetailSerializer(OutlineMixin):
    """A course with its outline; for an enrolled delegate, with their progress."""

    # The instance is a courses.selectors.Outline.

    id = serializers.IntegerField(source="course.pk", read_only=True)
    title = serializers.CharField(source="course.title", read_only=True)
    code = serializers.CharField(source="course.code", read_only=True)
    summary = serializers.CharField(source="course.summary", read_only=True)
    description = serializers.SerializerMethodField(help_text=_("HTML."))
    outcomes = serializers.SerializerMethodField()
    estimated_hours = serializers.DecimalField(
        source="course.estimated_hours",
        max_digits=5,
        decimal_places=1,
        read_only=True,
        allow_null=True,
    )
    allow_self_enrolment = serializers.BooleanField(
        source="course.allow_self_enrolment", read_only=True
    )
    url = serializers.SerializerMethodField()
    enrolled = serializers.SerializerMethodField()
    enrolment = EnrollmentBriefSerializer(source="enrollment", read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField(help_text=_("Null unless you are enrolled."))

    def get_description(self, outline) -> str:
        return rich_text(outline.course.description)

    def get_outcomes(self, outline) -> list[str]:
        return [str(block.value) for block in outline.course.outcomes]

    def get_url(self, outline) -> str:
        return absolute_url(self.context, outline.course.get_url(self.context.get("request")))

    def get_enrolled(self, outline) -> bool:
        return outline.enrollment is not None

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, outline):
        if outline.enrollment is None:
            return None
        return ProgressSerializer(outline.progress).data


# Enrolments


class EnrollmentSerializer(serializers.Serializer):
    """One of my enrolments with its progress."""

    # The instance is the courses.selectors.Outline of an enrolled delegate.

    id = serializers.IntegerField(source="enrollment.pk", read_only=True)
    course = CourseBriefSerializer(read_only=True)
    cohort = CohortBriefSerializer(source="enrollment.cohort", read_only=True, allow_null=True)
    method = serializers.ChoiceField(
        source="enrollment.method", choices=Enrollment.Method.choices, read_only=True
    )
    enrolled_at = serializers.DateTimeField(source="enrollment.enrolled_at", read_only=True)
    completed_at = serializers.DateTimeField(
        source="enrollment.completed_at", read_only=True, allow_null=True
    )
    last_activity_at = serializers.DateTimeField(
        source="enrollment.last_activity_at", read_only=True, allow_null=True
    )
    progress = ProgressSerializer(read_only=True)


class EnrollmentDetailSerializer(OutlineMixin, EnrollmentSerializer):
    """One of my enrolments with its progress and the course outline."""


class EnrolmentCodeSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=64, help_text=_("The cohort's enrolment code; spaces and case do not matter.")
    )


class CompletionSerializer(serializers.Serializer):
    item = serializers.IntegerField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True)
    enrolment = EnrollmentSerializer(read_only=True)


# Trainers and HR


class CohortSerializer(serializers.ModelSerializer):
    course = CourseBriefSerializer(read_only=True)
    delegate_count = serializers.IntegerField(read_only=True)
    completed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cohort
        fields = [
            "id",
            "name",
            "course",
            "starts_on",
            "ends_on",
            "venue",
            "organiser",
            "enrolment_code",
            "enrolment_closes_at",
            "capacity",
            "delegate_count",
            "completed_count",
        ]


PROGRESS_STATUSES = [
    ("completed", _("Completed")),
    ("in_progress", _("In progress")),
    ("not_started", _("Not started")),
]


def full_name(user) -> str:
    profile = getattr(user, "delegate_profile", None)
    if profile is not None:
        return profile.full_name
    return user.get_full_name() or user.get_username()


class DelegateProgressSerializer(serializers.Serializer):
    """A delegate of the cohort with their progress (the enrolment's snapshot of organisation,
    position and province)."""

    # The instance is a courses.selectors.DelegateProgressRow.

    enrolment = serializers.IntegerField(source="enrollment.pk", read_only=True)
    user = serializers.IntegerField(source="enrollment.user_id", read_only=True)
    full_name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="enrollment.user.email", read_only=True)
    organisation = serializers.CharField(source="enrollment.organisation", read_only=True)
    position = serializers.CharField(source="enrollment.position", read_only=True)
    province = serializers.CharField(
        source="enrollment.province.name", read_only=True, allow_null=True, default=None
    )
    status = serializers.ChoiceField(choices=PROGRESS_STATUSES, read_only=True)
    progress = ProgressSerializer(read_only=True)
    enrolled_at = serializers.DateTimeField(source="enrollment.enrolled_at", read_only=True)
    last_activity_at = serializers.DateTimeField(
        source="enrollment.last_activity_at", read_only=True, allow_null=True
    )
    completed_at = serializers.DateTimeField(
        source="enrollment.completed_at", read_only=True, allow_null=True
    )

    def get_full_name(self, row) -> str:
        return full_name(row.enrollment.user)
