"""The courses API: the catalogue, my enrolments, completing items, and cohorts for trainers and
HR. Reads are scoped in ``get_queryset()``; commands validate, call ``courses.services`` and
serialize what ``courses.selectors`` return, exactly as the HTML views do."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from wagtail.models import Page

from courses import exceptions, selectors, services
from courses.admin_views import CohortProgressFilterSet, with_status
from courses.api import serializers
from courses.api.base import APIViewSetMixin
from courses.api.converters import ID_SCHEMA
from courses.api.filters import CohortFilterSet, CourseFilterSet, EnrollmentFilterSet, filtered
from courses.api.permissions import FollowsCohorts
from courses.api.schema import domain_errors, error_response, extend_schema
from courses.api.selectors import enrolled_course_ids
from courses.models import Cohort, CoursePage, Enrollment

ENROL_ERRORS = domain_errors(
    exceptions.CourseUnavailable, exceptions.SelfEnrolmentClosed, exceptions.AlreadyEnrolled
)
JOIN_ERRORS = domain_errors(
    exceptions.UnknownEnrolmentCode,
    exceptions.EnrolmentCodeExpired,
    exceptions.CourseUnavailable,
    exceptions.AlreadyEnrolled,
    exceptions.CohortFull,
    also={400: "`invalid_input`"},
)
COMPLETE_ERRORS = domain_errors(exceptions.NotACourseItem, exceptions.NotEnrolled)


@extend_schema_view(
    list=extend_schema(summary=_("Published courses"), tags=["courses"]),
    retrieve=extend_schema(
        summary=_("A course with its outline (and your progress, if enrolled)"),
        tags=["courses"],
        responses=serializers.CourseDetailSerializer,
    ),
)
class CourseAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The catalogue: published, public courses. Open to everyone, as on the site."""

    queryset = CoursePage.objects.none()
    serializer_class = serializers.CourseSerializer
    filterset_class = CourseFilterSet
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return CoursePage.objects.live().public().order_by("path")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            context["enrolled_course_ids"] = enrolled_course_ids(self.request.user)
        return context

    def retrieve(self, request, *args, **kwargs):
        overview = selectors.course_overview(course=self.get_object(), user=request.user)
        data = serializers.CourseDetailSerializer(
            overview["outline"], context=self.get_serializer_context()
        ).data
        return Response(data)

    @extend_schema(
        summary=_("Enrol yourself in the course"),
        tags=["enrolments"],
        request=None,
        responses={201: serializers.EnrollmentSerializer, **ENROL_ERRORS},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def enrol(self, request, pk=None):
        enrollment = services.enrol(user=request.user, course=self.get_object())
        return enrolment_response(self, enrollment, status.HTTP_201_CREATED)


def enrolment_response(view, enrollment: Enrollment, code: int = status.HTTP_200_OK) -> Response:
    outline = selectors.course_outline(
        course=enrollment.course, enrollment=enrollment, request=view.request
    )
    data = serializers.EnrollmentSerializer(outline, context=view.get_serializer_context()).data
    return Response(data, status=code)


@extend_schema_view(
    list=extend_schema(summary=_("My enrolments with progress"), tags=["enrolments"]),
    retrieve=extend_schema(
        summary=_("One of my enrolments, with the course outline"),
        tags=["enrolments"],
        responses=serializers.EnrollmentDetailSerializer,
    ),
)
class EnrollmentAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own enrolments; nobody else's, whatever their role."""

    queryset = Enrollment.objects.none()
    serializer_class = serializers.EnrollmentSerializer
    filterset_class = EnrollmentFilterSet

    def get_queryset(self):
        return (
            Enrollment.objects.filter(user=self.request.user)
            .select_related("course", "cohort")
            .order_by("-enrolled_at", "-pk")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        outlines = {
            entry.enrollment.pk: entry.outline
            for entry in selectors.dashboard(user=request.user, request=request)
        }
        rows = [
            outlines.get(e.pk)
            or selectors.course_outline(course=e.course, enrollment=e, request=request)
            for e in page
        ]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        enrollment = self.get_object()
        outline = selectors.course_outline(
            course=enrollment.course, enrollment=enrollment, request=request
        )
        context = self.get_serializer_context()
        return Response(serializers.EnrollmentDetailSerializer(outline, context=context).data)

    @extend_schema(
        summary=_("Join a cohort with its enrolment code"),
        request=serializers.EnrolmentCodeSerializer,
        responses={201: serializers.EnrollmentSerializer, **JOIN_ERRORS},
    )
    @action(detail=False, methods=["post"], throttle_scope="enrolment_code")
    def join(self, request):
        code = validated(serializers.EnrolmentCodeSerializer, request.data)["code"]
        enrollment = services.enrol_with_code(user=request.user, code=code)
        return enrolment_response(self, enrollment, status.HTTP_201_CREATED)


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ItemAPIViewSet(APIViewSetMixin, viewsets.GenericViewSet):
    """Course items (modules, quizzes) by page id. Their titles and kinds are in the course's
    outline; here they are completed."""

    queryset = Page.objects.none()

    def get_queryset(self):
        return Page.objects.live().public()

    @extend_schema(
        summary=_("Mark a course item complete"),
        tags=["enrolments"],
        request=None,
        responses={200: serializers.CompletionSerializer, **COMPLETE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        completion = services.complete_item(user=request.user, page=self.get_object())
        enrollment = completion.enrollment
        outline = selectors.course_outline(
            course=enrollment.course, enrollment=enrollment, request=request
        )
        data = {"item": completion.page_id, "completed_at": completion.completed_at}
        data["enrolment"] = outline
        context = self.get_serializer_context()
        return Response(serializers.CompletionSerializer(data, context=context).data)


PROGRESS_PARAMETERS = [
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=[value for value, _label in serializers.PROGRESS_STATUSES],
        description=_("Only delegates with this status."),
    ),
    OpenApiParameter("province", ID_SCHEMA, description=_("Province id (at enrolment).")),
]


@extend_schema_view(
    list=extend_schema(summary=_("Cohorts you follow, with summaries"), tags=["cohorts"]),
    retrieve=extend_schema(summary=_("A cohort you follow"), tags=["cohorts"]),
)
class CohortAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Trainers see the cohorts they train; HR (``courses.view_all_progress``) every cohort."""

    queryset = Cohort.objects.none()
    serializer_class = serializers.CohortSerializer
    filterset_class = CohortFilterSet
    permission_classes = [FollowsCohorts]

    def get_queryset(self):
        cohorts = selectors.cohorts_visible_to(self.request.user)
        return selectors.cohort_summaries(cohorts).order_by("-starts_on", "name", "pk")

    @extend_schema(
        summary=_("The cohort's delegates with their progress"),
        tags=["cohorts"],
        parameters=PROGRESS_PARAMETERS,
        responses={
            200: serializers.DelegateProgressSerializer(many=True),
            400: error_response(_("An invalid filter value (`invalid_input`).")),
        },
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def progress(self, request, pk=None):
        cohort = self.get_object()
        enrollments = with_status(cohort.enrollments.all())
        kept = set(
            filtered(CohortProgressFilterSet, request.query_params, enrollments).qs.values_list(
                "pk", flat=True
            )
        )
        rows = [r for r in selectors.cohort_progress(cohort=cohort) if r.enrollment.pk in kept]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            serializers.DelegateProgressSerializer(page, many=True).data
        )
