"""The question bank: categories, questions with their choices, and immutable versions."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from quizzes.scoring import QuestionType

QUESTION_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class QuestionCategory(models.Model):
    """A folder of questions in one course's bank, or in the shared bank (no course).

    As in Moodle, a course's trainers keep its bank; shared questions may be used in any course
    but are changed by administrators only (``quizzes.permissions``)."""

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,  # a deleted course's questions stay, in the shared bank
        null=True,
        blank=True,
        related_name="question_categories",
        verbose_name=_("course"),
        help_text=_(
            "The course whose bank holds this category. Leave empty to share it with every "
            "course (only administrators change shared questions)."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("course"), FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "name"],
                condition=models.Q(course__isnull=False),
                name="one_category_name_per_course_bank",
                violation_error_message=_("This course's bank already has a category so named."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(course__isnull=True),
                name="one_category_name_in_shared_bank",
                violation_error_message=_("The shared bank already has a category so named."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.course_id is None

    @property
    def bank_label(self) -> str:
        """Whose bank: the course's title, or "Shared"."""
        return self.course.title if self.course_id else str(_("Shared"))


class Question(index.Indexed, ClusterableModel):
    """A question as trainers edit it. Attempts never read it directly: they keep the
    ``QuestionVersion`` the delegate saw, so later edits never change a recorded attempt."""

    TYPE_CHOICES = [
        (QuestionType.SINGLE.value, _("Single choice")),
        (QuestionType.MULTIPLE.value, _("Multiple response")),
        (QuestionType.TRUE_FALSE.value, _("True/false")),
        (QuestionType.SHORT_ANSWER.value, _("Short answer")),
        (QuestionType.NUMERICAL.value, _("Numerical")),
        (QuestionType.MATCHING.value, _("Matching")),
        (QuestionType.ORDERING.value, _("Ordering")),
        (QuestionType.ESSAY.value, _("Essay")),
    ]

    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    name = models.CharField(
        _("name"), max_length=255, help_text=_("A short name to find the question in the bank.")
    )
    type = models.CharField(_("type"), max_length=20, choices=TYPE_CHOICES)
    text = RichTextField(_("question text"), features=QUESTION_TEXT_FEATURES)
    marks = models.DecimalField(
        _("marks"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    general_feedback = models.TextField(
        _("general feedback"),
        blank=True,
        help_text=_("Shown after the attempt, whatever the answer, if the review options allow."),
    )
    all_or_nothing = models.BooleanField(
        _("all or nothing"),
        default=False,
        help_text=_(
            "Multiple response, matching and ordering: full marks only when everything is right. "
            "Otherwise each right part earns its share."
        ),
    )
    penalise_wrong_choices = models.BooleanField(
        _("wrong picks subtract"),
        default=False,
        help_text=_("Multiple response: each wrong pick takes away as much as a right pick earns."),
    )
    case_sensitive = models.BooleanField(_("case sensitive"), default=False)
    accept_without_diacritics = models.BooleanField(
        _("accept answers without diacritics"),
        default=False,
        help_text=_("Short answer: also accept “Hoa Binh” for “Hòa Bình”."),
    )
    wildcards = models.BooleanField(
        _("wildcards in answers"),
        default=False,
        help_text=_(
            "Short answer: * in an accepted answer stands for any characters, as in Moodle "
            "(“Hà*Nội” accepts “Hà Nội” and “Hà-Nội”); write \\* for an asterisk."
        ),
    )
    shuffle_choices = models.BooleanField(
        _("shuffle choices"),
        default=True,
        help_text=_("If the quiz also shuffles choices. Ordering items are always shuffled."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("type")]),
        FieldPanel("name"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("marks"), FieldPanel("shuffle_choices")]),
        InlinePanel(
            "choices",
            heading=_("Choices and answers"),
            label=_("Choice"),
            help_text=_(
                "Single choice, multiple response and true/false: the choices, ticking the right "
                "ones. Short answer: each accepted answer. Numerical: each accepted number with "
                "its tolerance. Matching: each item with its match, and matches without an item "
                "as extra wrong options. Ordering: the items in the right order. Essay: none."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("all_or_nothing"),
                FieldPanel("penalise_wrong_choices"),
                FieldPanel("case_sensitive"),
                FieldPanel("accept_without_diacritics"),
                FieldPanel("wildcards"),
            ],
            heading=_("Grading"),
        ),
        FieldPanel("general_feedback"),
    ]
    # The bank's listing and chooser search through the search backend on the queryset the
    # user's scope leaves (``courses.admin_scope``): every field that scope filters on is a
    # FilterField, or the backend refuses the query.
    search_fields = [
        index.SearchField("name"),
        index.SearchField("text"),
        index.AutocompleteField("name"),
        index.AutocompleteField("text"),
        index.FilterField("id"),
        index.FilterField("type"),
        index.FilterField("category"),
        index.RelatedFields("category", [index.FilterField("course")]),
    ]

    class Meta:
        ordering = ["category__name", "name"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    # Blank only for a matching question's extra wrong option: a match without an item.
    text = models.TextField(
        _("choice or answer"),
        blank=True,
        help_text=_("Matching: leave the item empty to add its match as an extra wrong option."),
    )
    match = models.CharField(
        _("matches"), max_length=500, blank=True, help_text=_("Matching questions only.")
    )
    is_correct = models.BooleanField(_("correct"), default=False)
    credit_percent = models.DecimalField(
        _("credit (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "Optional partial credit for this answer, e.g. 50. Leave empty: 100 % if correct."
        ),
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Numerical questions: accept answers within ± this amount."),
    )
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct")]),
        FieldRowPanel([FieldPanel("match"), FieldPanel("credit_percent"), FieldPanel("tolerance")]),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")


class QuestionVersion(models.Model):
    """A frozen copy of a question as delegates saw it (text, choices, key, feedback)."""

    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="versions", verbose_name=_("question")
    )
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "-number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"
