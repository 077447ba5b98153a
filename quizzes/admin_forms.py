from decimal import Decimal

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses import uploads
from courses.admin_toolkit import ScopedModelFormMixin
from courses.compat import permission_policy_for
from courses.models import CoursePage
from courses.permissions import VISIBLE_ACTIONS
from quizzes import formats, importing
from quizzes.formats import FORMAT_LABELS, QuestionFileError
from quizzes.keys import validate_snapshot
from quizzes.models import Question, QuestionCategory
from quizzes.question_types import without_unused_fields
from quizzes.scoring import QuestionType, parse_number
from quizzes.selectors.importing import banks_for, categories_for


class QuestionCategoryAdminForm(ScopedModelFormMixin, WagtailAdminModelForm):
    """A category goes into a bank the user may change: a course they train (administrators:
    any course, or the shared bank)."""


class QuestionAdminForm(ScopedModelFormMixin, WagtailAdminModelForm):
    """The question editor. Beyond field validation, the question as a whole must make sense
    (a right choice, matches for every item, ...): ``quizzes.keys.validate_snapshot`` decides,
    as it does for imports and the API.

    Only the fields of the chosen type count: the others are put back to their defaults before
    validation (``quizzes.question_types``), so the form works the same with the script that
    hides them and without it."""

    class Media:
        js = ["quizzes/question_form.js"]
        css = {"all": ["quizzes/admin.css"]}

    def __init__(self, data=None, *args, **kwargs):
        if data is None:
            data = kwargs.pop("data", None)
        if data is not None:
            data = without_unused_fields(data)
        super().__init__(data, *args, **kwargs)
        type_field = self.fields.get("type")
        if type_field is not None:
            type_field.widget.attrs["data-question-type-select"] = ""
            if self.instance.pk is None and not self.initial.get("type"):
                self.initial["type"] = QuestionType.SINGLE.value

    def snapshot(self) -> dict:
        data = self.cleaned_data
        choices = []
        for form in self.formsets["choices"].forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if not cleaned or cleaned.get("DELETE"):
                continue
            choices.append(
                {
                    "id": 0,
                    "text": cleaned.get("text", ""),
                    "match": cleaned.get("match", ""),
                    "is_correct": cleaned.get("is_correct", False),
                    "credit_percent": cleaned.get("credit_percent"),
                    "tolerance": cleaned.get("tolerance"),
                }
            )
        return {
            "type": data.get("type"),
            "text": data.get("text", ""),
            "marks": data.get("marks"),
            "wildcards": data.get("wildcards", False),
            "choices": choices,
        }

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            return False
        problems = validate_snapshot(self.snapshot())
        for problem in problems:
            self.add_error(None, problem)
        return not problems


class MarksField(forms.Field):
    """Marks as trainers type them: "1,5" (the Vietnamese decimal comma) or "1.5"; shown back
    as the listings show numbers (``floatformat``, localised)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8})

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            return floatformat(value, "-2")
        return value

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        number = parse_number(text[:50])
        if number is None:
            raise forms.ValidationError(_("Enter the marks as a number, e.g. 1,5."), code="invalid")
        return number


class GradeForm(forms.Form):
    grade = MarksField(label=_("Grade"))
    comment = forms.CharField(
        label=_("Comment for the delegate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks = Decimal(str(marks))
        self.fields["grade"].help_text = _("Out of %(marks)s.") % {
            "marks": floatformat(self.marks, "-2")
        }

    def clean_grade(self):
        grade = self.cleaned_data["grade"]
        if grade < 0 or grade > self.marks:
            raise forms.ValidationError(
                _("The grade must be between 0 and %(marks)s.")
                % {"marks": floatformat(self.marks, "-2")}
            )
        if grade != grade.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Give the grade to two decimal places at most."))
        return grade


# Question import and export (quizzes/views/importing.py)

MAX_SELECTION = 5000  # questions exported at once


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file"),
        help_text=gettext_lazy(
            "GIFT or Aiken as a UTF-8 text file, or the Excel template (.xlsx) filled in."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.gift,.xlsx"}),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[(fmt.value, label) for fmt, label in FORMAT_LABELS.items()],
        widget=forms.RadioSelect,
    )
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course bank"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=gettext_lazy("Shared bank (every course)"),
        help_text=gettext_lazy(
            "The course whose question bank receives a new category, and the categories the "
            "file names. An existing category keeps its own bank."
        ),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=QuestionCategory.objects.none(),
        required=False,
        help_text=gettext_lazy("Questions go here unless the file names their category."),
    )
    new_category = forms.CharField(
        label=gettext_lazy("Or a new category"),
        max_length=formats.MAX_CATEGORY_LENGTH,
        required=False,
        help_text=gettext_lazy("Created with the first question imported into it."),
    )
    use_file_categories = forms.BooleanField(
        label=gettext_lazy("Use the categories named in the file"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "GIFT “$CATEGORY:” lines and the Excel category column. Untick to put every "
            "question into the category above."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        courses, shared = banks_for(user)
        self.fields["course"].queryset = courses
        self.shared_allowed = shared
        if not shared:
            self.fields["course"].empty_label = None
        self.fields["category"].queryset = categories_for(user)
        message = gettext(
            "You may not choose this: it belongs to a course you do not train, or it is shared "
            "and only administrators change it."
        )
        for name in ("course", "category"):
            self.fields[name].error_messages["invalid_choice"] = message

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content = uploads.read_upload(upload, max_bytes=formats.MAX_BYTES)
        return upload

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        course = cleaned.get("course")
        new_category = " ".join(cleaned.get("new_category", "").split())
        if not category and not new_category:
            self.add_error("category", gettext("Choose a category or name a new one."))
        if category and new_category:
            self.add_error(
                "new_category", gettext("Choose an existing category or name a new one, not both.")
            )
        if not category and not course and not self.shared_allowed and "course" in cleaned:
            self.add_error(
                "course", gettext("Choose the course whose bank receives the questions.")
            )
        cleaned["category_name"] = new_category or (category.name if category else "")
        cleaned["course_id"] = category.course_id if category else (course.pk if course else None)
        if "file" in cleaned and cleaned.get("format"):
            try:
                formats.parse(cleaned["format"], self.content)
            except QuestionFileError as error:
                self.add_error("file", error.message)
        return cleaned


class ExportForm(forms.Form):
    """A category (``?category=3``) or a selection of questions (``?id=1&id=2``), of the banks
    the user may see: questions of other banks are left out."""

    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=QuestionCategory.objects.none(), required=False
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        values = data.getlist("id") if data is not None and hasattr(data, "getlist") else []
        self.ids = [int(value) for value in values[:MAX_SELECTION] if value.isdigit()]
        self.visible_questions = permission_policy_for(Question).narrow(
            Question.objects.all(), user, VISIBLE_ACTIONS
        )
        self.fields["category"].queryset = QuestionCategory.objects.filter(
            pk__in=self.visible_questions.values("category_id")
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("category") and not self.ids:
            raise forms.ValidationError(gettext("Choose a category or select questions to export."))
        return cleaned

    def questions(self) -> list[Question]:
        return importing.questions_to_export(
            category=self.cleaned_data.get("category"),
            ids=self.ids or None,
            among=self.visible_questions,
        )

    def query(self) -> str:
        params = []
        if self.cleaned_data.get("category"):
            params.append(("category", self.cleaned_data["category"].pk))
        params += [("id", pk) for pk in self.ids]
        return urlencode(params)
