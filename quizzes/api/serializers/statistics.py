"""Output shapes of the quiz statistics API (``quizzes.selectors.statistics``)."""

from rest_framework import serializers

from quizzes.api.serializers.attempts import QUESTION_TYPES, QuizBriefSerializer


class QuizEntrySerializer(serializers.Serializer):
    """A quiz you may analyse, with the submitted attempts and delegates you may see."""

    # The instance is a quizzes.selectors.statistics.QuizEntry.

    id = serializers.IntegerField(source="quiz.pk", read_only=True)
    title = serializers.CharField(source="quiz.title", read_only=True)
    course_title = serializers.CharField(read_only=True)
    attempts = serializers.IntegerField(read_only=True)
    delegates = serializers.IntegerField(read_only=True)


def _float(**kwargs):
    return serializers.FloatField(read_only=True, allow_null=True, **kwargs)


class QuizSummarySerializer(serializers.Serializer):
    """Whole-quiz statistics: percentages on a 0-100 scale."""

    # The instance is a quizzes.statistics.QuizStatistics.

    attempts = serializers.IntegerField(read_only=True)
    items_per_attempt = serializers.FloatField(read_only=True)
    mean = _float()
    median = _float()
    sd = _float()
    skewness = _float()
    kurtosis = _float()
    alpha = _float()
    error_ratio = _float()
    sem = _float()


class ChoiceFrequencySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="option.id", read_only=True)
    text = serializers.CharField(source="option.text", read_only=True)
    is_right = serializers.BooleanField(source="option.is_right", read_only=True)
    is_partly_right = serializers.BooleanField(source="option.is_partly_right", read_only=True)
    count = serializers.IntegerField(read_only=True)
    percent = _float()


class DistractorSerializer(serializers.Serializer):
    responses = serializers.IntegerField(read_only=True)
    unanswered = serializers.IntegerField(read_only=True)
    unanswered_percent = _float()
    choices = ChoiceFrequencySerializer(many=True, read_only=True)


class QuestionStatisticsSerializer(serializers.Serializer):
    """One question's item statistics (percentages on a 0-100 scale) and, for choice
    questions, how often each choice was picked."""

    # The instance is a quizzes.selectors.statistics.QuestionReport.

    number = serializers.IntegerField(read_only=True)
    question_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    type = serializers.ChoiceField(choices=QUESTION_TYPES, read_only=True)
    attempts = serializers.IntegerField(read_only=True)
    facility = _float()
    sd = _float()
    discrimination = _float()
    efficiency = _float()
    awaiting_grading = serializers.IntegerField(read_only=True)
    flags = serializers.SerializerMethodField()
    distractors = DistractorSerializer(read_only=True, allow_null=True)

    def get_flags(self, question) -> list[str]:
        return sorted(str(flag) for flag in question.flags)


class QuizReportSerializer(serializers.Serializer):
    """The item statistics of a quiz over the attempts you may see."""

    # The instance is {"quiz_page": QuizPage, "report": quizzes.selectors.statistics.QuizReport}.

    quiz = QuizBriefSerializer(source="quiz_page", read_only=True)
    summary = QuizSummarySerializer(source="report.quiz", read_only=True)
    questions = QuestionStatisticsSerializer(source="report.questions", many=True, read_only=True)
    awaiting_grading = serializers.IntegerField(source="report.awaiting_grading", read_only=True)
    attempts_awaiting_grading = serializers.IntegerField(
        source="report.attempts_awaiting_grading", read_only=True
    )
