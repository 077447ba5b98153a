"""Output shapes of the quizzes API.

Before review a delegate sees questions only as ``quizzes.keys.public_view`` makes them: no keys,
no correctness, no feedback. Results and review show exactly what the quiz's review options allow
(``quizzes.review.review_options``, ``quizzes.selectors.review``); keys a delegate may not see are
left out of the JSON altogether.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courses.api.toolkit import absolute_url, full_name, rich_text
from quizzes.forms import answers_from_json, flags_from_json
from quizzes.models import Attempt, Question, QuizPage
from quizzes.review import review_options

QUESTION_TYPES = Question.TYPE_CHOICES


@extend_schema_field(OpenApiTypes.ANY)
class AnyField(serializers.JSONField):
    """Any JSON value: an answer is a choice id, a list, an object, text or null."""


class ClosedByField(serializers.ChoiceField):
    """How an attempt was closed; null while it is open (stored as "")."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=Attempt.ClosedBy.choices, read_only=True, allow_null=True, **kwargs
        )

    def to_representation(self, value):
        return super().to_representation(value) if value else None


# Quizzes


class QuizSerializer(serializers.ModelSerializer):
    """A quiz's public settings."""

    course = serializers.IntegerField(source="course_pk", read_only=True)
    intro = serializers.SerializerMethodField(help_text=_("HTML."))
    required = serializers.BooleanField(source="is_required", read_only=True)
    attempts_allowed = serializers.IntegerField(read_only=True, help_text=_("0 means unlimited."))
    question_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = QuizPage
        fields = [
            "id",
            "title",
            "course",
            "intro",
            "required",
            "pass_mark_percent",
            "time_limit_minutes",
            "attempts_allowed",
            "grading_method",
            "opens_at",
            "closes_at",
            "question_count",
            "url",
        ]

    def get_intro(self, quiz) -> str:
        return rich_text(quiz.intro)

    def get_url(self, quiz) -> str:
        return absolute_url(self.context, quiz.get_url(self.context.get("request")))


# Attempts


RESULT_FIELDS = ("score", "max_score", "percent", "passed")


class AttemptSerializer(serializers.ModelSerializer):
    """One of my attempts. Its score is null while it is open and whenever the quiz's review
    options do not show scores."""

    closed_by = ClosedByField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "quiz",
            "number",
            "state",
            "closed_by",
            "started_at",
            "deadline_at",
            "submitted_at",
            "pending_grading",
            *RESULT_FIELDS,
        ]
        read_only_fields = fields

    def to_representation(self, attempt):
        data = super().to_representation(attempt)
        now = self.context.get("now") or timezone.now()
        if not review_options(attempt.quiz, attempt_open=attempt.is_open, now=now).score:
            data.update(dict.fromkeys(RESULT_FIELDS))
        return data


class ChoiceViewSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)


class QuestionViewSerializer(serializers.Serializer):
    """A question as a delegate sees it while answering."""

    # The instance is the dict of quizzes.keys.public_view.

    type = serializers.ChoiceField(choices=QUESTION_TYPES, read_only=True)
    text = serializers.CharField(read_only=True, help_text=_("HTML."))
    marks = serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, allow_null=True
    )
    choices = ChoiceViewSerializer(
        many=True,
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Choice and ordering questions: the choices, in the order to show them."),
    )
    items = ChoiceViewSerializer(
        many=True,
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Matching questions: the items to match."),
    )
    options = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Matching questions: the options to match the items with."),
    )


class AttemptQuestionSerializer(serializers.Serializer):
    """A question of my attempt with my saved answer and its revision (send the revision back
    when saving, so that a newer answer saved elsewhere is not overwritten)."""

    # The instance is a quizzes.selectors.QuestionOnPage.

    position = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    question = QuestionViewSerializer(source="view", read_only=True)
    answer = AnyField(source="response.answer", read_only=True, allow_null=True)
    revision = serializers.IntegerField(source="response.revision", read_only=True)
    flagged = serializers.BooleanField(
        source="response.flagged",
        read_only=True,
        help_text=_("Flagged for review by you (set it when saving)."),
    )


class AttemptPageSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    questions = AttemptQuestionSerializer(many=True, read_only=True)


class AttemptDetailSerializer(AttemptSerializer):
    """One of my attempts with its pages of questions, as the quiz page shows them: no answer
    keys, correctness or feedback."""

    # The pages come from the view (quizzes.selectors.page_questions), in the context.

    pages = serializers.SerializerMethodField()
    server_time = serializers.SerializerMethodField()

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "pages", "server_time"]
        read_only_fields = fields

    @extend_schema_field(AttemptPageSerializer(many=True))
    def get_pages(self, attempt):
        return AttemptPageSerializer(self.context["pages"], many=True).data

    def get_server_time(self, attempt) -> str:
        return (self.context.get("now") or timezone.now()).isoformat()


class SaveAnswersSerializer(serializers.Serializer):
    """Answers by question position, as the quiz page's autosave sends them."""

    # Read by quizzes.forms.answers_from_json, as the autosave is.

    answers = serializers.DictField(
        child=AnyField(allow_null=True),
        help_text=_('Answers by question position, e.g. {"0": 12, "1": [3, 5]}.'),
    )
    revisions = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("The revision of each answer as you last saw it, by position."),
    )
    flags = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        help_text=_(
            'Flags for review to set (true) or clear (false), by position, e.g. {"2": true}. '
            "With flags, answers may be left out."
        ),
    )

    def to_internal_value(self, data):
        try:
            answers, revisions = answers_from_json(data)
            flags = flags_from_json(data)
        except (ValueError, TypeError, AttributeError):
            raise serializers.ValidationError(
                {"answers": [_("The answers could not be read. Please try again.")]},
                code="unreadable_answers",
            ) from None
        return {"answers": answers, "revisions": revisions, "flags": flags}


