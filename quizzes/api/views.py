"""The quizzes API: quiz settings and my status, starting, answering, submitting and reviewing my
attempts; for trainers and HR, the attempts in their scope and item statistics.

Commands call ``quizzes.services`` and reads ``quizzes.selectors``, as the HTML views in
``quizzes/views/attempts.py`` do; nothing here decides who may do what beyond choosing the
queryset.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import status as http
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from courses.api.toolkit import (
    ID_SCHEMA,
    APIViewSetMixin,
    FollowsCohorts,
    domain_errors,
    error_response,
    extend_schema,
    filtered,
    validated,
)
from courses.exceptions import NotEnrolled
from quizzes import exceptions, selectors, services
from quizzes.api import serializers
from quizzes.api.errors import AttemptStillOpen
from quizzes.api.filters import AttemptFilterSet, DelegateAttemptFilterSet, QuizFilterSet
from quizzes.api.selectors import quizzes_open_to
from quizzes.models import Attempt, QuizPage
from quizzes.selectors import question_count
from quizzes.selectors import statistics as stats_selectors
from quizzes.views.statistics import StatisticsFilterSet

START_ERRORS = domain_errors(
    exceptions.QuizNotOpen,
    exceptions.QuizClosed,
    exceptions.QuizMisconfigured,
    NotEnrolled,
    exceptions.NoAttemptsLeft,
)
SAVE_ERRORS = domain_errors(
    exceptions.BadAnswer,
    exceptions.NotInAttempt,
    exceptions.AttemptClosed,
    exceptions.TimeExpired,
    also={400: "`invalid_input`"},
)
REVIEW_ERRORS = domain_errors(AttemptStillOpen)


@extend_schema_view(
    list=extend_schema(summary=_("Quizzes of your courses"), tags=["quizzes"]),
    retrieve=extend_schema(summary=_("A quiz's public settings"), tags=["quizzes"]),
)
class QuizAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Live, public quizzes of the courses you are enrolled in or follow as trainer or HR."""

    queryset = QuizPage.objects.none()
    serializer_class = serializers.QuizSerializer
    filterset_class = QuizFilterSet

    def get_queryset(self):
        return quizzes_open_to(self.request.user).prefetch_related("slots").order_by("path")

    def get_object(self):
        quiz = super().get_object()
        quiz.question_count = question_count(quiz)
        return quiz

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for quiz in page:
            quiz.question_count = question_count(quiz)
        return page

    @extend_schema(summary=_("Your attempts and grade at the quiz"), tags=["quizzes"])
    @action(detail=True, methods=["get"], serializer_class=serializers.QuizStatusSerializer)
    def status(self, request, pk=None):
        quiz_status = selectors.quiz_status(quiz=self.get_object(), user=request.user)
        return Response(self.get_serializer(quiz_status).data)

    @extend_schema(
        summary=_("Start an attempt (or get your open one)"),
        description=_("201 with a new attempt; 200 with the attempt already open."),
        tags=["attempts"],
        request=None,
        responses={
            200: serializers.AttemptDetailSerializer,
            201: serializers.AttemptDetailSerializer,
            **START_ERRORS,
        },
    )
    @action(detail=True, methods=["post"], throttle_scope="attempt_write")
    def start(self, request, pk=None):
        now = timezone.now()
        attempt = services.start_attempt(quiz=self.get_object(), user=request.user, now=now)
        created = attempt.started_at == now
        code = http.HTTP_201_CREATED if created else http.HTTP_200_OK
        return Response(attempt_detail(attempt, self.get_serializer_context()), status=code)


def attempt_detail(attempt: Attempt, context: dict) -> dict:
    pages = [
        {"number": index + 1, "questions": selectors.page_questions(attempt=attempt, page=index)}
        for index in range(len(attempt.pages))
    ]
    context = {**context, "pages": pages, "now": timezone.now()}
    return serializers.AttemptDetailSerializer(attempt, context=context).data


