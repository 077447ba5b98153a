"""A quiz is a page in the course tree: its settings, slots and feedback bands."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from courses.blocks import RICH_TEXT_FEATURES
from courses.models import CourseItem
from quizzes.page_forms import QuizPageForm
from quizzes.scoring import GradingMethod


class QuizPage(CourseItem, Page):  # noqa: DJ008 (Page provides __str__)
    """A quiz placed in a course: after a module, or as the final test."""

    completed_by_delegate = False  # completed by passing it, never by a button

    GRADING_CHOICES = [
        (GradingMethod.HIGHEST.value, _("Highest attempt")),
        (GradingMethod.AVERAGE.value, _("Average of attempts")),
        (GradingMethod.FIRST.value, _("First attempt")),
        (GradingMethod.LAST.value, _("Last attempt")),
    ]

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    pass_mark_percent = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GRADING_CHOICES,
        default=GradingMethod.HIGHEST.value,
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Open attempts are submitted automatically at this time."),
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=5, help_text=_("0 puts every question on one page.")
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)

    # What the delegate may see on review, right after submitting and once the quiz has closed.
    review_score_after_submit = models.BooleanField(_("score"), default=True)
    review_correctness_after_submit = models.BooleanField(_("right or wrong"), default=True)
    review_answers_after_submit = models.BooleanField(_("right answers"), default=False)
    review_feedback_after_submit = models.BooleanField(_("feedback"), default=True)
    review_score_after_close = models.BooleanField(_("score"), default=True)
    review_correctness_after_close = models.BooleanField(_("right or wrong"), default=True)
    review_answers_after_close = models.BooleanField(_("right answers"), default=True)
    review_feedback_after_close = models.BooleanField(_("feedback"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel(
            "slots",
            heading=_("Questions"),
            label=_("Slot"),
            min_num=1,
            help_text=_("Each slot is one fixed question, or N random questions from a category."),
        ),
        InlinePanel("feedback_bands", heading=_("Overall feedback"), label=_("Band")),
    ]
    settings_panels = CourseItem.settings_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark_percent"), FieldPanel("grading_method")]),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("attempts_allowed")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Timing and grading"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("questions_per_page"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
            ],
            heading=_("Layout"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("review_score_after_submit"),
                        FieldPanel("review_correctness_after_submit"),
                        FieldPanel("review_answers_after_submit"),
                        FieldPanel("review_feedback_after_submit"),
                    ]
                ),
            ],
            heading=_("Review right after submitting"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("review_score_after_close"),
                        FieldPanel("review_correctness_after_close"),
                        FieldPanel("review_answers_after_close"),
                        FieldPanel("review_feedback_after_close"),
                    ]
                ),
            ],
            heading=_("Review after the quiz closes"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    base_form_class = QuizPageForm

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})

    def get_item_context(self, request, *, course, enrollment) -> dict:
        from quizzes import selectors

        return {
            "status": selectors.quiz_status(quiz=self, user=request.user),
            "question_count": selectors.question_count(self),
        }


class QuizSlot(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(
        "quizzes.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    category = models.ForeignKey(
        "quizzes.QuestionCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("or random from category"),
    )
    count = models.PositiveSmallIntegerField(
        _("how many random questions"), default=1, validators=[MinValueValidator(1)]
    )

    panels = [
        FieldPanel("question"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("count")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("slot")
        verbose_name_plural = _("slots")

    def clean(self):
        if bool(self.question_id) == bool(self.category_id):
            raise ValidationError(
                _("Choose either a question or a category to draw random questions from.")
            )


class QuizFeedbackBand(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="feedback_bands")
    min_percent = models.DecimalField(
        _("from score (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    text = models.TextField(_("feedback"))

    panels = [FieldPanel("min_percent"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("feedback band")
        verbose_name_plural = _("feedback bands")