class SaveResultSerializer(serializers.Serializer):
    """Which answers were saved, which were refused as stale, and the revision of each."""

    # The instance is a quizzes.services.SaveResult.

    saved = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    stale = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("Positions refused: a newer answer was saved elsewhere."),
    )
    revisions = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    flags = serializers.SerializerMethodField(
        help_text=_("The flags set or cleared by this request, by position.")
    )
    deadline = serializers.DateTimeField(source="deadline_at", read_only=True, allow_null=True)
    server_time = serializers.SerializerMethodField()

    def get_server_time(self, result) -> str:
        return timezone.now().isoformat()

    def to_representation(self, result):
        data = super().to_representation(result)
        data["revisions"] = {str(k): v for k, v in result.revisions.items()}
        return data

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "boolean"}})
    def get_flags(self, result) -> dict[str, bool]:
        # Set apart from the answers (quizzes.services.flag_questions): the view passes them.
        return {str(k): v for k, v in self.context.get("flags", {}).items()}


class QuizStatusSerializer(serializers.Serializer):
    """My attempts and grade at a quiz."""

    # The instance is a quizzes.selectors.QuizStatus.

    attempts = AttemptSerializer(many=True, read_only=True)
    open_attempt = serializers.IntegerField(
        source="open_attempt.pk", read_only=True, allow_null=True
    )
    grade = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    attempts_left = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Null: unlimited.")
    )
    passed = serializers.BooleanField(read_only=True)
    can_start = serializers.BooleanField(read_only=True)


# Review


class ReviewOptionsSerializer(serializers.Serializer):
    score = serializers.BooleanField(read_only=True)
    correctness = serializers.BooleanField(read_only=True)
    right_answers = serializers.BooleanField(read_only=True)
    feedback = serializers.BooleanField(read_only=True)


class ReviewedQuestionSerializer(serializers.Serializer):
    """A question of a submitted attempt. Keys the quiz's review options hide are absent."""

    # The instance is a quizzes.selectors.ReviewedQuestion.

    number = serializers.IntegerField(read_only=True)
    question = QuestionViewSerializer(source="view", read_only=True)
    answer = AnyField(read_only=True, allow_null=True)
    chosen = serializers.SerializerMethodField(help_text=_("Choice ids you picked."))
    # Present only where the review options allow (not read-only, so not required).
    outcome = serializers.CharField(required=False)
    earned = serializers.DecimalField(
        max_digits=9, decimal_places=4, required=False, allow_null=True
    )
    right_answers = serializers.ListField(
        source="right_answer", child=serializers.CharField(), required=False
    )
    right_choice_ids = serializers.ListField(
        source="right_ids", child=serializers.IntegerField(), required=False
    )
    feedback = serializers.ListField(child=serializers.CharField(), required=False)

    def get_chosen(self, item) -> list[int]:
        return sorted(item.chosen)

    def to_representation(self, item):
        data = super().to_representation(item)
        data["right_choice_ids"] = sorted(item.right_ids)
        options = self.context["options"]
        shown = {
            "outcome": options.correctness or options.score,
            "earned": options.score,
            "right_answers": options.right_answers,
            "right_choice_ids": options.right_answers,
            "feedback": options.feedback,
        }
        return {key: value for key, value in data.items() if shown.get(key, True)}


class ReviewSerializer(serializers.Serializer):
    attempt = AttemptSerializer(read_only=True)
    options = ReviewOptionsSerializer(read_only=True)
    questions = serializers.SerializerMethodField()
    overall_feedback = serializers.CharField(
        required=False, help_text=_("Present when the review options show feedback.")
    )
    status = QuizStatusSerializer(read_only=True)

    @extend_schema_field(ReviewedQuestionSerializer(many=True))
    def get_questions(self, review):
        context = {**self.context, "options": review["options"]}
        return ReviewedQuestionSerializer(review["questions"], many=True, context=context).data

    def to_representation(self, review):
        data = super().to_representation(review)
        if not review["options"].feedback:
            data.pop("overall_feedback", None)
        return data


# Trainers and HR


class QuizBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuizPage
        fields = ["id", "title"]


class DelegateAttemptSerializer(serializers.ModelSerializer):
    """An attempt in a trainer's or HR's scope, with the delegate as enrolled."""

    quiz = QuizBriefSerializer(read_only=True)
    full_name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="user.email", read_only=True)
    organisation = serializers.CharField(
        source="enrollment.organisation", read_only=True, allow_null=True, default=None
    )
    province = serializers.CharField(
        source="enrollment.province.name", read_only=True, allow_null=True, default=None
    )
    cohort = serializers.SerializerMethodField()
    closed_by = ClosedByField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "quiz",
            "user",
            "full_name",
            "email",
            "organisation",
            "province",
            "cohort",
            "number",
            "state",
            "closed_by",
            "started_at",
            "deadline_at",
            "submitted_at",
            "pending_grading",
            *RESULT_FIELDS,
        ]
        read_only_fields = fields

    def get_full_name(self, attempt) -> str:
        return full_name(attempt.user)

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            "required": ["id", "name"],
        }
    )
    def get_cohort(self, attempt):
        cohort = attempt.enrollment.cohort if attempt.enrollment else None
        return None if cohort is None else {"id": cohort.pk, "name": cohort.name}