@extend_schema_view(
    list=extend_schema(summary=_("My attempts"), tags=["attempts"]),
    retrieve=extend_schema(
        summary=_("One of my attempts, with its pages of questions (no answer keys)"),
        tags=["attempts"],
        responses=serializers.AttemptDetailSerializer,
    ),
)
class AttemptAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own attempts; anyone else's do not exist for them."""

    queryset = Attempt.objects.none()
    serializer_class = serializers.AttemptSerializer
    filterset_class = AttemptFilterSet

    def get_queryset(self):
        return (
            Attempt.objects.filter(user=self.request.user)
            .select_related("quiz")
            .order_by("-started_at", "-pk")
        )

    def get_object(self):
        attempt = selectors.attempt_for(attempt_id=self.kwargs["pk"], user=self.request.user)
        if attempt is None:
            raise Http404
        return attempt

    def retrieve(self, request, *args, **kwargs):
        attempt = self.get_object()
        if attempt.is_open and services.is_overdue(attempt, timezone.now()):
            # As the attempt page does: time is up, so the attempt is submitted now.
            attempt = services.submit_attempt(attempt_id=attempt.pk, user=request.user)
        return Response(attempt_detail(attempt, self.get_serializer_context()))

    @extend_schema(
        summary=_("Save answers (the quiz page's autosave)"),
        request=serializers.SaveAnswersSerializer,
        responses={200: serializers.SaveResultSerializer, **SAVE_ERRORS},
    )
    @action(detail=True, methods=["post"], throttle_scope="attempt_write")
    def save(self, request, pk=None):
        attempt = self.get_object()
        data = validated(serializers.SaveAnswersSerializer, request.data)
        result = services.save_answers(
            attempt_id=attempt.pk,
            user=request.user,
            answers=data["answers"],
            seen_revisions=data["revisions"],
        )
        flags = services.flag_questions(
            attempt_id=attempt.pk, user=request.user, flags=data["flags"]
        )
        return Response(serializers.SaveResultSerializer(result, context={"flags": flags}).data)

    @extend_schema(
        summary=_("Submit the attempt for scoring"),
        description=_("Submitting again returns the same graded attempt."),
        request=None,
        responses={200: serializers.AttemptSerializer},
    )
    @action(detail=True, methods=["post"], throttle_scope="attempt_write")
    def submit(self, request, pk=None):
        attempt = services.submit_attempt(attempt_id=self.get_object().pk, user=request.user)
        return Response(self.get_serializer(attempt).data)

    @extend_schema(
        summary=_("Review a submitted attempt, as the quiz's review options allow"),
        responses={200: serializers.ReviewSerializer, **REVIEW_ERRORS},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def review(self, request, pk=None):
        attempt = self.get_object()
        if attempt.is_open:
            raise AttemptStillOpen()
        options, questions, overall = selectors.review(attempt=attempt, now=timezone.now())
        review = {
            "attempt": attempt,
            "options": options,
            "questions": questions,
            "overall_feedback": overall,
            "status": selectors.quiz_status(quiz=attempt.quiz, user=request.user),
        }
        context = self.get_serializer_context()
        return Response(serializers.ReviewSerializer(review, context=context).data)


@extend_schema_view(
    list=extend_schema(summary=_("Attempts of the delegates you follow"), tags=["reports"]),
    retrieve=extend_schema(summary=_("An attempt of a delegate you follow"), tags=["reports"]),
)
class DelegateAttemptAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Trainers: attempts of the delegates in the cohorts they train. HR: every attempt."""

    queryset = Attempt.objects.none()
    serializer_class = serializers.DelegateAttemptSerializer
    filterset_class = DelegateAttemptFilterSet
    permission_classes = [FollowsCohorts]

    def get_queryset(self):
        return selectors.attempts_visible_to(self.request.user).order_by("-started_at", "-pk")


STATISTICS_PARAMETERS = [
    OpenApiParameter("cohort", ID_SCHEMA, description=_("Only this cohort's delegates.")),
    OpenApiParameter("province", ID_SCHEMA, description=_("Province id (at enrolment).")),
    OpenApiParameter("organisation", OpenApiTypes.STR, description=_("Words in the organisation.")),
    OpenApiParameter(
        "attempts",
        OpenApiTypes.STR,
        enum=[stats_selectors.ALL_ATTEMPTS],
        description=_("`all`: every submitted attempt. Default: each delegate's first."),
    ),
]


@extend_schema_view(
    list=extend_schema(summary=_("Quizzes you may analyse"), tags=["reports"]),
    retrieve=extend_schema(
        summary=_("Item statistics of a quiz"),
        tags=["reports"],
        parameters=STATISTICS_PARAMETERS,
        responses={
            200: serializers.QuizReportSerializer,
            400: error_response(_("An invalid filter value (`invalid_input`).")),
        },
    ),
)
class QuizStatisticsAPIViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Moodle-style item analysis (``quizzes.selectors.statistics``): HR every quiz, trainers the
    quizzes of the courses they train, over the attempts of their delegates."""

    queryset = QuizPage.objects.none()
    serializer_class = serializers.QuizEntrySerializer
    permission_classes = [FollowsCohorts]
    filterset_class = None

    def get_queryset(self):
        return stats_selectors.quizzes_for_statistics(self.request.user).order_by("path")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(stats_selectors.quiz_entries(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        report = self.report(self.get_object())
        context = self.get_serializer_context()
        data = serializers.QuizReportSerializer(report, context=context).data
        return Response(data)

    def report(self, quiz: QuizPage) -> dict:
        attempts = stats_selectors.scoped_attempts(quiz=quiz, user=self.request.user)
        filters = filtered(
            StatisticsFilterSet,
            self.request.query_params,
            attempts,
            quiz=quiz,
            user=self.request.user,
        )
        which = filters.form.cleaned_data.get("attempts") or stats_selectors.FIRST_ATTEMPTS
        attempts = stats_selectors.restrict_attempts(filters.qs, which)
        return {
            "quiz_page": quiz,
            "report": stats_selectors.quiz_report(quiz=quiz, attempts=attempts),
        }
